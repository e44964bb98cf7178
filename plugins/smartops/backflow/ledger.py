"""The operations record of backflow sync: table state (watermarks), ledger, drift, reconciliation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from smartops.backflow.exceptions import ColumnChange
from smartops.backflow.schema import DELETED_AT
from smartops.config.inventory import BackflowTable
from smartops.sqlfiles import named_sql
from smartops.vocabulary import ChangeAction, LedgerStatus, LoadMode, ReconcileScope

_SQL = "backflow/ledger.sql"


@dataclass(frozen=True)
class TableState:
    watermark: str | None
    last_status: LedgerStatus


@dataclass(frozen=True)
class ReconciliationRow:
    metric: str
    source_value: Decimal | int | None
    ods_value: Decimal | int | None

    @property
    def matched(self) -> bool:
        return self.source_value == self.ods_value

    def describe(self) -> str:
        return f"{self.metric}: Level-1={self.source_value} ods={self.ods_value}"


@dataclass
class SyncResult:
    """What one table's sync did; mirrors its ledger row."""

    table: str
    run_id: str
    mode: LoadMode
    window_start: str | None = None
    window_end: str | None = None
    watermark_before: str | None = None
    watermark_after: str | None = None
    business_date: date | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    duration_s: float = 0.0
    schema_changes: list[ColumnChange] = field(default_factory=list)
    reconciliation: list[ReconciliationRow] = field(default_factory=list)
    reconcile_scope: ReconcileScope | None = None  # which rows the verdict covers; None when it failed
    # Seconds spent per phase (copy, upsert, index, delete_detection, reconcile): where time goes.
    phases: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to phase `name`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = round(self.phases.get(name, 0.0) + time.perf_counter() - started, 3)

    @property
    def rows_per_second(self) -> float | None:
        return round(self.rows_read / self.duration_s, 1) if self.duration_s > 0 else None

    def summary(self) -> dict:
        """The task's return value and the ods asset event's extra."""
        return {
            "table": self.table, "mode": self.mode.value, "rows_read": self.rows_read,
            "rows_inserted": self.rows_inserted, "rows_updated": self.rows_updated,
            "rows_deleted": self.rows_deleted, "watermark": self.watermark_after, "duration_s": self.duration_s,
            "reconcile_scope": self.reconcile_scope.value if self.reconcile_scope else None,
            "business_date": self.business_date.isoformat() if self.business_date else None,
        }


def read_state(wh: psycopg.Connection, table: str) -> TableState | None:
    """The table's watermark and last status, locked for this run's transaction."""
    row = wh.execute(named_sql(_SQL, "read_state"), {"table": table}).fetchone()
    return TableState(row[0], LedgerStatus(row[1])) if row else None


@dataclass(frozen=True)
class Window:
    """The rows a run read: at Level-1 those with the cursor in (low, high] (bounds in the cursor
    column's text form and type); in ods the rows with the same keys, staged in `backflow_stage`."""

    cursor: str
    cursor_type: str
    low: str
    high: str
    primary_key: list[str]


def totals(
    table: BackflowTable, conn: psycopg.Connection, schema: str, name: str, *, live_only: bool = False,
    window: Window | None = None,
) -> tuple:
    """Return (row count, sum of each amount column) of one side, in one scan.

    With a window: at Level-1 (live_only False) the rows whose cursor lies in it (an index range
    scan); in ods (live_only) the live rows whose keys the run staged (index lookups), so the cost
    follows the run's rows, not the table's.
    """
    metrics = [sql.SQL("count(*)")] + [sql.SQL("sum(x.{})").format(sql.Identifier(c)) for c in table.amount_columns]
    conditions = [sql.SQL("x.{} IS NULL").format(sql.Identifier(DELETED_AT))] if live_only else []
    source = sql.SQL("{} AS x").format(sql.Identifier(schema, name))
    if window and live_only:
        # One primary-key lookup per staged row: OFFSET 0 keeps the planner from turning this into a
        # hash join, which would read the whole table — the cost the window exists to avoid.
        source = sql.SQL(
            "backflow_stage AS s CROSS JOIN LATERAL (SELECT * FROM {} AS o WHERE {} OFFSET 0) AS x").format(
            sql.Identifier(schema, name), sql.SQL(" AND ").join(
                sql.SQL("o.{0} = s.{0}").format(sql.Identifier(c)) for c in window.primary_key))
    elif window:
        conditions.append(sql.SQL("x.{c} > %(low)s::{t} AND x.{c} <= %(high)s::{t}").format(
            c=sql.Identifier(window.cursor), t=sql.SQL(window.cursor_type)))
    where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    return conn.execute(sql.SQL("SELECT {} FROM {}{}").format(sql.SQL(", ").join(metrics), source, where),
                        {"low": window.low, "high": window.high} if window else None).fetchone()


