"""The daily cost follows the day's change, not the history (issue 12, target 2): `make bench PART=incremental`.

Two synthetic Level-1 tables shaped like l1.gl_voucher_line, 1M and 10M rows, whose newest rows are one
second apart (so the 2h lookback re-reads the same 7,200 rows at either size). On each: a full load,
then CHANGED rows spread over the whole table are updated and one incremental sync runs, timed — with
window reconciliation (the full load reconciled the whole table for the same business date;
full_reconcile: daily),
and once more with the whole-table reconciliation due, for comparison. Targets:
  incremental (window) at 1M  <= 5% of the full load at 1M
  incremental (window) at 10M <= 1.5x the same change at 1M   -> backflow.json f_same_change_10m_vs_1m
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

import psycopg
from psycopg import sql

from bench.common import RESULTS_DIR, database, print_table, timed, write_json
from smartops.backflow.engine import sync_table
from smartops.config.inventory import BackflowTable
from smartops.warehouse.migrate import migrate

SIZES = (1_000_000, 10_000_000)
CHANGED = 10_000
LEVEL1 = "bench_incr_level1"
DAY = date(2026, 12, 1)  # every run stands for the same business date: the full load reconciled it whole
SEEDED_NEWEST = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 Asia/Shanghai

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
    name = f"lines_{rows // 1_000_000}m"
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


def _change(level1: str, table: BackflowTable, rows: int, round_: int) -> int:
    """Update CHANGED rows spread over the whole table (old documents too), cursor bumped to now."""
    with psycopg.connect(level1, autocommit=True) as conn:
        return conn.execute(sql.SQL(
            "UPDATE {} SET summary = summary || ' (edit)', debit_amount = debit_amount + 1, updated_at = now() "
            "WHERE line_id %% %s = %s").format(sql.Identifier("l1", table.name)),
            (rows // CHANGED, round_)).rowcount


def measure(rows: int, level1: str) -> dict:
    table = _table(rows)
    _seed(level1, table, rows)
    warehouse = database(f"bench_incr_wh_{rows // 1_000_000}m", fresh=True)
    migrate(warehouse)
    with timed() as full:
        sync_table(table, source=level1, warehouse=warehouse, run_id="full", business_date=DAY)
    changed = _change(level1, table, rows, 1)
    time.sleep(0.1)
    with timed() as window:
        incr = sync_table(table, source=level1, warehouse=warehouse, run_id="window", business_date=DAY)
    _change(level1, table, rows, 2)
    time.sleep(0.1)
    whole_table = _table(rows, full_reconcile="every 1 run")
    with timed() as whole:
        incr_whole = sync_table(whole_table, source=level1, warehouse=warehouse, run_id="whole", business_date=DAY)
    database(f"bench_incr_wh_{rows // 1_000_000}m", fresh=True)  # free the space
    return {"rows": rows, "changed": changed, "full_s": full["seconds"], "window_s": window["seconds"],
            "window_rows_read": incr.rows_read, "window_scope": incr.reconcile_scope.value,
            "window_phases": incr.phases, "whole_s": whole["seconds"], "whole_scope": incr_whole.reconcile_scope.value,
            "whole_phases": incr_whole.phases, "window_vs_full": window["seconds"] / full["seconds"]}


def run() -> dict:
    level1 = database(LEVEL1, fresh=False)
    results = {str(rows): measure(rows, level1) for rows in SIZES}
    small, big = results[str(SIZES[0])], results[str(SIZES[1])]
    ratio = big["window_s"] / small["window_s"]
    print_table("Incremental sync: the same change on 1M and 10M rows (key_compare, 2 amount sums)",
                ["rows", "changed", "rows read", "full load s", "incremental s (window)", "vs full",
                 "incremental s (whole table due)", "target"],
                [[r["rows"], r["changed"], r["window_rows_read"], r["full_s"], r["window_s"],
                  f"{r['window_vs_full']:.1%}", r["whole_s"], "<= 5% of full at 1M"] for r in results.values()])
    print_table("Where the incremental time goes (seconds per phase, window reconciliation)",
                ["rows", *sorted(small["window_phases"])],
                [[r["rows"], *(r["window_phases"].get(p, "-") for p in sorted(small["window_phases"]))]
                 for r in results.values()])
    print_table("Same change, 10M vs 1M", ["10M s", "1M s", "ratio", "target"],
                [[big["window_s"], small["window_s"], f"{ratio:.2f}x", "<= 1.5x"]])
    write_json("incremental", results)
    # beside the backflow part's keys (which may come from an earlier run of that part)
    path = RESULTS_DIR / "backflow.json"
    merged = json.loads(path.read_text()) if path.exists() else {}
    merged["f_same_change_10m_vs_1m"] = {"ratio": ratio, "seconds_10m": big["window_s"],
                                         "seconds_1m": small["window_s"], "rows_changed": CHANGED,
                                         "incremental_vs_full_1m": small["window_vs_full"]}
    write_json("backflow", merged)
    return results
