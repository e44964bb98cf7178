"""`make demo`: the daily cycle replayed headless for the last N days, anchored to today.

The demo Level-1 is seeded with a history ending N days before yesterday (Asia/Shanghai); each
following day up to yesterday is simulated at Level-1 and its cycle (`airflow dags test`, through
workbench.dag_test, of every DAG in order) runs dated the morning after, so every day's report
shows that day's syncs. When it is done, the asset events the test runs queued are cleared, so a
later `make run` does not replay them as stale asset-triggered runs.

Quiet failures, staged so the product can be seen catching them (`incident_schedule`), when at least
three days are simulated:

- the second simulated day: a voucher with balanced lines posted into the last closed accounting
  period without reopening it (Incident.CLOSED_PERIOD_POSTING);
- the third simulated day: Level-1 delivers only about half of the day's new vouchers (with their
  lines) and claims (Incident.HALF_DAY). Nothing is posted on a day off, so when the third day is
  not a working day the half day moves to the next working day being simulated (none left: no half day);
- the next working day after it: Level-1 goes silent — the day's close runs, nothing new arrives
  (Incident.EMPTY_DAY).

At make demo's size (scale 1, about 18 vouchers a working day) half a day is within the day-to-day
noise the volume detector allows (it flags it from about scale 3); the silent day and the posting into
the closed period are flagged at any size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta

from smartops.business_date import BUSINESS_TZ
from smartops.calendar import default_calendar
from smartops.paths import PROJECT_ROOT
from workbench.demo.vocab import Incident

# The daily cycle in dependency order, with the param that carries the business date.
DAILY_CYCLE = {
    "backflow_sync": None,
    "aggregation": "business_date",
    "quality_scan": "business_date",
    "scenario_refresh": "business_date",
    "data_pulse": "business_date",
    "operations_report": "report_date",
}
# The demo plays the ops team once: after the second simulated day it acknowledges the worst item.
ACKNOWLEDGE_AFTER_DAY = 2
RUN_CLOCK = time(2)  # the cycle of a day runs the next morning
INCIDENT_MIN_DAYS = 3  # fewer simulated days stage no incident
_CLEAR_ASSET_QUEUE = """
from airflow.models.asset import AssetDagRunQueue
from airflow.utils.session import create_session
with create_session() as session:
    print(session.query(AssetDagRunQueue).delete())
"""


def yesterday() -> date:
    return datetime.now(BUSINESS_TZ).date() - timedelta(days=1)


def days_to_replay(history_end: date | None, count: int) -> list[date]:
    """The next `count` days after the Level-1 history, never later than yesterday.

    Level-1 already current (a second demo): the last day again, so there is still a cycle to show.
    """
    last = yesterday()
    start = (history_end or last - timedelta(days=count)) + timedelta(days=1)
    days = [start + timedelta(days=i) for i in range(count) if start + timedelta(days=i) <= last]
    return days or [min(history_end or last, last)]


def incident_schedule(simulated: list[date]) -> dict[date, Incident]:
    """Return the incident staged on each simulated day (see the module docstring); none below three days."""
    if len(simulated) < INCIDENT_MIN_DAYS:
        return {}
    schedule = {simulated[1]: Incident.CLOSED_PERIOD_POSTING}
    working = [day for day in simulated[2:] if default_calendar().is_working_day(day)]
    schedule.update(zip(working, (Incident.HALF_DAY, Incident.EMPTY_DAY), strict=False))
    return schedule


def run_time(day: date) -> str:
    """When the cycle of `day` runs: 02:00 the next morning, or now if that has not come yet."""
    return min(datetime.combine(day + timedelta(days=1), RUN_CLOCK, BUSINESS_TZ), datetime.now(BUSINESS_TZ)).isoformat()


def replay(env: dict[str, str], level1_admin: str | None, days: int, *, dirty_rate: float, dirty_days: int) -> None:
    """Simulate and run the cycle of each day to replay; print a summary per day."""
    from workbench.demo.corrections import correct_dirty_rows
    from workbench.demo.generator import history_end
    from workbench.demo.simulator import simulate_day
    from workbench.demo_summary import acknowledge_top_item, print_cycle_summary

    if level1_admin is None:
        raise SystemExit("The demo simulates days at Level-1: it needs the embedded demo database (unset the "
                         "AIRFLOW_CONN_* variables, or run the DAGs on your own servers without `make demo`).")
    end = history_end(level1_admin)
    warehouse = env["AIRFLOW_CONN_LEVEL2_WAREHOUSE"]
    replayed = days_to_replay(end, days)
    incidents = incident_schedule([day for day in replayed if end is None or day > end])
    for index, day in enumerate(replayed):
        if end is None or day > end:
            rate = dirty_rate if index < dirty_days else 0.0
            incident = incidents.get(day)
            simulate_day(level1_admin, day=day, dirty_rate=rate, incident=incident)
            corrected = correct_dirty_rows(level1_admin, day=day)
            staged = f"; incident: {incident}" if incident else ""
            print(f"\n=== business day {day} (simulated; dirty rate {rate:g}{staged}; Level-1 corrected "
                  f"{sum(corrected.values())} older dirty rows) ===", flush=True)
        else:
            print(f"\n=== business day {day} (Level-1 is current: the cycle runs again) ===", flush=True)
        for dag_id, date_param in DAILY_CYCLE.items():
            conf = {date_param: day.isoformat()} if date_param else {}
            run = subprocess.run([sys.executable, "-m", "workbench.dag_test", dag_id, run_time(day), "--conf",
                                  json.dumps(conf)], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                                 check=False)
            # A red run is an outcome to show, not a reason to stop: later stages handle it.
            outcome = "success" if run.returncode == 0 else "failed: red in the UI; the backlog and the report say why"
            print(f"  {dag_id:<18} {outcome}", flush=True)
        print_cycle_summary(warehouse)
        if index + 1 == ACKNOWLEDGE_AFTER_DAY:
            acknowledge_top_item(warehouse)
    cleared = subprocess.run([sys.executable, "-c", _CLEAR_ASSET_QUEUE], env=env, capture_output=True, text=True,
                             check=True).stdout.strip()
    print(f"\ncleared {cleared or 0} queued asset events, so `make run` starts from today's schedules", flush=True)