def tables_loaded_in_run(warehouse: str, run_id: str) -> set[str]:
    """Tables whose load run `run_id` already committed (success or mismatch)."""
    with psycopg.connect(warehouse) as wh:
        return {name for (name,) in wh.execute(named_sql(_SQL, "tables_loaded_in_run"), {"run_id": run_id})}


def table_reconcile_due(wh: psycopg.Connection, table: BackflowTable, business_date: date | None) -> bool:
    """Whether this run must reconcile the whole table (table.full_reconcile), else only its window.

    daily / weekly count business dates since the last whole-table verdict (so the nightly run of each
    day reconciles the table and same-day re-runs their window); every N runs counts the reconciled runs
    since it. Never reconciled whole, or a run without a business date: due.
    """
    last, last_day, runs_since = wh.execute(named_sql(_SQL, "last_table_reconcile"), {"table": table.name}).fetchone()
    cadence = table.full_reconcile_cadence
    if last is None:
        return True
    if isinstance(cadence, int):
        return runs_since + 1 >= cadence
    return business_date is None or last_day is None or business_date - last_day >= cadence


def compare(table: BackflowTable, source_totals: tuple, ods_totals: tuple) -> list[ReconciliationRow]:
    """Pair Level-1 and ods totals metric by metric."""
    names = ["row_count"] + [f"sum({c})" for c in table.amount_columns]
    return [ReconciliationRow(n, s, o) for n, s, o in zip(names, source_totals, ods_totals, strict=True)]


def write_success(
    wh: psycopg.Connection, table: BackflowTable, result: SyncResult, started: datetime, status: LedgerStatus
) -> None:
    """Record the run in the same transaction as the load: ledger, watermark, drift, reconciliation."""
    _insert_ledger(wh, result, started, status, None)
    wh.execute(named_sql(_SQL, "write_state_success"), {
        "table": table.name, "cursor": table.cursor, "watermark": result.watermark_after,
        "run_id": result.run_id, "status": status.value})
    write_schema_changes(wh, table.name, result.run_id, result.schema_changes, action=ChangeAction.APPLIED)
    with wh.cursor() as cur, cur.copy(named_sql(_SQL, "copy_reconciliation")) as copy:
        for row in result.reconciliation:
            copy.write_row((result.run_id, table.name, row.metric, row.source_value, row.ods_value, row.matched,
                            result.reconcile_scope.value))


def write_failure(
    wh: psycopg.Connection, table: BackflowTable, run_id: str, started: datetime, duration_s: float, error: str,
    business_date: date | None = None,
) -> None:
    """Record a failed run; the watermark stays where it was."""
    _insert_ledger(wh, SyncResult(table=table.name, run_id=run_id, mode=LoadMode.UNKNOWN, duration_s=duration_s,
                                  business_date=business_date), started, LedgerStatus.FAILED, error)
    wh.execute(named_sql(_SQL, "write_state_failure"), {
        "table": table.name, "cursor": table.cursor, "run_id": run_id, "status": LedgerStatus.FAILED.value})


def write_schema_changes(
    wh: psycopg.Connection, table: str, run_id: str, changes: list[ColumnChange], *, action: ChangeAction
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
        "phases": Jsonb(result.phases), "business_date": result.business_date,
        "reconcile_scope": result.reconcile_scope.value if result.reconcile_scope else None,
    })
