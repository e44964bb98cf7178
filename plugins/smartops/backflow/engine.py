"""Sync one inventory table from Level-1 into ods: incremental or full, atomic, audited.

Every run reads Level-1 inside one REPEATABLE READ, READ ONLY snapshot and writes the
warehouse inside one transaction: the ods rows, the watermark, the ledger row and the
reconciliation all commit together or not at all. A crash at any point leaves ods and the
watermark exactly as they were; the next run simply starts from the old watermark.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from smartops.backflow import ledger
from smartops.backflow.exceptions import (
    CursorColumnMissing,
    ManualBoundInvalid,
    ReadOnlyConflict,
    ReconciliationMismatch,
    SchemaDriftError,
    SourceTableMissing,
)
from smartops.backflow.ledger import SyncResult
from smartops.backflow.schema import DELETED_AT, LOADED_AT, RUN_ID, diff_columns, read_columns
from smartops.backflow.streaming import stream_copy
from smartops.config.inventory import BackflowTable, DeleteDetection, SchemaDriftPolicy, SyncMode
from smartops.sqlfiles import named_sql
from smartops.vocabulary import ChangeAction, ChangeKind, LedgerStatus, LoadMode, ReconcileScope
from smartops.warehouse.connections import with_options
from smartops.warehouse.swap import lock_object, swap_in

log = logging.getLogger(__name__)

ODS = "ods"
_TIME_TYPES = ("timestamp", "date")
# Free space kept on each page of an incrementally maintained ods table, so an update can put the
# new row version on the old row's page (a HOT update: no index entry, no second page to log).
# Measured on 1M rows, 1% changed: the upsert wrote 40,000 WAL records and 12,734 full-page
# images at fillfactor 100, and 20,000 and 10,000 at 90. Tables reloaded in full every run keep 100.
INCREMENTAL_FILLFACTOR = 90
_CHANGE_INDEXES = "backflow/change_indexes.sql"


def connect_source(conninfo: str) -> psycopg.Connection:
    """Open Level-1 read-only: the session refuses writes even if the role could make them.

    The user's own `options` (e.g. statement_timeout) are kept; read-only is added to them.
    Raise ReadOnlyConflict when the connection asks libpq for a writable server.
    """
    attrs = conninfo_to_dict(conninfo).get("target_session_attrs")
    if attrs in ("read-write", "primary"):
        raise ReadOnlyConflict(attrs)
    conn = psycopg.connect(with_options(conninfo, "default_transaction_read_only=on"))
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


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
    stands for) is recorded in the ledger. Failures are written to the
    ledger in a separate transaction after the load's transaction rolled back.
    """
    started = datetime.now(UTC)
    clock = time.monotonic()
    try:
        with connect_source(source) as src, psycopg.connect(warehouse) as wh, src.transaction():
            result = _sync_in_snapshot(table, source, src, wh, run_id, full_reload, resync_from, started, clock,
                                       business_date)
    except Exception as exc:
        _record_failure(warehouse, table, run_id, started, clock, exc, business_date)
        raise
    mismatches = [r.describe() for r in result.reconciliation if not r.matched]
    if mismatches:
        raise ReconciliationMismatch(table.name, mismatches)
    return result


