"""make demo is true on any day: it replays the days up to yesterday, each cycle dated the morning after."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from smartops.business_date import BUSINESS_TZ
from workbench.demo.vocab import Incident
from workbench.demo_cycle import days_to_replay, incident_schedule, run_time, yesterday


def test_should_replay_the_days_after_the_history_up_to_yesterday():
    last = yesterday()
    assert days_to_replay(last - timedelta(days=3), 3) == [last - timedelta(days=2), last - timedelta(days=1), last]
    assert days_to_replay(last - timedelta(days=10), 2) == [last - timedelta(days=9), last - timedelta(days=8)]
    assert days_to_replay(last, 5) == [last], "Level-1 already current: yesterday's cycle runs again"


def test_should_date_each_cycle_the_morning_after_its_day_and_never_in_the_future():
    last = yesterday()
    assert datetime.fromisoformat(run_time(last - timedelta(days=2))) == datetime.combine(
        last - timedelta(days=1), datetime.min.time().replace(hour=2), BUSINESS_TZ)
    assert datetime.fromisoformat(run_time(last)) <= datetime.now(BUSINESS_TZ)
    assert datetime.fromisoformat(run_time(last)).date() in {last, last + timedelta(days=1)}


def week(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def test_should_stage_a_closed_period_posting_on_day_two_a_half_day_on_day_three_then_a_silent_day():
    days = week(date(2026, 12, 1), 5)  # Tuesday to Saturday
    assert incident_schedule(days) == {days[1]: Incident.CLOSED_PERIOD_POSTING, days[2]: Incident.HALF_DAY,
                                       days[3]: Incident.EMPTY_DAY}
    assert incident_schedule(days[:2]) == {}, "fewer than three simulated days stage nothing"


def test_should_move_the_half_day_to_the_next_working_day_when_day_three_is_a_day_off():
    days = week(date(2026, 12, 4), 4)  # Friday to Monday
    assert incident_schedule(days) == {days[1]: Incident.CLOSED_PERIOD_POSTING, days[3]: Incident.HALF_DAY}
    assert incident_schedule(days[:3]) == {days[1]: Incident.CLOSED_PERIOD_POSTING}, "no working day to halve"
    festival = week(date(2026, 2, 13), 4)  # Friday, make-up Saturday 14th, then 春节
    assert incident_schedule(festival) == {festival[1]: Incident.CLOSED_PERIOD_POSTING}
