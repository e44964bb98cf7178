"""The demo calendar: official holidays where known, a fixed-date approximation for any other year."""

from __future__ import annotations

import datetime as dt

from workbench.demo.calendar import (
    add_business_days,
    history_end_of,
    history_start,
    holidays,
    is_business_day,
    last_business_day,
    next_business_day,
)


def days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def test_should_take_weekends_and_the_fixed_date_holidays_off_in_a_year_outside_the_table() -> None:
    off = {dt.date.fromordinal(o) for o in holidays(2028)}
    expected = {dt.date(2028, 1, 1)} | {dt.date(2028, 5, d) for d in range(1, 6)} | {
        dt.date(2028, 10, d) for d in range(1, 8)
    }

    assert off == expected
    for day in days_of(2028):
        assert is_business_day(day.toordinal()) == (day.weekday() < 5 and day not in expected), day
    assert 240 <= sum(is_business_day(day.toordinal()) for day in days_of(2028)) <= 255


def test_should_use_the_official_table_where_it_has_the_year() -> None:
    assert not is_business_day(dt.date(2026, 2, 17).toordinal())  # Spring Festival, a Tuesday
    assert not is_business_day(dt.date(2025, 10, 8).toordinal())  # National Day week runs to the 8th in 2025
    assert is_business_day(dt.date(2026, 10, 8).toordinal())


def test_should_move_across_holidays_and_year_ends() -> None:
    assert next_business_day(dt.date(2027, 12, 31).toordinal() + 1) == dt.date(2028, 1, 3).toordinal()
    assert last_business_day(dt.date(2028, 10, 7).toordinal()) == dt.date(2028, 9, 29).toordinal()
    assert add_business_days(dt.date(2028, 4, 28).toordinal(), 1) == dt.date(2028, 5, 8).toordinal()


def test_should_span_the_same_history_window_for_any_end() -> None:
    assert history_start(dt.date(2026, 11, 28)) == dt.date(2025, 1, 1)
    for end in (dt.date(2026, 11, 28), dt.date(2028, 2, 29), dt.date(2031, 7, 1)):
        assert history_end_of(history_start(end)) == end
        assert 22 <= (end - history_start(end)).days / 30.44 <= 23
