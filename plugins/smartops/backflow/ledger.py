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


@dataclass(frozen=True)
class TableState:
    watermark: str | None
    last_status: str


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
    mode: str
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


def read_state(wh: psycopg.Connection, table: str) -> TableState | None:
    row = wh.execute(
        "SELECT watermark, last_status FROM ops.table_state WHERE table_name = %s FOR UPDATE", (table,)
    ).fetchone()
    return TableState(*row) if row else None


def totals(
    table: BackflowTable, conn: psycopg.Connection, schema: str, name: str, *, live_only: bool = False
) -> tuple:
    """Return (row count, sum of each amount column) of one side, in one scan."""
    metrics = [sql.SQL("count(*)")] + [sql.SQL("sum({})").format(sql.Identifier(c)) for c in table.amount_columns]
    where = sql.SQL(" WHERE {} IS NULL").format(sql.Identifier(DELETED_AT)) if live_only else sql.SQL("")
    return conn.execute(sql.SQL("SELECT {} FROM {}{}").format(
        sql.SQL(", ").join(metrics), sql.Identifier(schema, name), where)).fetchone()


def compare(table: BackflowTable, source_totals: tuple, ods_totals: tuple) -> list[ReconciliationRow]:
    """Pair Level-1 and ods totals metric by metric."""
    names = ["row_count"] + [f"sum({c})" for c in table.amount_columns]
    return [ReconciliationRow(n, s, o) for n, s, o in zip(names, source_totals, ods_totals)]


def write_success(
    wh: psycopg.Connection, table: BackflowTable, result: SyncResult, started: datetime, status: str
) -> None:
    """Record the run in the same transaction as the load: ledger, watermark, drift, reconciliation."""
    _insert_ledger(wh, result, started, status, None)
    wh.execute(
        """
        INSERT INTO ops.table_state (table_name, cursor_column, watermark, last_run_id, last_status,
                                     last_success_at, updated_at)
        VALUES (%(table)s, %(cursor)s, %(watermark)s, %(run_id)s, %(status)s, now(), now())
        ON CONFLICT (table_name) DO UPDATE SET
            cursor_column = EXCLUDED.cursor_column, watermark = EXCLUDED.watermark,
            last_run_id = EXCLUDED.last_run_id, last_status = EXCLUDED.last_status,
            last_success_at = EXCLUDED.last_success_at, updated_at = now()
        """,
        {"table": table.name, "cursor": table.cursor, "watermark": result.watermark_after,
         "run_id": result.run_id, "status": status},
    )
    write_schema_changes(wh, table.name, result.run_id, result.schema_changes, action="applied")
    with wh.cursor() as cur:
        for row in result.reconciliation:
            cur.execute(
                "INSERT INTO ops.reconciliation (run_id, table_name, metric, source_value, ods_value, matched)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (result.run_id, table.name, row.metric, row.source_value, row.ods_value, row.matched),
            )


def write_failure(
    wh: psycopg.Connection, table: BackflowTable, run_id: str, started: datetime, duration_s: float, error: str,
    business_date: date | None = None,
) -> None:
    """Record a failed run; the watermark stays where it was."""
    _insert_ledger(wh, SyncResult(table=table.name, run_id=run_id, mode="unknown", duration_s=duration_s,
                                  business_date=business_date), started, "failed", error)
    wh.execute(
        """
        INSERT INTO ops.table_state (table_name, cursor_column, last_run_id, last_status, updated_at)
        VALUES (%s, %s, %s, 'failed', now())
        ON CONFLICT (table_name) DO UPDATE SET last_run_id = EXCLUDED.last_run_id,
            last_status = 'failed', updated_at = now()
        """,
        (table.name, table.cursor, run_id),
    )


def write_schema_changes(
    wh: psycopg.Connection, table: str, run_id: str, changes: list[ColumnChange], *, action: str
) -> None:
    with wh.cursor() as cur:
        for change in changes:
            cur.execute(
                "INSERT INTO ops.schema_change (run_id, table_name, column_name, change, source_type, ods_type,"
                " action) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (run_id, table, change.column, change.change, change.source_type, change.ods_type, action),
            )


def _insert_ledger(
    wh: psycopg.Connection, result: SyncResult, started: datetime, status: str, error: str | None
) -> None:
    wh.execute(
        """
        INSERT INTO ops.sync_ledger (run_id, table_name, mode, window_start, window_end, watermark_before,
            watermark_after, rows_read, rows_inserted, rows_updated, rows_deleted, started_at, finished_at,
            duration_s, rows_per_second, status, error, phases, business_date)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), %s, %s, %s, %s, %s, %s)
        """,
        (result.run_id, result.table, result.mode, result.window_start, result.window_end,
         result.watermark_before, result.watermark_after, result.rows_read, result.rows_inserted,
         result.rows_updated, result.rows_deleted, started, result.duration_s, result.rows_per_second,
         status, error, Jsonb(result.phases), result.business_date),
    )
