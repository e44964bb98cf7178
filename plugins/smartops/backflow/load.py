"""The load phase: bring ods.<table> level with Level-1's snapshot, in the caller's warehouse transaction.

Full (and first, and rebuild-after-drift) loads copy the whole table into `ods.<name>__loading`
and swap it in; incremental loads stream the window `(watermark - lookback, max cursor]` into a
staging table and upsert it. Nothing here commits: the sync entry commits the load together
with the reconciliation and the ledger row.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg import sql

from smartops.backflow.exceptions import DuplicateKeys, ManualBoundInvalid
from smartops.backflow.result import Loaded, Phases
from smartops.backflow.schema import DELETED_AT, LOADED_AT, RUN_ID, read_columns
from smartops.backflow.streaming import stream_copy
from smartops.config.inventory import BackflowTable, DeleteDetection, SyncMode
from smartops.sqlfiles import named_sql
from smartops.vocabulary import LoadMode
from smartops.warehouse.swap import swap_in

ODS = "ods"
LOADING_SUFFIX = "__loading"
# The staging table of an incremental run: its keys are also the window's keys in ods (reconcile.totals).
STAGE = "backflow_stage"
_TIME_TYPES = ("timestamp", "date")
# Free space kept on each page of an incrementally maintained ods table, so an update can put the
# new row version on the old row's page (a HOT update: no index entry, no second page to log).
# Measured on 1M rows, 1% changed: the upsert wrote 40,000 WAL records and 12,734 full-page
# images at fillfactor 100, and 20,000 and 10,000 at 90. Tables reloaded in full every run keep 100.
INCREMENTAL_FILLFACTOR = 90
_CHANGE_INDEXES = "backflow/change_indexes.sql"


def load_full(table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, *, run_id: str,
              columns: dict[str, str], existing: dict[str, str], mode: LoadMode, watermark_before: str | None,
              phases: Phases) -> Loaded:
    """Copy the whole table into a new ods table and swap it in (readers see old or new).

    `existing` holds the current ods columns (empty on the first load).
    """
    target = sql.Identifier(ODS, table.name)
    loading_name = f"{table.name}{LOADING_SUFFIX}"
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
    with phases.phase("copy"):
        rows_read = stream_copy(
            src, sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(
                column_list, sql.Identifier(table.source_schema, table.source_table)),
            # FREEZE (allowed: the table was created in this transaction) writes rows frozen and
            # pages all-visible, sparing every later reader the first-touch hint-bit writes.
            wh, sql.SQL("COPY {} ({}) FROM STDIN (FREEZE)").format(loading, column_list),
            label=table.name,
        )
    rows_deleted = 0
    if existing:
        with phases.phase("delete_detection"):
            rows_deleted = _carry_over_deleted(table, wh, run_id, loading, columns, existing)
    with phases.phase("index"):
        wh.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(loading, sql.Identifier(RUN_ID)))
        try:
            wh.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
                loading, sql.Identifier(f"{loading_name}_pkey"),
                sql.SQL(", ").join(map(sql.Identifier, table.primary_key))))
        except (psycopg.errors.UniqueViolation, psycopg.errors.NotNullViolation) as exc:
            raise DuplicateKeys(table.name, table.primary_key, exc.diag.message_detail or str(exc)) from exc
        swap_in(wh, staged=(ODS, loading_name), target=(ODS, table.name))
        _index_change_columns(wh, table)
        wh.execute(sql.SQL("ANALYZE {}").format(target))
    return Loaded(mode=mode, rows_read=rows_read, rows_inserted=rows_read, rows_deleted=rows_deleted,
                  window_end=window_end, watermark_after=window_end or watermark_before)


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
    match = key_match(table, sql.Identifier("old"), sql.Identifier("new"))
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


def load_increment(table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, *, run_id: str,
                   columns: dict[str, str], resync_from: datetime | None, watermark_before: str,
                   phases: Phases) -> Loaded:
    """Stream the window (watermark - lookback, max cursor] into staging and upsert it."""
    source = sql.Identifier(table.source_schema, table.source_table)
    cursor = sql.Identifier(table.cursor)
    cursor_type = columns[table.cursor]
    typ = sql.SQL(cursor_type)
    if cursor_type.startswith(_TIME_TYPES):
        low = sql.SQL("({}::{} - {}::interval)").format(
            sql.Literal(watermark_before), typ, sql.Literal(table.lookback_delta))
        if resync_from is not None:  # a bound only widens the window: nothing before it is skipped
            low = sql.SQL("least({}::timestamptz::{}, {})").format(sql.Literal(resync_from.isoformat()), typ, low)
    elif resync_from is not None:
        raise ManualBoundInvalid("resync_from", resync_from.isoformat(),
                                 f"table={table.name} has an id cursor ({table.cursor} {cursor_type}); "
                                 "re-read it with full_reload instead")
    else:  # increasing ids: no lookback, ids are not reused
        low = sql.SQL("{}::{}").format(sql.Literal(watermark_before), typ)
    window_start, window_end = src.execute(
        sql.SQL("SELECT ({low})::text, max({cursor})::text FROM {source}").format(
            low=low, cursor=cursor, source=source)
    ).fetchone()
    if window_end is None:  # Level-1 table is empty
        return Loaded(mode=LoadMode.INCREMENTAL, window_start=window_start, watermark_after=watermark_before)
    watermark_after = src.execute(
        sql.SQL("SELECT greatest({}::{t}, {}::{t})::text").format(
            sql.Literal(watermark_before), sql.Literal(window_end), t=typ)
    ).fetchone()[0]
    rows_read, inserted, updated = _upsert_window(table, src, wh, run_id, columns, low, sql.Literal(window_end), typ,
                                                  phases)
    return Loaded(mode=LoadMode.INCREMENTAL, rows_read=rows_read, rows_inserted=inserted, rows_updated=updated,
                  window_start=window_start, window_end=window_end, watermark_after=watermark_after)


def _upsert_window(
    table: BackflowTable,
    src: psycopg.Connection,
    wh: psycopg.Connection,
    run_id: str,
    columns: dict[str, str],
    low: sql.Composable,
    high: sql.Composable,
    typ: sql.Composable,
    phases: Phases,
) -> tuple[int, int, int]:
    """Stage the window's rows and upsert the newest version of each key; return (read, inserted, updated)."""
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    pk = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))
    cursor = sql.Identifier(table.cursor)
    wh.execute(sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(sql.Identifier(STAGE),
        sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items())))
    # COPY cannot take bind parameters; the window bounds are rendered as quoted literals.
    window = sql.SQL(
        "COPY (SELECT {columns} FROM {source} WHERE {cursor} > {low} AND {cursor} <= {high}::{typ}) TO STDOUT"
    ).format(columns=column_list, source=sql.Identifier(table.source_schema, table.source_table),
             cursor=cursor, low=low, high=high, typ=typ)
    with phases.phase("copy"):
        rows_read = stream_copy(src, window, wh, sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(STAGE), column_list), label=table.name)
    if not rows_read:
        return 0, 0, 0
    non_key = [c for c in columns if c not in table.primary_key]
    with phases.phase("upsert"):
        inserted, updated = wh.execute(sql.SQL(
            "WITH newest AS ("
            "  SELECT DISTINCT ON ({pk}) {columns} FROM {stage} ORDER BY {pk}, {cursor} DESC"
            "), upserted AS ("
            "  INSERT INTO {target} AS t ({columns}, {loaded_at}, {run}, {deleted})"
            "  SELECT {columns}, now(), {run_id}, NULL FROM newest"
            "  ON CONFLICT ({pk}) DO UPDATE SET {assignments}, {loaded_at} = now(), {run} = {run_id}, {deleted} = NULL"
            "  WHERE t.{deleted} IS NOT NULL OR ({old_values}) IS DISTINCT FROM ({new_values})"
            "  RETURNING (xmax = 0) AS inserted"
            ") SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted"
        ).format(
            pk=pk, columns=column_list, cursor=cursor, target=sql.Identifier(ODS, table.name),
            stage=sql.Identifier(STAGE),
            loaded_at=sql.Identifier(LOADED_AT), run=sql.Identifier(RUN_ID), deleted=sql.Identifier(DELETED_AT),
            run_id=sql.Literal(run_id),
            assignments=sql.SQL(", ").join(
                sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c)) for c in non_key),
            old_values=sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in non_key),
            new_values=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c)) for c in non_key),
        )).fetchone()
    return rows_read, inserted, updated


def mark_deleted(table: BackflowTable, src: psycopg.Connection, wh: psycopg.Connection, run_id: str) -> int:
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
             run_id=sql.Literal(run_id), match=key_match(table, sql.Identifier("old"), sql.Identifier("new")))
    ).rowcount


def key_match(table: BackflowTable, left: sql.Identifier, right: sql.Identifier) -> sql.Composable:
    return sql.SQL(" AND ").join(
        sql.SQL("{}.{} = {}.{}").format(left, sql.Identifier(c), right, sql.Identifier(c))
        for c in table.primary_key)


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
