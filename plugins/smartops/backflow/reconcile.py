"""The reconcile phase: Level-1 and ods compared after the load, in the load's snapshot and transaction.

Every run reconciles its window — the rows it read; the whole table is reconciled on the entry's
`full_reconcile` cadence (and on every full load), its Level-1 scan running in the background on
a second session while the load copies. Under key_compare, a surplus of live ods rows in the
whole table (incremental loading keeps every Level-1 key in ods, so the surplus is exactly the
deletions) triggers the key scan that marks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import psycopg
from psycopg import sql

from smartops.backflow.load import ODS, STAGE, mark_deleted
from smartops.backflow.result import Loaded, Phases, ReconciliationRow
from smartops.backflow.schema import DELETED_AT
from smartops.backflow.source import BackgroundRead
from smartops.config.inventory import BackflowTable, DeleteDetection
from smartops.vocabulary import LoadMode, ReconcileScope

Totals = tuple  # (row count, sum of each amount column)


@dataclass(frozen=True)
class Window:
    """The rows a run read: at Level-1 those with the cursor in (low, high] (bounds in the cursor
    column's text form and type); in ods the rows with the same keys, staged in `backflow_stage`."""

    cursor: str
    cursor_type: str
    low: str
    high: str
    primary_key: list[str]


@dataclass(frozen=True)
class LastTableReconcile:
    """When the table was last reconciled whole (ops.sync_ledger), for the full_reconcile cadence."""

    at: object | None = None
    business_date: date | None = None
    runs_since: int = 0


@dataclass(frozen=True)
class Reconciled:
    scope: ReconcileScope
    rows: tuple[ReconciliationRow, ...]
    rows_deleted: int = 0  # marked by key_compare's key scan


def whole_table_due(table: BackflowTable, last: LastTableReconcile, business_date: date | None) -> bool:
    """Whether this run must reconcile the whole table (table.full_reconcile), else only its window.

    daily / weekly count business dates since the last whole-table verdict (so the nightly run of each
    day reconciles the table and same-day re-runs their window); every N runs counts the reconciled runs
    since it. Never reconciled whole, or a run without a business date: due.
    """
    cadence = table.full_reconcile_cadence
    if last.at is None:
        return True
    if isinstance(cadence, int):
        return last.runs_since + 1 >= cadence
    return business_date is None or last.business_date is None or business_date - last.business_date >= cadence


def level1_totals_in_background(source: str, src: psycopg.Connection, table: BackflowTable) -> BackgroundRead:
    """Start Level-1's whole-table totals on a second session sharing src's snapshot (SOURCE_SESSIONS)."""
    return BackgroundRead(source, src, lambda conn: totals(table, conn, table.source_schema, table.source_table),
                          label=f"totals-{table.name}")


def reconcile(table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, *, run_id: str,
              loaded: Loaded, cursor_type: str | None, background: BackgroundRead | None,
              phases: Phases) -> Reconciled:
    """Compare Level-1 and ods after `loaded`: the whole table when `background` scans it, else the window."""
    whole = background is not None or loaded.window_end is None  # Level-1 empty, nothing staged: the table
    window = None if whole else Window(table.cursor, cursor_type, loaded.window_start, loaded.window_end,
                                       table.primary_key)
    with phases.phase("reconcile"):
        ods_totals = totals(table, wh, ODS, table.name, live_only=True, window=window)
        level1_totals = (background.result() if background is not None
                         else totals(table, src, table.source_schema, table.source_table, window=window))
    rows_deleted = 0
    if (loaded.mode is LoadMode.INCREMENTAL and table.delete_detection is DeleteDetection.KEY_COMPARE
            and ods_totals[0] != level1_totals[0]):
        with phases.phase("delete_detection"):
            rows_deleted = mark_deleted(table, src, wh, run_id)
        with phases.phase("reconcile"):
            ods_totals = totals(table, wh, ODS, table.name, live_only=True, window=window)
    return Reconciled(ReconcileScope.TABLE if whole else ReconcileScope.WINDOW,
                      compare(table, level1_totals, ods_totals), rows_deleted)


def totals(
    table: BackflowTable, conn: psycopg.Connection, schema: str, name: str, *, live_only: bool = False,
    window: Window | None = None,
) -> Totals:
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
            "{} AS s CROSS JOIN LATERAL (SELECT * FROM {} AS o WHERE {} OFFSET 0) AS x").format(
            sql.Identifier(STAGE), sql.Identifier(schema, name), sql.SQL(" AND ").join(
                sql.SQL("o.{0} = s.{0}").format(sql.Identifier(c)) for c in window.primary_key))
    elif window:
        conditions.append(sql.SQL("x.{c} > %(low)s::{t} AND x.{c} <= %(high)s::{t}").format(
            c=sql.Identifier(window.cursor), t=sql.SQL(window.cursor_type)))
    where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    return conn.execute(sql.SQL("SELECT {} FROM {}{}").format(sql.SQL(", ").join(metrics), source, where),
                        {"low": window.low, "high": window.high} if window else None).fetchone()


def compare(table: BackflowTable, source_totals: Totals, ods_totals: Totals) -> tuple[ReconciliationRow, ...]:
    """Pair Level-1 and ods totals metric by metric."""
    names = ["row_count"] + [f"sum({c})" for c in table.amount_columns]
    return tuple(ReconciliationRow(n, s, o) for n, s, o in zip(names, source_totals, ods_totals, strict=True))
