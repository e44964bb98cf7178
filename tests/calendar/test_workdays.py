"""China's working days with 调休: the 2026 schedule, calendar.yaml corrections, estimated years."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from smartops.calendar import BusinessCalendar, CoverageSource
from smartops.config.calendar import CalendarConfig, Day


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def test_should_count_the_tiaoxiu_saturday_as_a_working_day(calendar):
    assert calendar.is_working_day(date(2026, 2, 14))
    assert calendar.is_makeup_workday(date(2026, 2, 14))
    assert calendar.day_kind(date(2026, 2, 14)).makeup_workday


def test_should_give_the_spring_festival_week_off(calendar):
    days = [date(2026, 2, 16) + timedelta(days=i) for i in range(5)]
    assert [calendar.is_working_day(d) for d in days] == [False] * 5
    assert calendar.holiday_name(date(2026, 2, 17)) == "春节"
    assert calendar.holiday_name(date(2026, 2, 17), language="en") == "Chinese New Year (Spring Festival)"
    assert calendar.is_working_day(date(2026, 2, 24))


def test_should_count_only_public_holidays_not_the_half_day_ones(calendar):
    # Women's Day, Youth Day, Children's Day, Army Day on weekdays: off for some employees only.
    for day in (date(2024, 3, 8), date(2023, 5, 4), date(2026, 6, 1), date(2025, 8, 1)):
        assert calendar.is_working_day(day), day
        assert calendar.holiday_name(day) is None, day


def test_should_count_working_days_between_dates(calendar):
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 16)) == 1  # Sat 14 (调休)
    assert calendar.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0  # the holiday
    assert calendar.working_days_between(date(2026, 2, 14), date(2026, 2, 24)) == 1
    assert calendar.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2  # Sun 4 (调休), Mon 5
    assert calendar.working_days_between(date(2026, 1, 5), date(2025, 12, 31)) == -2


def test_should_step_to_the_previous_and_next_working_day(calendar):
    assert calendar.previous_working_day(date(2026, 2, 24)) == date(2026, 2, 14)
    assert calendar.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)
    assert calendar.next_working_day(date(2025, 12, 31)) == date(2026, 1, 4)


def test_should_number_working_days_within_the_month(calendar):
    assert calendar.working_day_of_month(date(2026, 1, 4)) == 1  # a make-up Sunday opens January
    assert calendar.working_day_of_month(date(2026, 1, 6)) == 3
    assert calendar.working_day_of_month(date(2026, 1, 3)) is None


def test_should_mark_a_year_outside_the_official_schedule_as_estimated_and_warn_once(caplog):
    calendar = BusinessCalendar()
    with caplog.at_level(logging.WARNING, logger="smartops.calendar.workdays"):
        kinds = [calendar.day_kind(date(2027, 3, 1) + timedelta(days=i)) for i in range(40)]
    assert all(k.estimated for k in kinds)
    assert not calendar.covered(2027) and calendar.covered(2026)
    coverage = calendar.coverage(2027)
    assert coverage.source is CoverageSource.ESTIMATE
    assert coverage.message_en == ("calendar for 2027 is an estimate: update the holidays package or list the "
                                   "year's days in calendar.yaml")
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


def test_should_take_a_year_listed_in_calendar_yaml_as_its_schedule():
    config = CalendarConfig(extra_holidays=[Day(date=date(2027, 2, 8), name="春节"), Day(date=date(2027, 2, 9))],
                            extra_workdays=[Day(date=date(2027, 2, 20))])
    calendar = BusinessCalendar(config)
    assert calendar.covered(2027) and calendar.coverage(2027).source is CoverageSource.CALENDAR_YAML
    assert not calendar.is_working_day(date(2027, 2, 8)) and calendar.holiday_name(date(2027, 2, 8)) == "春节"
    assert calendar.is_working_day(date(2027, 2, 20)) and calendar.is_makeup_workday(date(2027, 2, 20))
    # The package's estimate (e.g. National Day week) no longer applies: only the listed days are off.
    assert calendar.is_working_day(date(2027, 10, 4))
    assert not calendar.day_kind(date(2027, 2, 10)).estimated


def test_should_apply_company_days_off_and_corrections_in_an_official_year():
    config = CalendarConfig(company_days_off=[Day(date=date(2026, 3, 13), name="年度盘点")],
                            extra_workdays=[Day(date=date(2026, 2, 23))])
    calendar = BusinessCalendar(config)
    assert not calendar.is_working_day(date(2026, 3, 13))
    assert calendar.holiday_name(date(2026, 3, 13)) == "年度盘点"
    assert calendar.is_working_day(date(2026, 2, 23))
    assert calendar.coverage(2026).source is CoverageSource.OFFICIAL
