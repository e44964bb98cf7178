"""The daily cost follows the day's change, not the history (issue 12, target 2): `make bench PART=incremental`.

Two synthetic Level-1 tables shaped like l1.gl_voucher_line, 1M and 10M rows, whose newest rows are one
second apart (so the 2h lookback re-reads the same 7,200 rows at either size). On each: a full load,
then CHANGED rows spread over the whole table are updated and one incremental sync runs, timed — with
window reconciliation (the full load reconciled the whole table for the same business date;
full_reconcile: daily),
and once more with the whole-table reconciliation due, for comparison. Each timed sync follows a
CHECKPOINT, as a nightly run does: its first write to each page then logs a full-page image. The same
steps run at fillfactor 100 (before HOT updates) as the baseline, in the same run. Targets:
  incremental (window) at 1M  <= 5% of the full load at 1M
  incremental (window) at 10M <= 1.5x the same change at 1M   -> backflow.json f_same_change_10m_vs_1m
"""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg import sql

from smartops.backflow import load
from smartops.backflow.result import SyncResult
from smartops.backflow.sync import sync_table
from smartops.config.inventory import BackflowTable
from smartops.warehouse.migrate import migrate
from workbench.bench import raw_apply
from workbench.bench.common import RESULTS_DIR, admin, database, print_table, timed, write_json

SIZES = tuple(int(n) for n in os.environ.get("INCR_BENCH_SIZES", "1000000,10000000").split(","))
CHANGED = 10_000
LEVEL1 = "bench_incr_level1"
DAY = date(2026, 12, 1)  # every run stands for the same business date: the full load reconciled it whole
SEEDED_NEWEST = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 Asia/Shanghai
FILLFACTOR = load.INCREMENTAL_FILLFACTOR
BASELINE_FILLFACTOR = 100  # before HOT updates
COLUMNS = ["line_id", "voucher_id", "account_code", "debit_amount", "credit_amount", "summary", "updated_at"]
# INCR_BENCH_FF100=0 skips the fillfactor-100 baseline runs (the raw-apply comparison runs at the product's 90).
WITH_FF100 = os.environ.get("INCR_BENCH_FF100", "1") != "0"
_CHANGES = 0
RAW_REPEATS = 3  # rounds of each pattern's change, raw apply and our sync alternating: medians compared

_CREATE = """
CREATE TABLE IF NOT EXISTS l1.{t} (
    line_id bigint PRIMARY KEY, voucher_id bigint NOT NULL, account_code text, debit_amount numeric(18,2) NOT NULL,
    credit_amount numeric(18,2) NOT NULL, summary text, updated_at timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS {t}_updated_at ON l1.{t} (updated_at)
"""
_FILL = ("INSERT INTO l1.{t} SELECT g, g / 8, '6602.' || (g % 97), round((g::bigint * 7919 % 100000) / 100.0, 2), "
         "round((g::bigint * 104729 % 100000) / 100.0, 2), 'line ' || g, "
         "timestamptz '2026-12-01 00:00+08' - ({n} - g) * interval '1 second' FROM generate_series(1, {n}) g")


def _table(rows: int, **overrides: str) -> BackflowTable:
    name = f"lines_{rows // 1_000_000}m" if rows % 1_000_000 == 0 else f"lines_{rows // 1000}k"
    return BackflowTable(name=name, source=f"l1.{name}", primary_key=["line_id"], cursor="updated_at",
                         delete_detection="key_compare", amount_columns=["debit_amount", "credit_amount"],
                         owner="bench", severity="critical", freshness_sla="6h", **overrides)


def _seed(level1: str, table: BackflowTable, rows: int) -> None:
    """Create and fill the table once (kept across runs: 10M rows take a while)."""
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS l1")
        for statement in _CREATE.format(t=table.name).split(";"):
            conn.execute(statement)
        count, newest = conn.execute(sql.SQL("SELECT count(*), max(updated_at) FROM {}").format(
            sql.Identifier("l1", table.name))).fetchone()
        if count != rows or newest != SEEDED_NEWEST:  # refilled after an earlier run's changes
            conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier("l1", table.name)))
            conn.execute(_FILL.format(t=table.name, n=rows))
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier("l1", table.name)))


