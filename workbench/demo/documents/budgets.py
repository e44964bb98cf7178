"""Budgets: rows per org, department, expense account and month, in versions."""

from __future__ import annotations

import datetime as dt

from workbench.demo.calendar import last_business_day
from workbench.demo.values import DAY, money, ts_text
from workbench.demo.writer import RowWriter


def approval_day(year: int) -> int:
    """Return the day a year's budget (version 1) is approved: the last business day by 29 December before."""
    return last_business_day(dt.date(year - 1, 12, 29).toordinal())


def revision_ts(year: int) -> int:
    """Return when mid-year revisions (version 2, July to December) are approved: 26 June, 17:00."""
    return last_business_day(dt.date(year, 6, 26).toordinal()) * DAY + 61200


def budget_cents(yuan: float) -> int:
    """Round a budget amount to 10 yuan (below 10,000) or 100 yuan, returned in cents."""
    step = 10 if yuan < 10_000 else 100
    return round(yuan / step) * step * 100


def write_budget(
    out: RowWriter, org_id: str, dept: str, account: str, period: str, yuan: float, version: int, updated: int
) -> None:
    """Write a budget row of ``yuan`` (rounded); a later version of the same key supersedes earlier ones."""
    out.add(
        "budget",
        "\t".join(
            (
                str(out.new_id("budget")),
                org_id,
                dept,
                account,
                period,
                money(budget_cents(yuan)),
                str(version),
                ts_text(updated),
            )
        ),
    )