def _sync_in_snapshot(
    table: BackflowTable,
    source: str,
    src: psycopg.Connection,
    wh: psycopg.Connection,
    run_id: str,
    full_reload: bool,
    resync_from: datetime | None,
    started: datetime,
    clock: float,
    business_date: date | None,
) -> SyncResult:
    source_columns = read_columns(src, table.source_schema, table.source_table)
    if not source_columns:
        raise SourceTableMissing(table.name, table.source)
    if table.cursor is not None and table.cursor not in source_columns:
        raise CursorColumnMissing(table.name, table.cursor, table.source, list(source_columns))
    with wh.transaction():
        lock_object(wh, table.target)
        ods_columns = read_columns(wh, ODS, table.name)
        changes = diff_columns(source_columns, ods_columns) if ods_columns else []
        refused = [c for c in changes
                   if c.change is not ChangeKind.ADDED or table.schema_drift is SchemaDriftPolicy.FAIL]
        if refused:
            raise SchemaDriftError(table.name, changes, table.schema_drift.value)
        state = ledger.read_state(wh, table.name)
        result = SyncResult(table=table.name, run_id=run_id, mode=LoadMode.UNKNOWN, schema_changes=changes,
                            watermark_before=state.watermark if state else None, business_date=business_date)
        # Added columns are loaded by a full rebuild, so old rows get their values too.
        rebuild = (table.mode is SyncMode.FULL or full_reload or not ods_columns or changes
                   or result.watermark_before is None)
        whole = rebuild or ledger.table_reconcile_due(wh, table, business_date)
        result.reconcile_scope = ReconcileScope.TABLE if whole else ReconcileScope.WINDOW
        # The whole-table scan of Level-1 runs while the load copies and upserts, instead of after.
        source_totals = _totals_in_background(source, src, table) if whole else None
        if rebuild:
            result.mode = LoadMode.INITIAL if not ods_columns else (
                LoadMode.FULL if table.mode is SyncMode.FULL or full_reload else LoadMode.REBUILD)
            _load_full(table, src, wh, run_id, source_columns, ods_columns, result)
        else:
            result.mode = LoadMode.INCREMENTAL
            _load_increment(table, src, wh, run_id, source_columns, source_columns[table.cursor], resync_from,
                            result)
        if not whole and result.window_end is None:  # Level-1 is empty, nothing staged: the table is the window
            whole, result.reconcile_scope = True, ReconcileScope.TABLE
        window = None if whole else ledger.Window(table.cursor, source_columns[table.cursor],
                                                  result.window_start, result.window_end, table.primary_key)
        with result.phase("reconcile"):
            level1_totals, ods_totals = _reconcile_totals(table, src, wh, source_totals, window)
        # Incremental loading keeps every Level-1 key in ods, so a surplus of live ods rows in the whole
        # table is exactly the deletions; equal counts spare the key scan. (A window verdict compares the
        # rows the run read, so deletions wait for the whole-table reconciliation.)
        if (result.mode is LoadMode.INCREMENTAL and table.delete_detection is DeleteDetection.KEY_COMPARE
                and ods_totals[0] != level1_totals[0]):
            with result.phase("delete_detection"):
                result.rows_deleted = _mark_deleted(table, src, wh, run_id)
            with result.phase("reconcile"):
                ods_totals = ledger.totals(table, wh, ODS, table.name, live_only=True, window=window)
        result.reconciliation = ledger.compare(table, level1_totals, ods_totals)
        result.duration_s = round(time.monotonic() - clock, 3)
        status = LedgerStatus.SUCCESS if all(r.matched for r in result.reconciliation) else LedgerStatus.MISMATCH
        ledger.write_success(wh, table, result, started, status)
    log.info(
        "%s: %s load done: read=%d inserted=%d updated=%d deleted=%d in %.2fs (%s rows/s), watermark %s -> %s",
        table.name, result.mode.value, result.rows_read, result.rows_inserted, result.rows_updated,
        result.rows_deleted, result.duration_s, result.rows_per_second, result.watermark_before,
        result.watermark_after,
    )
    return result


def _reconcile_totals(
    table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, source_totals: Future | None,
    window: ledger.Window | None,
) -> tuple[tuple, tuple]:
    """(Level-1, ods) totals in the load's snapshot: the whole table, or the rows of the window."""
    ods_totals = ledger.totals(table, wh, ODS, table.name, live_only=True, window=window)
    level1_totals = (source_totals.result() if source_totals is not None
                     else ledger.totals(table, src, table.source_schema, table.source_table, window=window))
    return level1_totals, ods_totals


def _totals_in_background(source: str, src: psycopg.Connection, table: BackflowTable) -> Future:
    """Compute Level-1's reconciliation totals on a second session sharing src's snapshot (SOURCE_SESSIONS).

    The scan runs while the main session copies and the warehouse upserts, instead of after.
    """
    snapshot = src.execute("SELECT pg_export_snapshot()").fetchone()[0]

    def totals() -> tuple:
        with connect_source(source) as conn, conn.transaction():
            conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
            return ledger.totals(table, conn, table.source_schema, table.source_table)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"totals-{table.name}")
    future = pool.submit(totals)
    pool.shutdown(wait=False)  # the submitted scan still runs; nothing else will be queued
    return future