def _restore(level1: str, table: BackflowTable, rows: int) -> None:
    """Put the changed rows back as seeded, so the next measurement (and bench run) starts alike."""
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute(sql.SQL("DELETE FROM {} WHERE line_id > %s").format(sql.Identifier("l1", table.name)), (rows,))
        conn.execute(sql.SQL(
            "UPDATE {t} SET summary = 'line ' || line_id, debit_amount = round((line_id * 7919 %% 100000) / 100.0, 2), "
            "updated_at = timestamptz '2026-12-01 00:00+08' - (%s - line_id) * interval '1 second' "
            "WHERE updated_at > %s").format(t=sql.Identifier("l1", table.name)), (rows, SEEDED_NEWEST))
        # Rewritten in key order, as seeded: otherwise the restored rows stay together at the end of the
        # table, the next full load copies them together, and the next changes hit a few full ods pages.
        conn.execute(sql.SQL("CLUSTER {} USING {}").format(
            sql.Identifier("l1", table.name), sql.Identifier(f"{table.name}_pkey")))
        conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("l1", table.name)))


def _timed_sync(level1: str, warehouse: str, table: BackflowTable, run_id: str) -> tuple[float, int, SyncResult]:
    """(seconds, WAL bytes written, result) of one sync that starts after a checkpoint."""
    with psycopg.connect(admin(), autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        before = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with timed() as clock:
            result = sync_table(table, source=level1, warehouse=warehouse, run_id=run_id, business_date=DAY)
        wal = conn.execute("SELECT pg_current_wal_lsn() - %s::pg_lsn", (before,)).fetchone()[0]
    return clock["seconds"], int(wal), result


def _change_time() -> datetime:
    """The cursor value of the next change: 3 h after the previous one, so each sync's window (watermark - 2 h
    lookback, newest] holds only its own change and the same lookback rows, however fast the rounds follow."""
    global _CHANGES
    _CHANGES += 1
    return datetime.now(UTC) + _CHANGES * timedelta(hours=3)


def _change(level1: str, table: BackflowTable, rows: int, round_: int) -> int:
    """Update CHANGED rows spread over the whole table (old documents too), cursor bumped to now.

    Level-1 is then vacuumed, as its autovacuum would before the night: reading the fresh row versions
    would otherwise set their hint bits inside the timed sync and, with data checksums, log a full-page
    image of each Level-1 page, which is Level-1's write, not the sync's.
    """
    with psycopg.connect(level1, autocommit=True) as conn:
        changed = conn.execute(sql.SQL(
            "UPDATE {} SET summary = summary || ' (edit)', debit_amount = debit_amount + 1, updated_at = %s "
            "WHERE line_id %% %s = %s").format(sql.Identifier("l1", table.name)),
            (_change_time(), rows // CHANGED, round_)).rowcount
        conn.execute(sql.SQL("VACUUM {}").format(sql.Identifier("l1", table.name)))
        return changed


def _change_daily(level1: str, table: BackflowTable, rows: int, round_: int) -> int:
    """A day's pattern: CHANGED rows among the newest 5 % of the table updated, CHANGED / 2 new rows."""
    newest = rows // 20
    with psycopg.connect(level1, autocommit=True) as conn:
        name = sql.Identifier("l1", table.name)
        changed = conn.execute(sql.SQL(
            "UPDATE {} SET summary = summary || ' (edit)', debit_amount = debit_amount + 1, updated_at = %s "
            "WHERE line_id > %s AND line_id %% %s = %s").format(name),
            (at := _change_time(), rows - newest, max(1, newest // CHANGED), round_ % max(1, newest // CHANGED))
        ).rowcount
        first = rows + (round_ - 1) * (CHANGED // 2) + 1  # each round's new rows have new keys
        changed += conn.execute(sql.SQL(
            "INSERT INTO {} SELECT g, g / 8, '6602.' || (g %% 97), 1.00, 0.00, 'new line ' || g, %s "
            "FROM generate_series(%s, %s) g").format(name), (at, first, first + CHANGED // 2 - 1)).rowcount
        conn.execute(sql.SQL("VACUUM {}").format(name))
        return changed


def _against_raw(level1: str, warehouse: str, table: BackflowTable, pattern: str) -> dict:
    """Time the raw apply of the next window on a copy of `warehouse`, then the product's sync of it."""
    twin_name = f"{psycopg.conninfo.conninfo_to_dict(warehouse)['dbname']}_raw"
    twin = raw_apply.clone(warehouse, twin_name)
    try:
        raw = raw_apply.raw_apply(level1, twin, table, COLUMNS, raw_apply.window_bounds(warehouse, level1, table))
    finally:
        database(twin_name, fresh=True)
        with psycopg.connect(admin(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(twin_name)))
    seconds, wal, result = _timed_sync(level1, warehouse, table, pattern)
    return {"seconds": seconds, "wal_mb": wal / 2**20, "rows_read": result.rows_read,
            "rows_written": result.rows_inserted + result.rows_updated, "phases": result.phases,
            "raw_s": raw["seconds"], "raw_wal_mb": raw["wal_mb"], "raw_rows_written": raw["rows_written"],
            "vs_raw_apply": seconds / raw["seconds"]}


def _median_against_raw(level1: str, warehouse: str, table: BackflowTable, rows: int, pattern: str, *,
                        first_change: bool = False) -> dict:
    """RAW_REPEATS rounds of one pattern's change (other rows each round), raw apply then our sync; medians.

    first_change: the first round's spread change was already made (the caller's `changed`).
    """
    runs = []
    for round_ in range(1, RAW_REPEATS + 1):
        if pattern == "daily":
            _change_daily(level1, table, rows, round_)
        elif not (first_change and round_ == 1):
            _change(level1, table, rows, round_ + 10)
        time.sleep(0.1)
        runs.append(_against_raw(level1, warehouse, table, f"{pattern}-{round_}"))
    median = {key: statistics.median(r[key] for r in runs)
              for key in ("seconds", "wal_mb", "rows_read", "rows_written", "raw_s", "raw_wal_mb", "raw_rows_written")}
    return {**median, "phases": runs[len(runs) // 2]["phases"], "vs_raw_apply": median["seconds"] / median["raw_s"],
            "runs": [{"seconds": r["seconds"], "raw_s": r["raw_s"]} for r in runs]}


def measure(rows: int, level1: str, fillfactor: int, *, against_raw: bool = False) -> dict:
    table = _table(rows)
    _seed(level1, table, rows)
    warehouse = database(f"bench_incr_wh_{_table(rows).name}", fresh=True)
    migrate(warehouse)
    load.INCREMENTAL_FILLFACTOR = fillfactor
    patterns = {}
    try:
        full_s, full_wal, _ = _timed_sync(level1, warehouse, table, "full")
        changed = _change(level1, table, rows, 1)
        time.sleep(0.1)
        if against_raw:
            patterns["spread"] = _median_against_raw(level1, warehouse, table, rows, "spread", first_change=True)
            window_s, window_wal = patterns["spread"]["seconds"], patterns["spread"]["wal_mb"] * 2**20
            incr_phases, incr_rows = patterns["spread"]["phases"], patterns["spread"]["rows_read"]
            patterns["daily"] = _median_against_raw(level1, warehouse, table, rows, "daily")
            patterns["daily"]["vs_full"] = patterns["daily"]["seconds"] / full_s
        else:
            window_s, window_wal, incr = _timed_sync(level1, warehouse, table, "window")
            incr_phases, incr_rows = incr.phases, incr.rows_read
        _change(level1, table, rows, 2)
        time.sleep(0.1)
        whole_s, _, incr_whole = _timed_sync(level1, warehouse, _table(rows, full_reconcile="every 1 run"), "whole")
    finally:
        load.INCREMENTAL_FILLFACTOR = FILLFACTOR
        _restore(level1, table, rows)
        database(f"bench_incr_wh_{_table(rows).name}", fresh=True)  # free the space
    return {"rows": rows, "fillfactor": fillfactor, "changed": changed, "full_s": full_s,
            "full_wal_mb": full_wal / 2**20, "window_s": window_s, "window_wal_mb": window_wal / 2**20,
            "window_rows_read": incr_rows, "window_scope": "window",
            "window_phases": incr_phases, "whole_s": whole_s, "whole_scope": incr_whole.reconcile_scope.value,
            "whole_phases": incr_whole.phases, "window_vs_full": window_s / full_s, "patterns": patterns}


def run() -> dict:
    level1 = database(LEVEL1, fresh=False)
    results = {}
    for rows in SIZES:
        if WITH_FF100:
            results[f"{rows}_ff{BASELINE_FILLFACTOR}"] = measure(rows, level1, BASELINE_FILLFACTOR)
        results[str(rows)] = measure(rows, level1, FILLFACTOR, against_raw=True)
    small, big = results[str(SIZES[0])], results[str(SIZES[1])]
    ratio = big["window_s"] / small["window_s"]
    print_table("Incremental sync: the same change on 1M and 10M rows (key_compare, 2 amount sums)",
                ["rows", "fillfactor", "changed", "rows read", "full load s", "incremental s (window)",
                 "WAL MB", "vs full", "incremental s (whole table due)", "target"],
                [[r["rows"], r["fillfactor"], r["changed"], r["window_rows_read"], r["full_s"], r["window_s"],
                  r["window_wal_mb"], f"{r['window_vs_full']:.1%}", r["whole_s"], "<= 5% of full at 1M"]
                 for r in results.values()])
    print_table("Where the incremental time goes (seconds per phase, window reconciliation)",
                ["rows", "fillfactor", *sorted(small["window_phases"])],
                [[r["rows"], r["fillfactor"], *(r["window_phases"].get(p, "-") for p in sorted(small["window_phases"]))]
                 for r in results.values()])
    print_table("Same change, 10M vs 1M", ["10M s", "1M s", "ratio", "target"],
                [[big["window_s"], small["window_s"], f"{ratio:.2f}x", "<= 1.5x"]])
    raw_rows = [[r["rows"], pattern, p["rows_read"], p["rows_written"], p["raw_s"], p["seconds"],
                 f"{p['vs_raw_apply']:.2f}x", p["raw_wal_mb"], p["wal_mb"],
                 f"{p['vs_full']:.1%}" if "vs_full" in p else "-"]
                for r in results.values() for pattern, p in r["patterns"].items()]
    print_table(f"Incremental sync beside the raw apply of the same window (psql COPY + one upsert, same table "
                f"copy; median of {RAW_REPEATS} rounds)",
                ["rows", "pattern", "rows read", "rows written", "raw apply s", "our sync s", "vs raw", "raw WAL MB",
                 "our WAL MB", "vs full"], raw_rows)
    print("  targets: our sync <= 1.15x the raw apply (both patterns, 1M and 10M); daily pattern <= 5% of full")
    write_json("incremental", results)
    # beside the backflow part's keys (which may come from an earlier run of that part)
    path = RESULTS_DIR / "backflow.json"
    merged = json.loads(path.read_text()) if path.exists() else {}
    merged["f_same_change_10m_vs_1m"] = {"ratio": ratio, "seconds_10m": big["window_s"],
                                         "seconds_1m": small["window_s"], "rows_changed": CHANGED,
                                         "incremental_vs_full_1m": small["window_vs_full"]}
    d = merged.setdefault("d_incremental", {})
    d["vs_raw_apply"] = {f"{r['rows']}_{pattern}": {"seconds": p["seconds"], "raw_s": p["raw_s"],
                                                     "ratio": p["vs_raw_apply"], "target": 1.15}
                         for r in (small, big) for pattern, p in r["patterns"].items()}
    d["daily_pattern_vs_full"] = {str(r["rows"]): {"seconds": r["patterns"]["daily"]["seconds"],
                                                   "full_s": r["full_s"], "ratio": r["patterns"]["daily"]["vs_full"],
                                                   "target": 0.05} for r in (small, big)}
    write_json("backflow", merged)
    return results
