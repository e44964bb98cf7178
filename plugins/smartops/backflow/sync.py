"""Sync one inventory table from Level-1 into ods: read → load → reconcile → record, atomic and audited.

The warehouse transaction first takes the table's lock (with a timeout: a busy table is a
retryable error, never an open Level-1 snapshot waiting on it); then Level-1 is read inside one
REPEATABLE READ, READ ONLY snapshot. The ods rows, the watermark, the ledger row, applied schema
changes and the reconciliation commit together or not at all: a crash at any point leaves ods
and the watermark exactly as they were, and the next run simply starts from the old watermark.
"""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime

import psycopg

from smartops.backflow import ledger
from smartops.backflow.exceptions import (
    ColumnMissing,
    CursorColumnMissing,
    ReconciliationMismatch,
    SchemaDriftError,
    SourceTableMissing,
)
from smartops.backflow.load import ODS, load_full, load_increment
from smartops.backflow.reconcile import level1_totals_in_background, reconcile, whole_table_due
from smartops.backflow.result import Phases, SyncResult
from smartops.backflow.schema import diff_columns, read_columns
from smartops.backflow.source import connect_source
from smartops.config.inventory import BackflowTable, SchemaDriftPolicy, SyncMode
from smartops.vocabulary import ChangeKind, LoadMode
from smartops.warehouse.swap import lock_object

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncRequest:
    """One table's sync as the run asked for it."""

    table: BackflowTable
    run_id: str
    full_reload: bool = False
    resync_from: datetime | None = None  # re-read from min(resync_from, watermark - lookback)
    business_date: date | None = None  # the day the run stands for, recorded in the ledger


def sync_table(
    table: BackflowTable,
    *,
    source: str,
    warehouse: str,
    run_id: str,
    full_reload: bool = False,
    resync_from: datetime | None = None,
    business_date: date | None = None,
) -> SyncResult:
    """Bring ods.<table> level with Level-1 and record the run; raise BackflowError on failure.

    full_reload rebuilds the table from scratch (swap-in); resync_from re-reads every row whose
    cursor is after min(resync_from, watermark - lookback); business_date (the day the run
    stands for) is recorded in the ledger. Failures are written to the ledger in a separate
    transaction after the load's transaction rolled back. A committed load whose reconciliation
    mismatches raises ReconciliationMismatch.
    """
    request = SyncRequest(table, run_id, full_reload, resync_from, business_date)
    started, clock = datetime.now(UTC), time.monotonic()
    try:
        with psycopg.connect(warehouse) as wh, wh.transaction():
            lock_object(wh, table.target)  # before the snapshot: never hold Level-1 open while waiting
            with connect_source(source) as src, src.transaction():
                result = _sync_in_snapshot(request, source, src, wh, started, clock)
    except Exception as exc:
        ledger.write_failure(warehouse, table, run_id, started, round(time.monotonic() - clock, 3), exc,
                             business_date)
        raise
    if not result.matched:
        raise ReconciliationMismatch(table.name, [r.describe() for r in result.reconciliation if not r.matched])
    return result


def _sync_in_snapshot(request: SyncRequest, source: str, src: psycopg.Connection, wh: psycopg.Connection,
                      started: datetime, clock: float) -> SyncResult:
    table = request.table
    # read: Level-1's columns, ods's, and where the table stands
    source_columns = read_columns(src, table.source_schema, table.source_table)
    if not source_columns:
        raise SourceTableMissing(table.name, table.source)
    if table.cursor is not None and table.cursor not in source_columns:
        raise CursorColumnMissing(table.name, table.cursor, table.source, list(source_columns))
    for field, columns in (("primary_key", table.primary_key), ("amount_columns", table.amount_columns)):
        missing = next((c for c in columns if c not in source_columns), None)
        if missing:
            raise ColumnMissing(table.name, field, missing, table.source, list(source_columns))
    ods_columns = read_columns(wh, ODS, table.name)
    changes = diff_columns(source_columns, ods_columns) if ods_columns else []
    if any(c.change is not ChangeKind.ADDED or table.schema_drift is SchemaDriftPolicy.FAIL for c in changes):
        raise SchemaDriftError(table.name, changes, table.schema_drift.value)
    state = ledger.read_state(wh, table.name)
    # Added columns are loaded by a full rebuild, so old rows get their values too.
    rebuild = bool(table.mode is SyncMode.FULL or request.full_reload or not ods_columns or changes
                   or state.watermark is None)
    whole = rebuild or whole_table_due(table, state.last_table_reconcile, request.business_date)
    phases = Phases()
    # load, with the whole-table scan of Level-1 running meanwhile (cancelled if the load fails)
    with level1_totals_in_background(source, src, table) if whole else nullcontext() as background:
        if rebuild:
            mode = LoadMode.INITIAL if not ods_columns else (
                LoadMode.FULL if table.mode is SyncMode.FULL or request.full_reload else LoadMode.REBUILD)
            loaded = load_full(table, src, wh, run_id=request.run_id, columns=source_columns,
                               existing=ods_columns, mode=mode, watermark_before=state.watermark, phases=phases)
        else:
            loaded = load_increment(table, src, wh, run_id=request.run_id, columns=source_columns,
                                    resync_from=request.resync_from, watermark_before=state.watermark,
                                    phases=phases)
        reconciled = reconcile(table, src, wh, run_id=request.run_id, loaded=loaded,
                               cursor_type=source_columns.get(table.cursor) if table.cursor else None,
                               background=background, phases=phases)
    # record
    result = SyncResult(
        table=table.name, run_id=request.run_id, mode=loaded.mode, business_date=request.business_date,
        window_start=loaded.window_start, window_end=loaded.window_end, watermark_before=state.watermark,
        watermark_after=loaded.watermark_after, rows_read=loaded.rows_read, rows_inserted=loaded.rows_inserted,
        rows_updated=loaded.rows_updated, rows_deleted=loaded.rows_deleted + reconciled.rows_deleted,
        duration_s=round(time.monotonic() - clock, 3), schema_changes=tuple(changes),
        reconciliation=reconciled.rows, reconcile_scope=reconciled.scope, phases=dict(phases.seconds))
    ledger.write_success(wh, table, result, started)
    log.info(
        "%s: %s load done: read=%d inserted=%d updated=%d deleted=%d in %.2fs (%s rows/s), watermark %s -> %s",
        table.name, result.mode.value, result.rows_read, result.rows_inserted, result.rows_updated,
        result.rows_deleted, result.duration_s, result.rows_per_second, result.watermark_before,
        result.watermark_after,
    )
    return result
