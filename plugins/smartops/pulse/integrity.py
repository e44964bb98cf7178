"""Closed-period integrity: a sync changed rows of an accounting period that was already closed.

A change to a period closed before the change's cursor time is CRITICAL: the published figures of that
period no longer match the ledger. Inside a reopen window (the period was reopened for adjustments and
not yet re-closed at the change's time) it is expected work, reported at MEDIUM with the reopen as context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from smartops.business_date import BUSINESS_TZ
from smartops.pulse.model import FindingKind, RowChange
from smartops.vocabulary import Category, Severity


class PeriodStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Reopen:
    """A closed period reopened for adjustments; reclosed_at None while it is still open."""

    reopened_at: datetime
    reclosed_at: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.reopened_at <= at and (self.reclosed_at is None or at < self.reclosed_at)


@dataclass(frozen=True)
class Period:
    """An accounting period's close state: first closed at `closed_at`, reopened as `reopens` say.

    `status` is the state now; whether the period was closed when a change was made follows from
    `closed_at` and the reopen windows alone.
    """

    period: str
    status: PeriodStatus
    closed_at: datetime | None = None
    reopens: tuple[Reopen, ...] = ()

    def reopen_at(self, at: datetime) -> Reopen | None:
        """Return the reopen window that covers `at`, or None."""
        return next((r for r in self.reopens if r.covers(at)), None)


@dataclass(frozen=True)
class Change:
    """One row a sync inserted, updated or deleted, with the period it belongs to and its cursor time."""

    record_id: str  # e.g. the voucher id
    period: str
    kind: RowChange
    changed_at: datetime  # the row's cursor value (updated_at): when Level-1 changed it
    line_id: str | None = None
    amount: Decimal | float | None = None


@dataclass(frozen=True)
class IntegrityFinding:
    """One change to a closed (or reopened) period, with its evidence."""

    table: str
    business_date: date
    change: Change
    period: Period
    finding: FindingKind
    reopen: Reopen | None
    reason_zh: str
    reason_en: str
    estimated_calendar: bool = False  # periods and cursor times are facts, not calendar estimates

    @property
    def category(self) -> Category:
        return Category.INTEGRITY

    @property
    def severity(self) -> Severity:
        return Severity.MEDIUM if self.reopen else Severity.CRITICAL

    @property
    def evidence(self) -> dict[str, Any]:
        """The facts for the report and the alert: ids, amount, period, close and change times."""
        return {
            "record_id": self.change.record_id, "line_id": self.change.line_id, "change": self.change.kind.value,
            "amount": None if self.change.amount is None else str(self.change.amount),
            "period": self.period.period, "closed_at": _iso(self.period.closed_at),
            "changed_at": _iso(self.change.changed_at),
            "reopened_at": _iso(self.reopen.reopened_at) if self.reopen else None,
            "reclosed_at": _iso(self.reopen.reclosed_at) if self.reopen else None,
        }


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(BUSINESS_TZ).isoformat(timespec="seconds") if at else None


def judge_integrity(table: str, day: date, changes: Iterable[Change],
                    periods: Mapping[str, Period] | Iterable[Period]) -> list[IntegrityFinding]:
    """Return one finding per change of business date `day`'s sync whose period was closed at its cursor time.

    Changes to unknown or still-open periods, or made before the period closed, are no findings.
    """
    by_period = periods if isinstance(periods, Mapping) else {p.period: p for p in periods}
    findings = []
    for change in changes:
        period = by_period.get(change.period)
        if period is None or period.closed_at is None or change.changed_at < period.closed_at:
            continue
        findings.append(_finding(table, day, change, period, period.reopen_at(change.changed_at)))
    return findings


def _finding(table: str, day: date, change: Change, period: Period, reopen: Reopen | None) -> IntegrityFinding:
    what = f"{change.record_id}" + (f"/{change.line_id}" if change.line_id else "")
    amount = "" if change.amount is None else f" amount {change.amount}"
    amount_zh = "" if change.amount is None else f"，金额 {change.amount}"
    at, closed = _iso(change.changed_at), _iso(period.closed_at)
    en = (f"{table}: {change.kind.value} {what}{amount} of period {period.period} at {at}, after the period "
          f"closed at {closed}")
    zh = f"{table}：{at} {_KIND_ZH[change.kind]}了期间 {period.period} 的 {what}{amount_zh}，该期间已于 {closed} 结账"
    if reopen:
        window = f"{_iso(reopen.reopened_at)}–{_iso(reopen.reclosed_at) or 'open'}"
        en += f" (inside the reopen window {window}: an adjustment, check it was approved)"
        zh += f"（发生在反结账窗口 {window} 内，属调整，请确认已审批）"
        kind = FindingKind.REOPENED_PERIOD_CHANGE
    else:
        en += ": the closed period's published figures no longer match the ledger"
        zh += "：已结账期间的已发布数据与账簿不再一致"
        kind = FindingKind.CLOSED_PERIOD_CHANGE
    return IntegrityFinding(table, day, change, period, kind, reopen, zh, en)


_KIND_ZH = {RowChange.INSERTED: "新增", RowChange.UPDATED: "修改", RowChange.WRITTEN: "写入",
            RowChange.DELETED: "删除"}
