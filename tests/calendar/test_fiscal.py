"""Fiscal periods and the month-end close window on the working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from smartops.calendar import BusinessCalendar, DayClass
from smartops.config.calendar import CalendarConfig, Fiscal


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def test_should_name_the_period_of_a_day(calendar):
    assert calendar.period_of(date(2026, 2, 14)) == "2026-02"
    assert BusinessCalendar(CalendarConfig(fiscal=Fiscal(period_format="%Y%m"))).period_of(date(2026, 2, 1)) == "202602"


def test_should_place_the_close_window_on_the_first_working_days_of_the_next_month(calendar):
    # January 2026: 1-3 off (New Year), Sunday 4 a make-up working day.
    assert calendar.close_window(date(2025, 12, 31)) == [date(2026, 1, 4), date(2026, 1, 5), date(2026, 1, 6)]
    assert [calendar.close_day_index(d) for d in (date(2026, 1, 4), date(2026, 1, 6), date(2026, 1, 7))] == [1, 3, None]
    assert calendar.closing_period(date(2026, 1, 5)) == "2025-12"
    assert calendar.closing_period(date(2026, 1, 7)) is None
    # October 2026: National Day week, then Thursday 8, Friday 9 and the make-up Saturday 10.
    assert calendar.close_window(date(2026, 9, 1)) == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]


def test_should_follow_the_configured_close_window_length():
    calendar = BusinessCalendar(CalendarConfig(fiscal=Fiscal(close_window_days=5)))
    assert calendar.in_close_window(date(2026, 3, 6)) and not calendar.in_close_window(date(2026, 3, 9))


def test_should_describe_the_kind_of_a_day(calendar):
    kind = calendar.day_kind(date(2026, 3, 2))
    assert (kind.working, kind.weekday, kind.close_day, kind.day_class) == (True, 0, 1, DayClass.CLOSE_WINDOW)
    holiday = calendar.day_kind(date(2026, 2, 17))
    assert holiday.day_class is DayClass.NON_WORKING and holiday.holiday_zh == "春节" and not holiday.estimated
    assert calendar.day_kind(date(2026, 2, 14)).day_class is DayClass.WORKING
    assert calendar.day_kind(date(2026, 3, 10)).describe("en") == "working day"


def test_should_count_the_days_off_before_a_day(calendar):
    assert calendar.day_kind(date(2026, 3, 9)).days_off_before == 2  # a Monday
    assert calendar.day_kind(date(2026, 3, 10)).days_off_before == 0
    assert calendar.day_kind(date(2026, 2, 24)).days_off_before == 9  # after the Spring Festival
    assert calendar.day_kind(date(2026, 2, 14)).days_off_before == 0  # the 调休 Saturday follows a Friday
