"""The business date (业务日期) convention every stage shares: a run stands for the day before it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smartops.errors import ConfigError

# The one business timezone: schedules, business dates and every time shown to people.
BUSINESS_TIMEZONE = "Asia/Shanghai"
BUSINESS_TZ = ZoneInfo(BUSINESS_TIMEZONE)


class InvalidBusinessDate(ConfigError):
    """The business_date parameter is malformed or lies in the future."""

    def __init__(self, value: object, run_date: date) -> None:
        self.value = value
        super().__init__(
            f"business_date={value!r} is not a valid business date: it must be an ISO date (YYYY-MM-DD) "
            f"no later than the run date {run_date.isoformat()}; leave it empty to use the day before the run"
        )


def run_time(context: Mapping[str, Any]) -> datetime:
    """The time a run stands for: its logical date when it has one, else when it was due to run."""
    return context.get("logical_date") or context["dag_run"].run_after


def triggering_business_date(context: Mapping[str, Any]) -> date | None:
    """The newest business date the run's triggering asset events carry (the data upstream published).

    Events queued from several upstream runs stand for the newest of them, since the upstream tables
    hold that run's data. Each is parsed first (compared as dates, never as strings); one that is not
    an ISO date raises InvalidBusinessDate naming it.
    """
    dates = []
    for events in context.get("triggering_asset_events", {}).values():
        for event in events:
            value = event.extra.get("business_date") if event.extra else None
            if value:
                try:
                    dates.append(date.fromisoformat(str(value)))
                except ValueError:
                    raise InvalidBusinessDate(value, run_time(context).astimezone(BUSINESS_TZ).date()) from None
    return max(dates) if dates else None


def resolve_business_date(value: str | date | None, run_after: datetime) -> date:
    """Return the business date of a run: `value` if given, else the day before the run (Asia/Shanghai).

    Raise InvalidBusinessDate when `value` is not an ISO date or lies after the run's day.
    """
    run_date = run_after.astimezone(BUSINESS_TZ).date()
    if value is None or value == "":
        return run_date - timedelta(days=1)
    try:
        business_date = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise InvalidBusinessDate(value, run_date) from None
    if business_date > run_date:
        raise InvalidBusinessDate(value, run_date)
    return business_date
