"""The pulse verdict store (ops.pulse_verdict): replace per table, date and category; read back."""

from __future__ import annotations

from datetime import date, datetime

import psycopg
import pytest

from smartops.business_date import BUSINESS_TZ
from smartops.calendar import BusinessCalendar
from smartops.config.pulse import FreshnessPolicy
from smartops.pulse import Change, Period, PeriodStatus, RowChange, judge_freshness, judge_integrity, judge_volume
from smartops.pulse.store import read_findings, read_volume_band, replace_verdicts
from smartops.vocabulary import Category
from tests.pulse.series import series


def test_should_replace_the_verdicts_of_a_table_and_date_and_read_them_back(warehouse):
    calendar = BusinessCalendar()
    day = date(2026, 3, 11)
    points = series(date(2025, 9, 1), day, calendar, d2026_03_11=50)
    verdicts = judge_volume("gl_voucher", day, points, calendar)
    with psycopg.connect(warehouse, autocommit=True) as conn:
        for run in ("first", "retry"):  # re-judging the date replaces its rows
            replace_verdicts(conn, run_id=run, business_date=day, table="gl_voucher", category=Category.VOLUME,
                             verdicts=verdicts)
        [band] = read_volume_band(conn, "gl_voucher", date(2026, 3, 1), date(2026, 3, 31))
        assert (band["metric"], band["observed"], band["finding"], band["day_class"]) == (
            "rows_inserted", 50, "low_volume", "working")
        assert float(band["band_low"]) == pytest.approx(verdicts[0].band_low)
        [finding] = read_findings(conn, day)
        assert finding["category"] == "volume" and finding["reason_en"] == verdicts[0].reason_en
        assert len(finding["evidence"]["comparable_days"]) == len(verdicts[0].comparable_days)
        replace_verdicts(conn, run_id="later", business_date=day, table="gl_voucher", category=Category.VOLUME,
                         verdicts=[])
        assert read_findings(conn, day) == []


def test_should_refuse_verdicts_of_another_table_than_the_one_replaced(warehouse):
    calendar = BusinessCalendar()
    day = date(2026, 3, 11)
    verdicts = judge_volume("gl_voucher", day, series(date(2025, 9, 1), day, calendar), calendar)
    with psycopg.connect(warehouse) as conn, pytest.raises(ValueError, match="another table"):
        replace_verdicts(conn, run_id="r", business_date=day, table="customer", category=Category.VOLUME,
                         verdicts=verdicts)


def test_should_store_freshness_and_integrity_findings_with_their_evidence(warehouse):
    calendar = BusinessCalendar()
    day = date(2026, 3, 12)
    stale = judge_freshness("gl_voucher", day, date(2026, 3, 10), calendar,
                            FreshnessPolicy(changes_every_working_day=True))
    closed = Period("2026-02", PeriodStatus.CLOSED, closed_at=datetime(2026, 3, 4, 18, tzinfo=BUSINESS_TZ))
    integrity = judge_integrity("gl_voucher_line", day, [
        Change("V-7", "2026-02", RowChange.UPDATED, datetime(2026, 3, 12, 10, tzinfo=BUSINESS_TZ), "L-1", 99.5)],
        [closed])
    with psycopg.connect(warehouse, autocommit=True) as conn:
        replace_verdicts(conn, run_id="r", business_date=day, table="gl_voucher", category=Category.FRESHNESS,
                         verdicts=[stale])
        replace_verdicts(conn, run_id="r", business_date=day, table="gl_voucher_line",
                         category=Category.INTEGRITY, verdicts=integrity)
        first, second = read_findings(conn, day)
    assert (first["category"], first["subject"], first["severity"]) == ("integrity", "V-7/L-1", "critical")
    assert first["evidence"]["closed_at"] == "2026-03-04T18:00:00+08:00"
    assert (second["category"], second["finding"], second["severity"]) == ("freshness", "stale", None)
    assert second["evidence"] == {"newest_activity": "2026-03-10", "limit": 1}
