"""A deterministic volume series shaped by the business calendar, for the detector tests."""

from __future__ import annotations

from datetime import date, timedelta

from smartops.calendar import BusinessCalendar, DayClass
from smartops.pulse import VolumePoint

CLOSE_VOLUME = {1: 400, 2: 300, 3: 200}  # month-end close: several times an ordinary day
WORKING_VOLUME = 100
NON_WORKING_VOLUME = 5


def typical(day: date, calendar: BusinessCalendar) -> int:
    """The rows a healthy table inserts on `day`: ±5 % jitter on a working day, a few rows on a day off."""
    kind = calendar.day_kind(day)
    jitter = (day.toordinal() * 7) % 11 - 5
    if kind.day_class is DayClass.NON_WORKING:
        return 0 if kind.holiday_zh else NON_WORKING_VOLUME + jitter % 3  # holidays are quieter than weekends
    if kind.day_class is DayClass.CLOSE_WINDOW:
        return CLOSE_VOLUME[kind.close_day] + 4 * jitter
    return WORKING_VOLUME + jitter


def series(first: date, last: date, calendar: BusinessCalendar, **overrides: int) -> list[VolumePoint]:
    """Points from `first` to `last`; overrides by ISO date with underscores (d2026_03_10=0)."""
    points = []
    day = first
    while day <= last:
        value = overrides.get(f"d{day.isoformat().replace('-', '_')}", typical(day, calendar))
        points.append(VolumePoint(day, rows_inserted=value, rows_updated=value // 10))
        day += timedelta(days=1)
    return points
