"""
### maintenance — 数据保留: history kept as long as it is needed, no longer

Sundays 03:30 (Asia/Shanghai), outside the daily cycle. Two independent tasks, each step recorded in
`ops.maintenance_run` (what was removed, up to when, by whom):

- **prune_ops_history** — deletes delivery attempts, delivered/expired notifications and old alert
  events, and clears failed-row samples, each past its window in `include/config/retention.yaml`.
  Backlog items and their audit trail (MTTR) are kept for ever; the windows have floors so the
  report and the monthly review always find what they compare.
- **clean_airflow_metadata** — `airflow db clean` (runs, task instances, logs, XComs, jobs …) older than
  `metadata.older_than`; the watchdog alone adds 96 runs a day. Airflow 3 blocks tasks from the
  metadata DB: this task reaches it through the `airflow_metadata` connection only.

**Owner:** platform-ops · **Manual:** *dry run* counts (ops) or lists (metadata) without deleting.

#### Triage (on call)
- **MetadataConnectionMissing** — set `AIRFLOW_CONN_AIRFLOW_METADATA` (compose sets it) and clear the task.
- **MetadataCleanFailed** — the log has the CLI's last lines (credentials masked); often a lock held by a
  long query: clear the task later. Nothing is half-deleted: each table is cleaned in its own transaction.
- `SELECT * FROM ops.maintenance_run ORDER BY finished_at DESC` shows every step and its outcome.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, Param

from smartops.operators.dag_defaults import START_DATE, Tag, cron, default_args
from smartops.operators.maintenance import CleanMetadataOperator, PruneHistoryOperator

with DAG(
    dag_id="maintenance",
    description="数据保留: prune the ops history and Airflow's metadata past retention.yaml, audited",
    doc_md=__doc__,
    schedule=cron("30 3 * * 0"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.OPS],
    default_args=default_args("platform-ops", retries=1, execution_timeout=timedelta(hours=2)),
    params={
        "dry_run": Param(False, type="boolean", title="Dry run",
                         description="Count what would be removed and record it as dry_run; delete nothing."),
    },
) as dag:
    PruneHistoryOperator(task_id="prune_ops_history", doc_md="Prune the ops history past its retention.")
    CleanMetadataOperator(task_id="clean_airflow_metadata", doc_md="airflow db clean past metadata.older_than.")
