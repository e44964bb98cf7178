"""The operations record of backflow sync: read a table's state first, write the run's record last.

`read_state` locks the table's row in ops.table_state for the run's transaction and says when
the table was last reconciled whole; `write_success` records the run in the load's own
transaction (ledger row, watermark, applied schema changes, reconciliation); `write_failure`
records a failed run after the load rolled back, so the watermark stays where it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from psycopg.types.json import Jsonb

from smartops.backflow.exceptions import ColumnChange, SchemaDriftError
from smartops.backflow.reconcile import LastTableReconcile
from smartops.backflow.result import SyncResult
from smartops.config.inventory import BackflowTable
from smartops.sqlfiles import named_sql
from smartops.vocabulary import ChangeAction, LedgerStatus, LoadMode

log = logging.getLogger(__name__)

_SQL = "backflow/ledger.sql"


@dataclass(frozen=True)
class TableState:
    """Where a table's sync stands: its watermark (None before the first load) and last whole reconciliation."""

    watermark: str | None
    last_status: LedgerStatus | None
    last_table_reconcile: LastTableReconcile


def read_state(wh: psycopg.Connection, table: str) -> TableState:
    """The table's watermark and last status, locked for this run's transaction, and its last whole reconcile."""
    row = wh.execute(named_sql(_SQL, "read_state"), {"table": table}).fetchone()
    at, day, runs_since = wh.execute(named_sql(_SQL, "last_table_reconcile"), {"table": table}).fetchone()
    return TableState(row[0] if row else None, LedgerStatus(row[1]) if row else None,
                      LastTableReconcile(at, day, runs_since))


def write_success(wh: psycopg.Connection, table: BackflowTable, result: SyncResult, started: datetime) -> None:
    """Record the run in the same transaction as the load: ledger, watermark, drift, reconciliation."""
    status = LedgerStatus.SUCCESS if result.matched else LedgerStatus.MISMATCH
    _insert_ledger(wh, result, started, status, None)
    wh.execute(named_sql(_SQL, "write_state_success"), {
        "table": table.name, "cursor": table.cursor, "watermark": result.watermark_after,
        "run_id": result.run_id, "status": status.value})
    _write_schema_changes(wh, table.name, result.run_id, result.schema_changes, action=ChangeAction.APPLIED)
    with wh.cursor() as cur, cur.copy(named_sql(_SQL, "copy_reconciliation")) as copy:
        for row in result.reconciliation:
            copy.write_row((result.run_id, table.name, row.metric, row.source_value, row.ods_value, row.matched,
                            result.reconcile_scope.value))


def write_failure(warehouse: str, table: BackflowTable, run_id: str, started: datetime, duration_s: float,
                  error: Exception, business_date: date | None) -> None:
    """Record a failed run (and any refused drift) in its own transaction; the watermark stays where it was.

    Never raises for an unreachable warehouse: the run's own error is what the task reports.
    """
    try:
        with psycopg.connect(warehouse) as wh, wh.transaction():
            if isinstance(error, SchemaDriftError):
                _write_schema_changes(wh, table.name, run_id, error.changes, action=ChangeAction.REFUSED)
            _insert_ledger(wh, SyncResult(table=table.name, run_id=run_id, mode=LoadMode.UNKNOWN,
                                          duration_s=duration_s, business_date=business_date),
                           started, LedgerStatus.FAILED, str(error))
            wh.execute(named_sql(_SQL, "write_state_failure"), {
                "table": table.name, "cursor": table.cursor, "run_id": run_id, "status": LedgerStatus.FAILED.value})
    except psycopg.Error:
        log.exception("%s: could not record the failure in the ledger (warehouse unreachable?)", table.name)


def tables_loaded_in_run(warehouse: str, run_id: str) -> set[str]:
    """Tables whose load run `run_id` already committed (success or mismatch)."""
    with psycopg.connect(warehouse) as wh:
        return {name for (name,) in wh.execute(named_sql(_SQL, "tables_loaded_in_run"), {"run_id": run_id})}


def _write_schema_changes(
    wh: psycopg.Connection, table: str, run_id: str, changes: tuple[ColumnChange, ...] | list[ColumnChange], *,
    action: ChangeAction,
) -> None:
    with wh.cursor() as cur, cur.copy(named_sql(_SQL, "copy_schema_changes")) as copy:
        for change in changes:
            copy.write_row((run_id, table, change.column, change.change.value, change.source_type, change.ods_type,
                            action.value))


def _insert_ledger(
    wh: psycopg.Connection, result: SyncResult, started: datetime, status: LedgerStatus, error: str | None
) -> None:
    wh.execute(named_sql(_SQL, "insert_ledger"), {
        "run_id": result.run_id, "table": result.table, "mode": result.mode.value,
        "window_start": result.window_start, "window_end": result.window_end,
        "watermark_before": result.watermark_before, "watermark_after": result.watermark_after,
        "rows_read": result.rows_read, "rows_inserted": result.rows_inserted, "rows_updated": result.rows_updated,
        "rows_deleted": result.rows_deleted, "started_at": started, "duration_s": result.duration_s,
        "rows_per_second": result.rows_per_second, "status": status.value, "error": error,
        "phases": Jsonb(dict(result.phases)), "business_date": result.business_date,
        "reconcile_scope": result.reconcile_scope.value if result.reconcile_scope else None,
    })
