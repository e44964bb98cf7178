"""The history's accounting periods: every month closed on its close day, the last ones still open."""

from __future__ import annotations

import datetime as dt

from workbench.demo.documents.periods import close_moment, month_period, write_period, write_period_log
from workbench.demo.history.state import History
from workbench.demo.values import DAY
from workbench.demo.vocab import PeriodAction, PeriodStatus


def write_periods(h: History) -> None:
    """Write one period per month of the history, and a close log row for each one closed by its end.

    A period is closed at 18:00 on its close day (working day N of the next month) when that moment lies
    within the history; otherwise (the current month, and the previous one until its close day) it is open,
    stamped when the month began (or at go-live, for the first month).
    """
    for year, month in h.months:
        period = month_period(year, month)
        closed = close_moment(year, month)
        if closed <= h.end_ts:
            write_period(h.out, period, PeriodStatus.CLOSED, closed, 0, closed)
            write_period_log(h.out, period, PeriodAction.CLOSE, closed)
        else:
            opened = max(h.go_live_ts, dt.date(year, month, 1).toordinal() * DAY)
            write_period(h.out, period, PeriodStatus.OPEN, None, 0, opened)
