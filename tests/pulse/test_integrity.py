"""Closed-period integrity: changes to a period after it closed, and inside a reopen window."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from smartops.business_date import BUSINESS_TZ
from smartops.pulse import Change, FindingKind, Period, PeriodStatus, Reopen, RowChange, judge_integrity
from smartops.vocabulary import Category, Severity

DAY = date(2026, 2, 11)


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BUSINESS_TZ)


JANUARY = Period("2026-01", PeriodStatus.CLOSED, closed_at=at(2, 4, 18),
                 reopens=(Reopen(reopened_at=at(2, 11, 9), reclosed_at=at(2, 11, 17)),))
FEBRUARY = Period("2026-02", PeriodStatus.OPEN)


def change(period: str, changed_at: datetime, kind: RowChange = RowChange.UPDATED) -> Change:
    return Change(record_id="V-1001", line_id="L-3", period=period, kind=kind, changed_at=changed_at,
                  amount=Decimal("12500.00"))


def test_should_find_a_change_to_a_closed_period_as_critical_with_its_evidence():
    [finding] = judge_integrity("gl_voucher_line", DAY, [change("2026-01", at(2, 10, 15))], [JANUARY, FEBRUARY])
    assert finding.finding is FindingKind.CLOSED_PERIOD_CHANGE and finding.severity is Severity.CRITICAL
    assert finding.category is Category.INTEGRITY and finding.reopen is None
    assert (finding.table, finding.business_date) == ("gl_voucher_line", DAY)
    assert finding.evidence == {
        "record_id": "V-1001", "line_id": "L-3", "change": "updated", "amount": "12500.00", "period": "2026-01",
        "closed_at": "2026-02-04T18:00:00+08:00", "changed_at": "2026-02-10T15:00:00+08:00",
        "reopened_at": None, "reclosed_at": None}
    assert "after the period closed at 2026-02-04T18:00:00+08:00" in finding.reason_en
    assert "已于 2026-02-04T18:00:00+08:00 结账" in finding.reason_zh


def test_should_lower_the_severity_inside_a_reopen_window_and_show_the_reopen():
    [finding] = judge_integrity("gl_voucher_line", DAY, [change("2026-01", at(2, 11, 10))], {"2026-01": JANUARY})
    assert finding.finding is FindingKind.REOPENED_PERIOD_CHANGE and finding.severity is Severity.MEDIUM
    assert finding.evidence["reopened_at"] == "2026-02-11T09:00:00+08:00"
    assert "reopen window" in finding.reason_en and "反结账" in finding.reason_zh


def test_should_be_critical_again_after_the_period_is_reclosed():
    [finding] = judge_integrity("t", DAY, [change("2026-01", at(2, 11, 18), RowChange.DELETED)], [JANUARY])
    assert finding.severity is Severity.CRITICAL and finding.evidence["change"] == "deleted"


def test_should_find_nothing_for_changes_before_the_close_or_to_open_or_unknown_periods():
    changes = [change("2026-01", at(2, 4, 17), RowChange.INSERTED), change("2026-02", at(2, 10, 15)),
               change("2025-07", at(2, 10, 15))]
    assert judge_integrity("t", DAY, changes, [JANUARY, FEBRUARY]) == []


def test_should_return_one_finding_per_change():
    changes = [change("2026-01", at(2, 10, h)) for h in (9, 10, 11)]
    assert len(judge_integrity("t", DAY, changes, [JANUARY])) == 3
