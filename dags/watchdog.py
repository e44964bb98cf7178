"""
### watchdog — 运行看门狗: alerts that do not depend on callbacks

Every 15 minutes, reads Airflow's own state (its REST API, connection `airflow_api`) and the `ops` tables,
and raises alerts through the one alert path (`smartops.alerting.raise_alert`) for:
daily runs that did not start by their expected time, runs stuck far beyond their usual
duration, failed tasks that produced no alert event (killed tasks fire no callback), tables
past their freshness SLA, DAG files that fail to import, and sync throughput drops.
Findings that cleared resolve their backlog items by themselves.

**Owner:** platform-ops · **Schedule:** every 15 minutes · **Config:** `include/config/alerting.yaml` → `watchdog`.

#### Triage (on call)
- *This DAG failed:* the warehouse (`level2_warehouse`) or Airflow's REST API (`airflow_api`) is unreachable —
  alerts are not being checked. Fix the connection; the next run catches up (it looks back `watchdog.lookback`).
- *Too many findings:* tune `start_grace`, `stuck_factor`, `stuck_minimum` in alerting.yaml.
- Re-running is safe: repeats are counted on the same backlog items and suppressed per interval.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from smartops.operators.dag_defaults import START_DATE, Tag, cron, default_args
from smartops.operators.ops import WatchdogOperator

with DAG(
    dag_id="watchdog",
    description="运行看门狗: missed/stuck runs, silent failures, freshness SLA, import errors",
    doc_md=__doc__,
    schedule=cron("*/15 * * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.OPS, Tag.ALERTING],
    default_args=default_args("platform-ops", retries=1, retry_delay=timedelta(minutes=2),
                              execution_timeout=timedelta(minutes=10)),
) as dag:
    WatchdogOperator(task_id="watch", doc_md="Detect and alert; returns the findings as `kind object` lines.")
