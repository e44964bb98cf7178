"""make demo is true on any day: it replays the days up to yesterday, each cycle dated the morning after."""

from __future__ import annotations

from datetime import datetime, timedelta

from smartops.business_date import BUSINESS_TZ
from workbench.demo_cycle import days_to_replay, run_time, yesterday


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