def _load_full(
    table: BackflowTable,
    src: psycopg.Connection,
    wh: psycopg.Connection,
    run_id: str,
    columns: dict[str, str],
    existing: dict[str, str],
    result: SyncResult,
) -> None:
    """Copy the whole table into a new ods table and swap it in (readers see old or new).

    `existing` holds the current ods columns (empty on the first load).
    """
    replace = bool(existing)
    target = sql.Identifier(ODS, table.name)
    loading_name = f"{table.name}__loading"
    loading = sql.Identifier(ODS, loading_name)
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    wh.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(loading))
    fillfactor = 100 if table.mode is SyncMode.FULL else INCREMENTAL_FILLFACTOR
    # Defaults stamp the load metadata during COPY, saving a second pass over the rows.
    wh.execute(sql.SQL(
        "CREATE TABLE {loading} ({columns}, {loaded_at} timestamptz NOT NULL DEFAULT now(), "
        "{run} text DEFAULT {run_id}, {deleted} timestamptz) WITH (fillfactor = {fillfactor})"
    ).format(
        loading=loading, fillfactor=sql.Literal(fillfactor),
        columns=sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items()
        ),
        loaded_at=sql.Identifier(LOADED_AT), run=sql.Identifier(RUN_ID), run_id=sql.Literal(run_id),
        deleted=sql.Identifier(DELETED_AT),
    ))
    # Without a cursor the snapshot's time at Level-1 is the watermark: the data is as of then.
    window_end = src.execute(
        sql.SQL("SELECT max({})::text FROM {}").format(
            sql.Identifier(table.cursor), sql.Identifier(table.source_schema, table.source_table))
        if table.cursor else sql.SQL("SELECT now()::text")
    ).fetchone()[0]
    with result.phase("copy"):
        result.rows_read = stream_copy(
            src, sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(
                column_list, sql.Identifier(table.source_schema, table.source_table)),
            # FREEZE (allowed: the table was created in this transaction) writes rows frozen and
            # pages all-visible, sparing every later reader the first-touch hint-bit writes.
            wh, sql.SQL("COPY {} ({}) FROM STDIN (FREEZE)").format(loading, column_list),
            label=table.name,
        )
    result.rows_inserted = result.rows_read
    if replace:
        with result.phase("delete_detection"):
            result.rows_deleted = _carry_over_deleted(table, wh, run_id, loading, columns, existing)
    with result.phase("index"):
        wh.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(loading, sql.Identifier(RUN_ID)))
        wh.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
            loading, sql.Identifier(f"{loading_name}_pkey"),
            sql.SQL(", ").join(map(sql.Identifier, table.primary_key))))
        swap_in(wh, staged=(ODS, loading_name), target=(ODS, table.name))
        _index_change_columns(wh, table)
        wh.execute(sql.SQL("ANALYZE {}").format(target))
    result.window_end = window_end
    result.watermark_after = window_end or result.watermark_before


def _index_change_columns(wh: psycopg.Connection, table: BackflowTable) -> None:
    """Index an incremental ods table's change columns: the aggregation scopes find a day's rows by them.

    `_loaded_at` for the rows changed after this full load (partial: the load's own rows, all of one
    value, are left out, so the index is built empty) and `_deleted_at` for the soft-deleted rows.
    Full-mode tables are reloaded whole every run, so their change columns say nothing and get no
    index. Migration 0030 gives tables loaded before this the same indexes.
    """
    if table.mode is SyncMode.FULL:
        return
    wh.execute(named_sql(_CHANGE_INDEXES, "create_change_indexes"), {"table": table.name})


