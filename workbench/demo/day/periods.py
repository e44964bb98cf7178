"""Accounting periods through a simulated day: open, close, reopen for adjustments, close again.

The day's month gets its period row on the first simulated day of the month. On working days the
previous month's period is closed at 18:00 on its close day (working day N of the month, N =
calendar.yaml fiscal.close_window_days; a close day the simulator skipped is caught up on the next
simulated working day), and a reopened period is closed again the working day after its reopen. Now and
then (deterministic by seed, about one working day in twenty) Level-1 either reopens the last closed
period for a day, posting an adjustment into it, or posts a voucher into it *without* reopening it: a
mistake the product must catch. All of it draws from the day's ``rare`` random stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.demo.calendar import close_day, period_month
from workbench.demo.day.state import Day
from workbench.demo.documents.orgs import Org
from workbench.demo.documents.periods import (
    CLOSE_SECOND,
    month_period,
    post_period_adjustment,
    write_period,
    write_period_log,
)
from workbench.demo.values import ts_datetime, ts_of
from workbench.demo.vocab import PeriodAction, PeriodEvent, PeriodStatus

TABLE = "accounting_period"
REOPEN_RATE = 0.025  # working days on which the last closed period is reopened for adjustments
MISPOSTING_RATE = 0.025  # working days on which a voucher is posted into it without reopening it


@dataclass(frozen=True)
class PeriodRow:
    """An accounting_period row as the day starts (moments in local seconds)."""

    period: str
    status: PeriodStatus
    closed_at: int | None
    reopen_count: int
    updated_at: int


def period_rows(d: Day) -> list[PeriodRow]:
    """Return Level-1's accounting periods, in period order."""
    return [
        PeriodRow(period, PeriodStatus(status), None if closed is None else ts_of(closed), count, ts_of(updated))
        for period, status, closed, count, updated in d.all("periods")
    ]


def period_housekeeping(d: Day) -> None:
    """Open the day's month; on a working day close the periods due and re-close the reopened ones."""
    rows = period_rows(d)
    _open_months(d, rows)
    if not d.business:
        return
    for row in rows:
        if row.status is not PeriodStatus.OPEN:
            continue
        if row.reopen_count == 0 and close_day(*period_month(row.period)) <= d.ord:
            _close(d, row.period, d.start_ts + CLOSE_SECOND, PeriodEvent.CLOSED)
        elif row.reopen_count > 0 and row.updated_at < d.start_ts:  # reopened on an earlier day
            _close(d, row.period, d.start_ts + d.rare.randint(54000, 63000), PeriodEvent.RECLOSED)


def rare_period_event(d: Day) -> None:
    """Now and then, on a working day, reopen the last closed period or post into it without reopening it."""
    if not d.business:
        return
    draw = d.rare.random()
    if draw < REOPEN_RATE:
        reopen_last_closed(d)
    elif draw < REOPEN_RATE + MISPOSTING_RATE:
        post_into_last_closed(d)


def reopen_last_closed(d: Day) -> str | None:
    """Reopen the last period closed before the day (反结账) and post an adjustment into it; return the period."""
    row = _last_closed(d, before=d.start_ts)
    if row is None:
        return None
    reopened = d.start_ts + d.rare.randint(32400, 39600)  # 09:00-11:00
    d.update(TABLE, row.period, reopened, status=PeriodStatus.OPEN, closed_at=None, reopen_count=row.reopen_count + 1)
    write_period_log(d.out, row.period, PeriodAction.REOPEN, reopened)
    _adjust(d, row.period, reopened + d.rare.randint(1800, 7200), "反结账调整")
    d.period_events[PeriodEvent.REOPENED].append(row.period)
    return row.period


def post_into_last_closed(d: Day) -> int | None:
    """Post a balanced voucher into the last closed period without reopening it; return the voucher id.

    It is keyed during the day's office hours, and after the close when the period closed this evening.
    """
    row = _last_closed(d)
    if row is None or row.closed_at is None:
        return None
    keyed = d.start_ts + d.rare.randint(30600, 66600)
    if keyed <= row.closed_at:
        keyed = row.closed_at + d.rare.randint(600, 3600)
    voucher_id = _adjust(d, row.period, keyed, "补记")
    d.closed_period_vouchers.append(voucher_id)
    d.period_events[PeriodEvent.POSTED_WHILE_CLOSED].append(row.period)
    return voucher_id


def _open_months(d: Day, rows: list[PeriodRow]) -> None:
    """Add the day's month and any month skipped since the latest period (only the day's own when Level-1
    has no periods at all, e.g. seeded before they existed); a skipped month past its close day is added closed."""
    known = {period_month(row.period) for row in rows}
    month = (d.day.year, d.day.month)
    missing = []
    while month not in known and (not missing or month > max(known, default=month)):
        missing.append(month)
        month = (month[0] - 1, 12) if month[1] == 1 else (month[0], month[1] - 1)
    for year, number in reversed(missing):
        period = month_period(year, number)
        d.added[TABLE].add(period)
        d.period_events[PeriodEvent.OPENED].append(period)
        if d.business and close_day(year, number) <= d.ord:
            closed = d.start_ts + CLOSE_SECOND
            write_period(d.out, period, PeriodStatus.CLOSED, closed, 0, closed)
            write_period_log(d.out, period, PeriodAction.CLOSE, closed)
            d.period_events[PeriodEvent.CLOSED].append(period)
        else:
            write_period(d.out, period, PeriodStatus.OPEN, None, 0, d.start_ts)


def _close(d: Day, period: str, ts: int, event: PeriodEvent) -> None:
    d.update(TABLE, period, ts, status=PeriodStatus.CLOSED, closed_at=ts_datetime(ts))
    write_period_log(d.out, period, PeriodAction.CLOSE, ts)
    d.period_events[event].append(period)


def _last_closed(d: Day, before: int | None = None) -> PeriodRow | None:
    """Return the latest closed period (closed before ``before`` if given), or None."""
    closed = [r for r in period_rows(d) if r.status is PeriodStatus.CLOSED and r.closed_at is not None
              and (before is None or r.closed_at < before)]
    return max(closed, key=lambda r: period_month(r.period), default=None)


def _adjust(d: Day, period: str, keyed: int, summary: str) -> int:
    """Post an expense accrual of a random org into ``period`` (dated its last working day); return its id."""
    d.load_voucher_numbers(period)
    org: Org = d.rare.choices(d.doc_orgs, d.doc_weights)[0]
    return post_period_adjustment(d.out, d.rare, org.org_id, *period_month(period), keyed, summary)
