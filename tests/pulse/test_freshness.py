"""Freshness: working days since the newest row, judged on working days only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smartops.calendar import BusinessCalendar
from smartops.config.pulse import FreshnessPolicy
from smartops.pulse import FindingKind, VolumePoint, judge_freshness, newest_activity
from smartops.vocabulary import Category

EVERY_DAY = FreshnessPolicy(changes_every_working_day=True)


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def test_should_find_a_table_stuck_for_two_working_days(calendar):
    verdict = judge_freshness("gl_voucher", date(2026, 3, 12), date(2026, 3, 10), calendar, EVERY_DAY)
    assert verdict.finding is FindingKind.STALE and verdict.idle_working_days == 2
    assert verdict.category is Category.FRESHNESS and verdict.business_date == date(2026, 3, 12)
    assert "no new rows for 2 working days" in verdict.reason_en and "连续 2 个工作日无新数据" in verdict.reason_zh


def test_should_find_nothing_when_the_newest_rows_are_from_the_judged_day(calendar):
    assert judge_freshness("t", date(2026, 3, 12), date(2026, 3, 12), calendar, EVERY_DAY).finding is None
    # Rows dated after D (loaded by the morning run) are fresh too.
    assert judge_freshness("t", date(2026, 3, 12), date(2026, 3, 13), calendar, EVERY_DAY).finding is None


def test_should_raise_nothing_on_weekends_and_holidays(calendar):
    friday = date(2026, 2, 13)
    for day in (friday + timedelta(days=i) for i in range(1, 11)):  # 调休 Saturday 14th, then the holiday
        verdict = judge_freshness("t", day, date(2026, 2, 14), calendar, EVERY_DAY)
        assert verdict.finding is None, verdict.reason_en
    assert judge_freshness("t", date(2026, 2, 24), date(2026, 2, 14), calendar, EVERY_DAY).idle_working_days == 1


def test_should_count_a_make_up_saturday_as_a_working_day_without_rows(calendar):
    verdict = judge_freshness("t", date(2026, 2, 14), date(2026, 2, 13), calendar, EVERY_DAY)
    assert verdict.finding is FindingKind.STALE and verdict.idle_working_days == 1


def test_should_allow_more_idle_working_days_when_configured(calendar):
    policy = FreshnessPolicy(changes_every_working_day=True, max_idle_working_days=3)
    assert judge_freshness("t", date(2026, 3, 12), date(2026, 3, 10), calendar, policy).finding is None
    assert judge_freshness("t", date(2026, 3, 13), date(2026, 3, 10), calendar, policy).finding is FindingKind.STALE


def test_should_not_judge_tables_not_declared_to_change_every_working_day(calendar):
    assert judge_freshness("account", date(2026, 3, 12), date(2025, 1, 1), calendar) is None


def test_should_take_the_newest_activity_known_by_the_business_date():
    points = [VolumePoint(date(2026, 3, 9), 5), VolumePoint(date(2026, 3, 10), 0), VolumePoint(date(2026, 3, 12), 7)]
    assert newest_activity(points, date(2026, 3, 11)) == date(2026, 3, 9)
    assert newest_activity(points, date(2026, 3, 12)) == date(2026, 3, 12)
    assert newest_activity(points, date(2026, 3, 8)) is None


def test_should_mark_a_verdict_on_an_estimated_calendar_year(calendar):
    verdict = judge_freshness("t", date(2027, 3, 10), date(2027, 3, 8), calendar, EVERY_DAY)
    assert verdict.estimated_calendar and "estimate" in verdict.reason_en
