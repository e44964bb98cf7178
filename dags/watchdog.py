"""
### watchdog — 运行看门狗: alerts that do not depend on callbacks

Every 15 minutes, reads Airflow's own state (metadata DB, read-only) and the `ops` tables,
and raises alerts through the one alert path (`smartops.alerting.raise_alert`) for:
daily runs that did not start by their expected time, runs stuck far beyond their usual
duration, failed tasks that produced no alert event (killed tasks fire no callback), tables
past their freshness SLA, DAG files that fail to import, and sync throughput drops.
Findings that cleared resolve their backlog items by themselves.

**Owner:** platform-ops · **Schedule:** every 15 minutes · **Config:** `include/config/alerting.yaml` → `watchdog`.

#### Triage (on call)
- *This DAG failed:* the warehouse (`level2_warehouse`) or the metadata DB is unreachable — alerts are
  not being checked. Fix the connection; the next run catches up (it looks back `watchdog.lookback`).
- *Too many findings:* tune `expected_runs`, `stuck_factor`, `stuck_minimum` in alerting.yaml.
- Re-running is safe: repeats are counted on the same backlog items and suppressed per interval.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, CronTriggerTimetable, task

from smartops.dag_defaults import default_args


with DAG(
    dag_id="watchdog",
    description="运行看门狗: missed/stuck runs, silent failures, freshness SLA, import errors",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("*/15 * * * *", timezone="Asia/Shanghai"),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    tags=["ops", "alerting"],
    default_args=default_args("platform-ops", retries=1, retry_delay=timedelta(minutes=2),
                              execution_timeout=timedelta(minutes=10)),
) as dag:

    @task
    def watch() -> list[str]:
        """Detect and alert; return the findings as `kind object` lines."""
        from smartops.alerting.tasks import watchdog_task

        return watchdog_task()

    watch()