def _carry_over_deleted(
    table: BackflowTable,
    wh: psycopg.Connection,
    run_id: str,
    loading: sql.Identifier,
    columns: dict[str, str],
    existing: dict[str, str],
) -> int:
    """Count ods rows gone from Level-1; under key_compare keep them in the new table, marked deleted."""
    target = sql.Identifier(ODS, table.name)
    match = _key_match(table, sql.Identifier("old"), sql.Identifier("new"))
    if table.delete_detection is not DeleteDetection.KEY_COMPARE:
        return wh.execute(sql.SQL(
            "SELECT count(*) FROM {target} AS old WHERE old.{deleted} IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM {loading} AS new WHERE {match})"
        ).format(target=target, deleted=sql.Identifier(DELETED_AT), loading=loading, match=match)).fetchone()[0]
    # Rows gone from Level-1 stay in ods, marked deleted, instead of vanishing. Counted from the CTE's
    # own rows: `RETURNING old.…` is an error before PostgreSQL 18 and the (NULL) OLD row on 18.
    return wh.execute(sql.SQL(
        "WITH gone AS (SELECT {old_columns}, old.{loaded_at}, old.{run}, old.{deleted} FROM {target} AS old "
        "  WHERE NOT EXISTS (SELECT 1 FROM {loading} AS new WHERE {match})), "
        "carried AS (INSERT INTO {loading} ({columns}, {loaded_at}, {run}, {deleted}) "
        "  SELECT {gone_columns}, {loaded_at}, CASE WHEN {deleted} IS NULL THEN {run_id} ELSE {run} END, "
        "  coalesce({deleted}, now()) FROM gone) "
        "SELECT count(*) FROM gone WHERE {deleted} IS NULL"
    ).format(
        loading=loading, columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
        loaded_at=sql.Identifier(LOADED_AT), run=sql.Identifier(RUN_ID), deleted=sql.Identifier(DELETED_AT),
        run_id=sql.Literal(run_id),
        old_columns=sql.SQL(", ").join(
            sql.SQL("old.{0} AS {0}").format(sql.Identifier(c)) if c in existing
            else sql.SQL("NULL::{} AS {}").format(sql.SQL(t), sql.Identifier(c)) for c, t in columns.items()),
        gone_columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
        target=target, match=match,
    )).fetchone()[0]


def _load_increment(
    table: BackflowTable,
    src: psycopg.Connection,
    wh: psycopg.Connection,
    run_id: str,
    columns: dict[str, str],
    cursor_type: str,
    resync_from: datetime | None,
    result: SyncResult,
) -> None:
    """Stream the window (watermark - lookback, max cursor] into staging and upsert it."""
    source = sql.Identifier(table.source_schema, table.source_table)
    cursor = sql.Identifier(table.cursor)
    typ = sql.SQL(cursor_type)
    if cursor_type.startswith(_TIME_TYPES):
        low = sql.SQL("({}::{} - {}::interval)").format(
            sql.Literal(result.watermark_before), typ, sql.Literal(table.lookback_delta))
        if resync_from is not None:  # a bound only widens the window: nothing before it is skipped
            low = sql.SQL("least({}::timestamptz::{}, {})").format(sql.Literal(resync_from.isoformat()), typ, low)
    elif resync_from is not None:
        raise ManualBoundInvalid("resync_from", resync_from.isoformat(),
                                 f"table={table.name} has an id cursor ({table.cursor} {cursor_type}); "
                                 "re-read it with full_reload instead")
    else:  # increasing ids: no lookback, ids are not reused
        low = sql.SQL("{}::{}").format(sql.Literal(result.watermark_before), typ)
    window_start, window_end = src.execute(
        sql.SQL("SELECT ({low})::text, max({cursor})::text FROM {source}").format(
            low=low, cursor=cursor, source=source)
    ).fetchone()
    result.window_start, result.window_end = window_start, window_end
    if window_end is None:  # Level-1 table is empty
        result.watermark_after = result.watermark_before
    else:
        result.watermark_after = src.execute(
            sql.SQL("SELECT greatest({}::{t}, {}::{t})::text").format(
                sql.Literal(result.watermark_before), sql.Literal(window_end), t=typ)
        ).fetchone()[0]
        _upsert_window(table, src, wh, run_id, columns, low, sql.Literal(window_end), typ, result)


