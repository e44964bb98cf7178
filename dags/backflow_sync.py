"""
### backflow_sync — 数据回流: Level-1 tables into the warehouse's `ods` layer

Copies every table of the backflow inventory (`include/config/backflow_tables.yaml`) from
Level-1 (`level1_source`, read-only) into `ods.<table>` in `level2_warehouse`: incremental
by cursor with a lookback window, or full rebuild swapped in atomically; deletions marked
in `_deleted_at`; schema drift checked; Level-1 ↔ ods reconciled. One task per table, or per
`batch` of small tables (`batch_<name>`: each table its own transaction and ledger row).

**Owner:** finance-data · **Schedule:** daily 01:00 Asia/Shanghai · **Emits:** `ods.<table>` assets.

**Manual trigger:** choose tables (empty = all), *full reload*, or *re-sync from* a timestamp.

#### Triage (on call)
- *Which table?* The task id is the table name (or `batch_<name>`: the error lists each failed table,
  the others are loaded; a retry syncs only the failed ones); the log's last lines quote the error.
- **SourceTableMissing** — the Level-1 table is gone or not granted: fix grants or the inventory's `source`.
- **SchemaDriftError** — the log shows a column diff; nothing was loaded, the watermark did not move.
  Agree the change with Level-1, then migrate `ods` or re-run with *full reload*.
- **ReconciliationMismatch** — loaded but counts/sums differ: usually hard deletes on a table with
  `delete_detection: none`. Re-run that table with *full reload*.
- **check_inventory** never stops the loads: its amber/red findings are `inventory_check` items (the reason
  names the fix); `python -m smartops inventory check` re-checks from a shell.
- Connection errors retry by themselves. Every re-run is safe: a run commits all or nothing.
- History: `ops.sync_ledger`, `ops.table_state`, `ops.schema_change`, `ops.reconciliation`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, Param

from smartops.config.catalog import catalog
from smartops.operators.backflow import BackflowSyncOperator, InventoryCheckOperator
from smartops.operators.dag_defaults import START_DATE, Tag, cron, default_args

inventory = catalog().inventory

with DAG(
    dag_id="backflow_sync",
    description="数据回流: copy the Level-1 table inventory into ods (incremental, audited)",
    doc_md=__doc__,
    schedule=cron("0 1 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.BACKFLOW, Tag.ODS],
    default_args=default_args("finance-data", pool="level1_source", execution_timeout=timedelta(hours=2)),
    params={
        "tables": Param([], type="array", items={"type": "string", "enum": inventory.names},
                        title="Tables", description="Inventory tables to sync; empty means all."),
        "full_reload": Param(False, type="boolean", title="Full reload",
                             description="Rebuild the chosen tables from scratch (atomic swap)."),
        "resync_from": Param(None, type=["null", "string"], format="date-time", title="Re-sync from",
                             description="Re-read rows whose cursor is after this time (ISO 8601)."),
    },
) as dag:
    checked = InventoryCheckOperator(task_id="check_inventory", table_names=inventory.names,
                                     doc_md="Each entry live against Level-1: findings to the backlog, health "
                                            "to 运营中心 → Inventory health. The loads run either way.")
    for task_id, tables in inventory.sync_tasks():
        checked >> BackflowSyncOperator(task_id=task_id, table_names=[t.name for t in tables], trigger_rule="all_done",
                                        doc_md="\n".join(f"- `{t.name}`: {t.description}" for t in tables))
