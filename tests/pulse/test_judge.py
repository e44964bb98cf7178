"""The pulse's judging run on a real warehouse: the ledger's volumes, closed periods, applied drift, the backlog."""

from __future__ import annotations

import math
from datetime import date, timedelta

import psycopg
import pytest

from smartops.alerting.context import AlertContext
from smartops.alerting.pulse import alert_pulse
from smartops.calendar import default_calendar
from smartops.config.calendar import load_calendar_config
from smartops.config.inventory import load_inventory
from smartops.pulse.judge import judge_day
from tests.alerting.factories import make_config
from tests.support.helpers import query

CAL = default_calendar()
START = date(2025, 11, 3)  # eight weeks of ordinary days before the days under test
SPRING_FESTIVAL = [date(2026, 2, 16) + timedelta(days=i) for i in range(7)]
VOUCHERS_A_DAY = 200


def expected_rows(day: date) -> int:
    """What a normal day brings: working days ~200 vouchers (x4 on close-window days), days off none."""
    kind = CAL.day_kind(day)
    if not kind.working:
        return 0
    wobble = 1 + 0.08 * math.sin(day.toordinal())  # deterministic day-to-day variation
    return round(VOUCHERS_A_DAY * wobble * (4 if kind.close_day else 1))


def ledger(warehouse: str, days: dict[date, int], table: str = "gl_voucher") -> None:
    """One committed incremental sync per business date with the given rows inserted."""
    with psycopg.connect(warehouse) as conn:
        for day, rows in days.items():
            conn.execute(
                "INSERT INTO ops.sync_ledger (run_id, table_name, mode, rows_read, rows_inserted, started_at, "
                "finished_at, duration_s, status, business_date, watermark_after) VALUES (%s, %s, 'incremental', "
                "%s, %s, now(), now(), 1, 'success', %s, %s)",
                (f"scheduled__{day}", table, rows, rows, day, f"{day}T18:00:00+08:00"))


def history_until(last: date, override: dict[date, int] | None = None) -> dict[date, int]:
    days = {START + timedelta(days=i): 0 for i in range((last - START).days + 1)}
    return {d: (override or {}).get(d, expected_rows(d)) for d in days}


def judge(warehouse: str, day: date):
    return judge_day(warehouse, day, run_id=f"pulse__{day}", inventory=load_inventory(), calendar=CAL,
                     periods=load_calendar_config().periods)


def findings(report, table: str = "gl_voucher") -> list[str]:
    return sorted(v.finding.value for v in report.findings if v.table == table)


