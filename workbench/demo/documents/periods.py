"""Accounting periods: the period rows, the close/reopen log, and vouchers posted into an earlier period."""

from __future__ import annotations

import datetime as dt
import random

from workbench.demo.calendar import close_day, last_business_day, month_end, period_of
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.names import clerk_names
from workbench.demo.reference import CATEGORY_ACCOUNTS, CATEGORY_LABELS, HQ_ORG_ID
from workbench.demo.values import DAY, NULL, ts_text
from workbench.demo.vocab import PeriodAction, PeriodStatus, SourceType
from workbench.demo.writer import RowWriter

CLOSE_SECOND = 18 * 3600  # the shared-finance centre closes a period at 18:00 on its close day


def close_moment(year: int, month: int) -> int:
    """Return when a month's period is closed (local seconds): 18:00 on its close day."""
    return close_day(year, month) * DAY + CLOSE_SECOND


def month_period(year: int, month: int) -> str:
    """Return the accounting period of a month."""
    return period_of(dt.date(year, month, 1).toordinal())


def period_last_working_day(year: int, month: int) -> int:
    """Return the ordinal of a month's last working day, the date an adjustment of its period carries."""
    return last_business_day(month_end(year, month))


def acted_by(action: PeriodAction) -> str:
    """Return who closes (the HQ ledger clerk) or reopens (the HQ finance lead, who approves it) a period."""
    closer, approver = clerk_names(HQ_ORG_ID)
    return closer if action is PeriodAction.CLOSE else approver


def write_period(
    out: RowWriter, period: str, status: PeriodStatus, closed_ts: int | None, reopen_count: int, updated: int
) -> None:
    """Write an accounting_period row."""
    closed = NULL if closed_ts is None else ts_text(closed_ts)
    out.add("accounting_period", "\t".join((period, status, closed, str(reopen_count), ts_text(updated))))


def write_period_log(out: RowWriter, period: str, action: PeriodAction, acted_ts: int) -> int:
    """Log a close or reopen of a period (acted and stamped at ``acted_ts``); return the log id."""
    log_id = out.new_id("accounting_period_log")
    stamp = ts_text(acted_ts)
    out.add("accounting_period_log", "\t".join((str(log_id), period, action, stamp, acted_by(action), stamp)))
    return log_id


def post_period_adjustment(
    out: RowWriter, rng: random.Random, org_id: str, year: int, month: int, created: int, summary: str
) -> int:
    """Post a balanced expense accrual dated the month's last working day, keyed at ``created``; return its id.

    ``summary`` is prefixed to the expense category's name on both lines (e.g. '补记' → '补记差旅费').
    """
    category = rng.choice(sorted(CATEGORY_ACCOUNTS))
    amount_c = rng.randint(50, 5000) * 100
    label = f"{summary}{CATEGORY_LABELS[category]}"
    lines: list[Line] = [(CATEGORY_ACCOUNTS[category], amount_c, 0, label), ("2241", 0, amount_c, label)]
    day = period_last_working_day(year, month)
    return post_voucher(out, rng, org_id, day, SourceType.MANUAL, None, lines, created)