def _upsert_window(
    table: BackflowTable,
    src: psycopg.Connection,
    wh: psycopg.Connection,
    run_id: str,
    columns: dict[str, str],
    low: sql.Composable,
    high: sql.Composable,
    typ: sql.Composable,
    result: SyncResult,
) -> None:
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    pk = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))
    cursor = sql.Identifier(table.cursor)
    wh.execute(sql.SQL("CREATE TEMP TABLE backflow_stage ({}) ON COMMIT DROP").format(
        sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items())))
    # COPY cannot take bind parameters; the window bounds are rendered as quoted literals.
    window = sql.SQL(
        "COPY (SELECT {columns} FROM {source} WHERE {cursor} > {low} AND {cursor} <= {high}::{typ}) TO STDOUT"
    ).format(columns=column_list, source=sql.Identifier(table.source_schema, table.source_table),
             cursor=cursor, low=low, high=high, typ=typ)
    with result.phase("copy"):
        result.rows_read = stream_copy(src, window, wh, sql.SQL("COPY backflow_stage ({}) FROM STDIN").format(
            column_list), label=table.name)
    if not result.rows_read:
        return
    non_key = [c for c in columns if c not in table.primary_key]
    target = sql.Identifier(ODS, table.name)
    with result.phase("upsert"):
        inserted, updated = wh.execute(sql.SQL(
            "WITH newest AS ("
            "  SELECT DISTINCT ON ({pk}) {columns} FROM backflow_stage ORDER BY {pk}, {cursor} DESC"
            "), upserted AS ("
            "  INSERT INTO {target} AS t ({columns}, {loaded_at}, {run}, {deleted})"
            "  SELECT {columns}, now(), {run_id}, NULL FROM newest"
            "  ON CONFLICT ({pk}) DO UPDATE SET {assignments}, {loaded_at} = now(), {run} = {run_id}, {deleted} = NULL"
            "  WHERE t.{deleted} IS NOT NULL OR ({old_values}) IS DISTINCT FROM ({new_values})"
            "  RETURNING (xmax = 0) AS inserted"
            ") SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted"
        ).format(
            pk=pk, columns=column_list, cursor=cursor, target=target,
            loaded_at=sql.Identifier(LOADED_AT), run=sql.Identifier(RUN_ID), deleted=sql.Identifier(DELETED_AT),
            run_id=sql.Literal(run_id),
            assignments=sql.SQL(", ").join(
                sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c)) for c in non_key),
            old_values=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in non_key),
            new_values=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c)) for c in non_key),
        )).fetchone()
    result.rows_inserted, result.rows_updated = inserted, updated


def _mark_deleted(table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, run_id: str) -> int:
    """Mark ods rows whose key is gone at Level-1; return how many were newly marked."""
    source = sql.Identifier(table.source_schema, table.source_table)
    target = sql.Identifier(ODS, table.name)
    pk = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))
    key_types = read_columns(wh, ODS, table.name)
    wh.execute(sql.SQL("CREATE TEMP TABLE backflow_keys ({}) ON COMMIT DROP").format(
        sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(key_types[c]))
                           for c in table.primary_key)))
    stream_copy(src, sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(pk, source),
                wh, sql.SQL("COPY backflow_keys ({}) FROM STDIN").format(pk), label=f"{table.name} keys")
    wh.execute("ANALYZE backflow_keys")
    return wh.execute(sql.SQL(
        "UPDATE {target} AS new SET {deleted} = now(), {run} = {run_id} WHERE new.{deleted} IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM backflow_keys AS old WHERE {match})"
    ).format(target=target, deleted=sql.Identifier(DELETED_AT), run=sql.Identifier(RUN_ID),
             run_id=sql.Literal(run_id), match=_key_match(table, sql.Identifier("old"), sql.Identifier("new")))
    ).rowcount


def _key_match(table: BackflowTable, left: sql.Identifier, right: sql.Identifier) -> sql.Composable:
    return sql.SQL(" AND ").join(
        sql.SQL("{}.{} = {}.{}").format(left, sql.Identifier(c), right, sql.Identifier(c))
        for c in table.primary_key)


def _record_failure(
    warehouse: str, table: BackflowTable, run_id: str, started: datetime, clock: float, exc: Exception,
    business_date: date | None,
) -> None:
    """Write the failed run to the ledger (and any refused drift) after the load rolled back."""
    try:
        with psycopg.connect(warehouse) as wh, wh.transaction():
            if isinstance(exc, SchemaDriftError):
                ledger.write_schema_changes(wh, table.name, run_id, exc.changes, action=ChangeAction.REFUSED)
            ledger.write_failure(wh, table, run_id, started, round(time.monotonic() - clock, 3), str(exc),
                                 business_date)
    except psycopg.Error:
        log.exception("%s: could not record the failure in the ledger (warehouse unreachable?)", table.name)
