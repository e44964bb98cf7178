"""What every DAG of the project starts from: default_args with the alert route, start date, schedules, tags."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import pendulum
from airflow.sdk import AsyncCallback, CronTriggerTimetable, DeadlineAlert, DeadlineReference, Param
from airflow.sdk.definitions.timetables.trigger import MultipleCronTriggerTimetable

from smartops.business_date import BUSINESS_TIMEZONE
from smartops.config.alerting import Deadlines, load_alerting_config
from smartops.errors import ConfigError
from smartops.fields import parse_clock, parse_duration
from smartops.operators.base import REASON_PARAM, REWIND_PARAM
from smartops.operators.callbacks import deadline_missed, task_failure_alert, task_success_resolve

START_DATE = pendulum.datetime(2026, 1, 1, tz=BUSINESS_TIMEZONE)


class Tag(StrEnum):
    """The approved DAG tags (the UI's filters); tests/dags/test_dag_integrity.py refuses any other."""

    BACKFLOW = "backflow"
    AGGREGATION = "aggregation"
    QUALITY = "quality"
    SCENARIO = "scenario"
    ODS = "ods"
    DWD = "dwd"
    DWS = "dws"
    ADS = "ads"
    OPS = "ops"
    ALERTING = "alerting"
    REPORT = "report"


def cron(expression: str) -> CronTriggerTimetable:
    """A cron schedule in the business timezone (Asia/Shanghai)."""
    return CronTriggerTimetable(expression, timezone=BUSINESS_TIMEZONE)


def crons(*expressions: str) -> MultipleCronTriggerTimetable:
    """Several cron schedules of one DAG, in the business timezone (e.g. weekly and monthly)."""
    return MultipleCronTriggerTimetable(*expressions, timezone=BUSINESS_TIMEZONE)


def deadline_policy() -> Deadlines:
    """alerting.yaml's deadlines; its defaults when the file is broken (the alert path reports the file)."""
    try:
        return load_alerting_config().deadlines
    except ConfigError:
        return Deadlines()


def deadline_by(clock: str, *, schedule_time: str) -> DeadlineAlert:
    """A run due at `schedule_time` ("HH:MM") must finish by `clock` ("HH:MM", same day, Asia/Shanghai)."""
    day = datetime(2000, 1, 3)
    interval = datetime.combine(day, parse_clock(clock)) - datetime.combine(day, parse_clock(schedule_time))
    if interval <= timedelta(0):
        raise ValueError(f"deadline {clock} is not after the run's time {schedule_time}")
    return DeadlineAlert(reference=DeadlineReference.DAGRUN_LOGICAL_DATE, interval=interval,
                         callback=AsyncCallback(deadline_missed), name=f"done by {clock}")


def deadline_within(duration: str) -> DeadlineAlert:
    """A run (asset-triggered: no logical date) must finish within `duration` of being queued."""
    return DeadlineAlert(reference=DeadlineReference.DAGRUN_QUEUED_AT, interval=parse_duration(duration),
                         callback=AsyncCallback(deadline_missed), name=f"done within {duration}")


def business_date_param(name: str = "business_date", *, meaning: str = "the day before the run") -> dict[str, Param]:
    """The form field of a dated stage's business date (YYYY-MM-DD; empty = `meaning`)."""
    return {name: Param(None, type=["null", "string"], format="date", title=name.replace("_", " ").capitalize(),
                        description=f"The business date to run for (YYYY-MM-DD); empty = {meaning}.")}


def override_params() -> dict[str, Param]:
    """The form fields of a dated stage's audited overrides: rebuild an older date (rewind), and why."""
    return {
        REWIND_PARAM: Param(False, type="boolean", title="Rewind",
                            description="Allow a business date older than the one already published "
                                        "(replaces newer data with older; audited)."),
        REASON_PARAM: Param("", type="string", maxLength=500, title="Reason",
                            description="Why you override (rewind, skip gate); kept in ops.manual_override "
                                        "with your user name."),
    }


def default_args(owner: str, *, retries: int = 2, retry_delay: timedelta | None = None,
                 **overrides: Any) -> dict[str, Any]:
    """Return default_args with the house alert route: failures alert, successes resolve their items.

    Retries apply only to retryable errors (the stage operator fails the rest at once). Without
    retry_delay Airflow's `[core] default_task_retry_delay` applies (300 s unless configured).
    Keyword overrides (pool, execution_timeout, …) are added as given.
    """
    return {
        "owner": owner,
        "retries": retries,
        **({"retry_delay": retry_delay} if retry_delay else {}),
        "on_failure_callback": task_failure_alert,
        "on_success_callback": task_success_resolve,
        **overrides,
    }
