"""Business days for any year, and the window of the seeded history.

Dates are handled as proleptic ordinals (``date.toordinal()``) because the generator does arithmetic on
millions of them; ``ordinal % 7`` is 0 on Sundays and 6 on Saturdays.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# The State Council's holiday schedule for the years it is published here (make-up working weekends
# are not modelled).
_OFFICIAL_HOLIDAYS: dict[int, tuple[tuple[str, str], ...]] = {
    2025: (
        ("2025-01-01", "2025-01-01"),
        ("2025-01-28", "2025-02-04"),
        ("2025-04-04", "2025-04-06"),
        ("2025-05-01", "2025-05-05"),
        ("2025-05-31", "2025-06-02"),
        ("2025-10-01", "2025-10-08"),
    ),
    2026: (
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ),
}
# Other years use an approximation: the fixed-date holidays New Year's Day, Labour Day week (1-5 May)
# and National Day week (1-7 October) on top of weekends. The lunar holidays (Spring Festival, Qingming,
# Dragon Boat, Mid-Autumn) move every year and are not approximated.
_FIXED_HOLIDAYS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((1, 1), (1, 1)),
    ((5, 1), (5, 5)),
    ((10, 1), (10, 7)),
)

HISTORY_DAYS = 697  # length of the seeded history: 2025-01-01 to 2026-11-28, about 23 months


@cache
def holidays(year: int) -> frozenset[int]:
    """Return the ordinals of a year's public holidays (official table, or the fixed-date approximation)."""
    if year in _OFFICIAL_HOLIDAYS:
        ranges = [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in _OFFICIAL_HOLIDAYS[year]]
    else:
        ranges = [(dt.date(year, *first), dt.date(year, *last)) for first, last in _FIXED_HOLIDAYS]
    return frozenset(o for first, last in ranges for o in range(first.toordinal(), last.toordinal() + 1))


class _BusinessDays(dict[int, bool]):
    """Memo of ordinal -> is a working day, filled on first use of each day."""

    def __missing__(self, ordinal: int) -> bool:
        value = ordinal % 7 not in (0, 6) and ordinal not in holidays(dt.date.fromordinal(ordinal).year)
        self[ordinal] = value
        return value


_BUSINESS_DAYS = _BusinessDays()


def is_business_day(ordinal: int) -> bool:
    """Tell whether a date ordinal is a Chinese working day (weekends and public holidays off)."""
    return _BUSINESS_DAYS[ordinal]


def next_business_day(ordinal: int) -> int:
    """Return the first business day on or after the ordinal."""
    while not _BUSINESS_DAYS[ordinal]:
        ordinal += 1
    return ordinal


def last_business_day(ordinal: int) -> int:
    """Return the last business day on or before the ordinal."""
    while not _BUSINESS_DAYS[ordinal]:
        ordinal -= 1
    return ordinal


def add_business_days(ordinal: int, days: int) -> int:
    """Return the ordinal moved forward by a number of business days (from the next business day)."""
    ordinal = next_business_day(ordinal)
    for _ in range(days):
        ordinal = next_business_day(ordinal + 1)
    return ordinal


def month_days(year: int, month: int) -> int:
    """Return the number of days of a month."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


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
