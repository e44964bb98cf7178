"""The demo's fast paths over the product's business calendar, and the window of the seeded history.

Working days, accounting periods and the close day are the product's (``smartops.calendar.default_calendar()``:
China's working days with 调休, include/config/calendar.yaml), so the demo and every detector agree on what a
working day is. This module only adds what the generator needs on top: dates as proleptic ordinals
(``date.toordinal()``), because the generator does arithmetic on millions of them, answered from memos that
are filled a year (or a month) at a time from the product's calendar; and the history window.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from smartops.calendar import default_calendar

HISTORY_DAYS = 697  # length of the seeded history: 2025-01-01 to 2026-11-28, about 23 months


class _WorkingDays(dict[int, bool]):
    """Memo of ordinal -> is a working day, filled a whole year at a time from the product's calendar."""

    def __missing__(self, ordinal: int) -> bool:
        year = dt.date.fromordinal(ordinal).year
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        working = {day.toordinal() for day in default_calendar().working_days(first, last)}
        self.update((o, o in working) for o in range(first.toordinal(), last.toordinal() + 1))
        return self[ordinal]


class _Periods(dict[int, str]):
    """Memo of ordinal -> accounting period (the product calendar's period_of)."""

    def __missing__(self, ordinal: int) -> str:
        self[ordinal] = period = default_calendar().period_of(dt.date.fromordinal(ordinal))
        return period


_WORKING = _WorkingDays()
_PERIODS = _Periods()


def is_business_day(ordinal: int) -> bool:
    """Tell whether a date ordinal is a working day (make-up working days included, holidays not)."""
    return _WORKING[ordinal]


def next_business_day(ordinal: int) -> int:
    """Return the first working day on or after the ordinal."""
    while not _WORKING[ordinal]:
        ordinal += 1
    return ordinal


def last_business_day(ordinal: int) -> int:
    """Return the last working day on or before the ordinal."""
    while not _WORKING[ordinal]:
        ordinal -= 1
    return ordinal


def add_business_days(ordinal: int, days: int) -> int:
    """Return the ordinal moved forward by a number of working days (from the next working day)."""
    ordinal = next_business_day(ordinal)
    for _ in range(days):
        ordinal = next_business_day(ordinal + 1)
    return ordinal


def period_of(ordinal: int) -> str:
    """Return the accounting period a date ordinal belongs to, e.g. '2026-02'."""
    return _PERIODS[ordinal]


@cache
def period_month(period: str) -> tuple[int, int]:
    """Return the (year, month) an accounting period label stands for (calendar.yaml fiscal.period_format)."""
    first = dt.datetime.strptime(period, default_calendar().config.fiscal.period_format)
    return first.year, first.month


@cache
def close_day(year: int, month: int) -> int:
    """Return the ordinal of the day a month's period is closed: the last day of its close window.

    That is working day N of the next month, N being calendar.yaml's fiscal.close_window_days.
    """
    return default_calendar().close_window(dt.date(year, month, 1))[-1].toordinal()


def month_days(year: int, month: int) -> int:
    """Return the number of days of a month."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


@cache
def business_days_in_month(year: int, month: int) -> int:
    """Return how many working days a month has (the history spreads a month's documents over them)."""
    first = dt.date(year, month, 1).toordinal()
    return sum(is_business_day(o) for o in range(first, first + month_days(year, month)))


def month_end(year: int, month: int) -> int:
    """Return the ordinal of a month's last calendar day."""
    return dt.date(year, month, month_days(year, month)).toordinal()


def add_months(day: dt.date, months: int) -> dt.date:
    """Move a date by whole months, keeping the day of month where the target month has it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, month_days(year, month + 1)))


def history_start(end: dt.date) -> dt.date:
    """Return the first day of the history that ends on ``end`` (HISTORY_DAYS days, both included)."""
    return end - dt.timedelta(days=HISTORY_DAYS - 1)


def history_end_of(start: dt.date) -> dt.date:
    """Return the last day of the history that starts (goes live) on ``start``."""
    return start + dt.timedelta(days=HISTORY_DAYS - 1)