def test_should_find_an_empty_and_a_half_working_day_but_not_a_weekend(warehouse):
    empty, half = date(2026, 1, 13), date(2026, 1, 15)  # a Tuesday and a Thursday
    ledger(warehouse, history_until(date(2026, 1, 17), {empty: 0, half: expected_rows(half) // 2}))
    assert findings(judge(warehouse, empty)) == ["stale", "zero_rows"]
    assert findings(judge(warehouse, half)) == ["low_volume"]
    assert findings(judge(warehouse, date(2026, 1, 17))) == [], "a Saturday without postings is normal"


def test_should_raise_nothing_for_a_holiday_week_or_a_month_end_close(warehouse):
    ledger(warehouse, history_until(date(2026, 3, 5)))
    for day in [*SPRING_FESTIVAL, date(2026, 2, 14), date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]:
        assert findings(judge(warehouse, day)) == [], f"{day} ({CAL.day_kind(day).describe('en')})"
    assert CAL.is_working_day(date(2026, 2, 14)), "the 调休 Saturday is judged as a working day"


def test_should_find_a_stuck_cursor_after_two_silent_working_days(warehouse):
    silent = [date(2026, 1, 20), date(2026, 1, 21)]
    ledger(warehouse, history_until(date(2026, 1, 21), {d: 0 for d in silent}))
    with psycopg.connect(warehouse) as conn:  # the cursor stuck where the 19th left it
        conn.execute("UPDATE ops.sync_ledger SET watermark_after = '2026-01-19T18:00:00+08:00' "
                     "WHERE business_date = ANY(%s)", (silent,))
    report = judge(warehouse, silent[1])
    [stale] = [v for v in report.freshness if v.table == "gl_voucher"]
    assert stale.finding == "stale" and stale.idle_working_days == 2 and "no new rows for 2 working days" in \
        stale.reason_en


def test_should_judge_a_replayed_day_as_the_live_night_did(warehouse):
    ledger(warehouse, history_until(date(2026, 1, 15), {date(2026, 1, 15): 80}))
    live = [(v.table, v.metric, v.finding, v.expected) for v in judge(warehouse, date(2026, 1, 15)).volume]
    ledger(warehouse, {date(2026, 1, 16): 5000})  # what later nights loaded must not change the verdict
    replay = [(v.table, v.metric, v.finding, v.expected) for v in judge(warehouse, date(2026, 1, 15)).volume]
    assert replay == live and ("gl_voucher", "rows_inserted", "low_volume") in [r[:3] for r in live]


@pytest.fixture
def periods(warehouse: str) -> str:
    """ods copies of the period table, its log and the vouchers and lines (only the columns the judge reads)."""
    with psycopg.connect(warehouse) as conn:
        for statement in (
            "CREATE TABLE ods.accounting_period (period text PRIMARY KEY, status text, closed_at timestamptz, "
            "_run_id text, _deleted_at timestamptz)",
            "CREATE TABLE ods.accounting_period_log (log_id int, period text, action text, acted_at timestamptz, "
            "_run_id text, _deleted_at timestamptz)",
            "CREATE TABLE ods.gl_voucher (voucher_id bigint PRIMARY KEY, period text, voucher_date date, "
            "updated_at timestamptz, _run_id text, _deleted_at timestamptz)",
            "CREATE TABLE ods.gl_voucher_line (line_id bigint PRIMARY KEY, voucher_id bigint, debit_amount numeric, "
            "credit_amount numeric, updated_at timestamptz, _run_id text, _deleted_at timestamptz)",
            "INSERT INTO ods.accounting_period VALUES ('2025-12', 'closed', '2026-01-06 18:00+08', 'r', NULL), "
            "('2026-01', 'closed', '2026-02-04 18:00+08', 'r', NULL), ('2026-02', 'open', NULL, 'r', NULL)",
            "INSERT INTO ods.accounting_period_log VALUES (1, '2025-12', 'close', '2026-01-06 18:00+08', 'r', NULL), "
            "(2, '2026-01', 'close', '2026-01-31 18:00+08', 'r', NULL), "
            "(3, '2026-01', 'reopen', '2026-02-02 09:00+08', 'r', NULL), "
            "(4, '2026-01', 'close', '2026-02-04 18:00+08', 'r', NULL)",
        ):
            conn.execute(statement)
    return warehouse


def test_should_raise_a_critical_item_for_a_change_to_a_closed_period(periods):
    day = date(2026, 2, 10)
    run = f"scheduled__{day}"
    ledger(periods, {day: 3}), ledger(periods, {day: 4}, "gl_voucher_line")
    with psycopg.connect(periods) as conn:
        conn.execute("INSERT INTO ods.gl_voucher VALUES (7001, '2025-12', '2025-12-30', '2026-02-10 10:00+08', %s, "
                     "NULL), (7002, '2026-02', '2026-02-10', '2026-02-10 11:00+08', %s, NULL), "
                     "(7003, '2026-01', '2026-01-30', '2026-02-03 10:00+08', %s, NULL)", (run, run, run))
        conn.execute("INSERT INTO ods.gl_voucher_line VALUES (1, 7001, 500, 0, '2026-02-10 10:00+08', %s, NULL), "
                     "(2, 7001, 0, 500, '2026-02-10 10:00+08', %s, NULL)", (run, run))
    report = judge(periods, day)
    evidence = sorted((v.table, v.change.record_id, v.change.line_id, v.finding.value, v.severity.value)
                      for v in report.integrity)
    assert evidence == [
        ("gl_voucher", "7001", None, "closed_period_change", "critical"),  # 2025-12, closed 2026-01-06
        ("gl_voucher", "7003", None, "reopened_period_change", "medium"),  # inside 2026-01's reopen window
        ("gl_voucher_line", "7001", "1", "closed_period_change", "critical"),
        ("gl_voucher_line", "7001", "2", "closed_period_change", "critical")]
    [closed] = [v for v in report.integrity if v.change.record_id == "7001" and v.table == "gl_voucher"]
    assert closed.evidence["closed_at"] == "2026-01-06T18:00:00+08:00" and closed.evidence["period"] == "2025-12"

    context = AlertContext(periods, make_config(routes={}, language="en"), load_inventory())
    alert_pulse(context, report)
    items = dict(query(periods, "SELECT fingerprint, row(category, severity, status)::text FROM ops.backlog_item"))
    assert items["data_pulse:ods.gl_voucher:closed_period_change"] == "(integrity,critical,awaiting_level1)"
    assert items["data_pulse:ods.gl_voucher:reopened_period_change"] == "(integrity,medium,awaiting_level1)"
    [(title, business_date)] = query(periods, "SELECT title, business_date FROM ops.alert_event "
                                              "WHERE fingerprint = 'data_pulse:ods.gl_voucher:closed_period_change'")
    assert title == "ods.gl_voucher 2026-02-10: a closed period changed" and business_date == day


def test_should_open_volume_items_and_resolve_them_when_a_day_is_normal_again(warehouse):
    empty = date(2026, 1, 13)
    ledger(warehouse, history_until(date(2026, 1, 14), {empty: 0}))
    context = AlertContext(warehouse, make_config(routes={}), load_inventory())
    alert_pulse(context, judge(warehouse, empty))
    [(category, title)] = query(warehouse, "SELECT category, title FROM ops.backlog_item "
                                           "WHERE fingerprint = 'data_pulse:ods.gl_voucher:zero_rows'")
    assert category == "volume" and title == "ods.gl_voucher 2026-01-13：工作日无数据", "zh deployment: Chinese title"
    alert_pulse(context, judge(warehouse, date(2026, 1, 14)))
    assert query(warehouse, "SELECT status FROM ops.backlog_item WHERE fingerprint = "
                            "'data_pulse:ods.gl_voucher:zero_rows'") == [("resolved",)]


def test_should_send_a_low_drift_notice_for_an_applied_schema_change(warehouse):
    day = date(2026, 1, 14)
    ledger(warehouse, {day: 10}, "customer")
    with psycopg.connect(warehouse) as conn:
        conn.execute("INSERT INTO ops.schema_change (run_id, table_name, column_name, change, source_type, action) "
                     "VALUES (%s, 'customer', 'credit_rating', 'added', 'text', 'applied')", (f"scheduled__{day}",))
    report = judge(warehouse, day)
    assert [(d.table, d.column) for d in report.drift] == [("customer", "credit_rating")]
    alert_pulse(AlertContext(warehouse, make_config(routes={}), load_inventory()), report)
    assert query(warehouse, "SELECT category, severity, owner FROM ops.backlog_item WHERE fingerprint = "
                            "'data_pulse:ods.customer:schema_drift_applied'") == [("drift", "low", "business-data")]
