"""Benchmark the aggregation: today's full rebuild vs the incremental build, at 1× and 10× history.

`make bench PART=aggregation` (AGG_BENCH_SCALE, default 5 ≈ 100k voucher lines at 1×). The 10×
warehouse is the 1× one with nine more copies of the ledger history (ods.gl_voucher and
ods.gl_voucher_line under offset keys, loaded long ago); each simulated day is synced into the
1× warehouse and the very same ods changes are copied into the 10× one, so both see the same
day's change. Figures are medians of the repeats (the machine is shared).
"""

from __future__ import annotations

import logging
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg import sql

from smartops.aggregation.build import build_model
from smartops.backflow.sync import sync_table
from smartops.business_date import resolve_business_date
from smartops.config.catalog import load_models
from smartops.config.inventory import load_inventory
from smartops.warehouse.migrate import migrate
from workbench.bench.common import admin, database, print_table, write_json
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day

log = logging.getLogger(__name__)

SCALE = float(os.environ.get("AGG_BENCH_SCALE", "5"))
REPEATS = int(os.environ.get("AGG_BENCH_REPEATS", "3"))
HISTORY_COPIES = 9  # 1× + 9 copies = 10× the ledger history
KEY_OFFSET = 10**12  # copies' keys: key + copy × offset, far above any seeded key
END = date(2026, 11, 28)


def bench_aggregation(warehouse: str, *, business_date: date | None = None, full_rebuild: bool = False,
                      run_id: str = "bench") -> list[dict]:
    """Build every model in dependency order on `warehouse`; return [{model, rows, seconds, mode}].

    business_date defaults to the day before today (Asia/Shanghai), as a scheduled run would use.
    """
    day = business_date or resolve_business_date(None, datetime.now(UTC))
    registry = load_models()
    results = []
    for model in registry.ordered:
        result = build_model(model, warehouse=warehouse, business_date=day, run_id=run_id,
                             full_rebuild=full_rebuild, registry=registry)
        log.info("bench %s: %d rows in %.2fs (%s)", model.name, result.rows, result.duration_s, result.mode)
        results.append({"model": model.name, "rows": result.rows, "seconds": result.duration_s,
                        "mode": result.mode.value})
    return results


def _timed_build(warehouse: str, day: date, run_id: str, *, full_rebuild: bool) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    models = bench_aggregation(warehouse, business_date=day, full_rebuild=full_rebuild, run_id=run_id)
    return time.perf_counter() - started, models


def _inflate_history(warehouse: str) -> int:
    """Add HISTORY_COPIES copies of the ledger under offset keys, loaded a year ago; return its lines."""
    with psycopg.connect(warehouse) as conn:
        for copy in range(1, HISTORY_COPIES + 1):
            offset = copy * KEY_OFFSET
            for table, keys in (("gl_voucher", ["voucher_id"]), ("gl_voucher_line", ["line_id", "voucher_id"])):
                columns = [r[0] for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'ods' "
                    "AND table_name = %s ORDER BY ordinal_position", (table,))]
                values = [sql.SQL("{} + %(offset)s").format(sql.Identifier(c)) if c in keys
                          else sql.SQL("now() - interval '1 year'") if c == "_loaded_at"
                          else sql.Identifier(c) for c in columns]
                conn.execute(sql.SQL("INSERT INTO {t} SELECT {v} FROM {t} WHERE {k} < %(limit)s").format(
                    t=sql.Identifier("ods", table), v=sql.SQL(", ").join(values),
                    k=sql.Identifier(keys[0])), {"offset": offset, "limit": KEY_OFFSET})
        conn.execute("ANALYZE ods.gl_voucher; ANALYZE ods.gl_voucher_line")
        return conn.execute("SELECT count(*) FROM ods.gl_voucher_line").fetchone()[0]


def _copy_changes(source: str, target: str, since: datetime) -> int:
    """Upsert into `target`'s ods every row `source`'s ods loaded or soft-deleted after `since`."""
    copied = 0
    with psycopg.connect(source) as src, psycopg.connect(target) as dst:
        for table in load_inventory().tables:
            name = sql.Identifier("ods", table.name)
            changed = sql.SQL("SELECT * FROM {} WHERE _loaded_at > {s} OR _deleted_at > {s}").format(
                name, s=sql.Literal(since))
            dst.execute(sql.SQL("CREATE TEMP TABLE incoming (LIKE {}) ON COMMIT DROP").format(name))
            with src.cursor().copy(sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(changed)) as out, \
                    dst.cursor().copy("COPY incoming FROM STDIN (FORMAT binary)") as into:
                for block in out:
                    into.write(block)
            pk = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))
            dst.execute(sql.SQL("DELETE FROM {} t USING incoming i WHERE ({}) = ({})").format(
                name, sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(k)) for k in table.primary_key),
                sql.SQL(", ").join(sql.SQL("i.{}").format(sql.Identifier(k)) for k in table.primary_key)))
            copied += dst.execute(sql.SQL("INSERT INTO {} SELECT * FROM incoming ORDER BY {}").format(
                name, pk)).rowcount
            dst.commit()
    return copied


def _clone(source: str, name: str) -> str:
    """Recreate database `name` as a copy of `source` (ods and ops as loaded); return its conninfo."""
    database(name, fresh=True)
    with psycopg.connect(admin(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(psycopg.conninfo.conninfo_to_dict(source)["dbname"])))
    return psycopg.conninfo.make_conninfo(source, dbname=name)


def run() -> dict:
    """Measure and print the table; write bench-results/aggregation.json."""
    level1 = database("bench_agg_level1", fresh=True)
    seed_level1(level1, scale=SCALE, end=END)
    one = database("bench_agg_1x", fresh=True)
    migrate(one)
    for table in load_inventory().tables:
        sync_table(table, source=level1, warehouse=one, run_id="bench-agg-seed")
    ten = _clone(one, "bench_agg_10x")
    lines_10x = _inflate_history(ten)

    full = {"1x": [], "10x": []}
    for repeat in range(REPEATS):
        for label, warehouse in (("1x", one), ("10x", ten)):
            seconds, _ = _timed_build(warehouse, END, f"bench-full-{repeat}", full_rebuild=True)
            full[label].append(seconds)
    incremental = {"1x": [], "10x": []}
    per_model: dict[str, list[dict]] = {}
    changed_lines = []
    day = END
    for repeat in range(REPEATS):
        day += timedelta(days=1)
        since = datetime.now(UTC)
        simulate_day(level1, day=day)
        for table in load_inventory().tables:
            sync_table(table, source=level1, warehouse=one, run_id=f"bench-agg-day{repeat}")
        _copy_changes(one, ten, since)
        for label, warehouse in (("1x", one), ("10x", ten)):
            seconds, models = _timed_build(warehouse, day, f"bench-incr-{repeat}", full_rebuild=False)
            incremental[label].append(seconds)
            per_model[label] = models
        with psycopg.connect(one) as conn:
            changed_lines.append(conn.execute(
                "SELECT count(*) FROM ods.gl_voucher_line WHERE _loaded_at > %(s)s OR _deleted_at > %(s)s",
                {"s": since}).fetchone()[0])
    with psycopg.connect(one) as conn:
        lines_1x = conn.execute("SELECT count(*) FROM ods.gl_voucher_line").fetchone()[0]

    median = {f"{kind}_{label}": statistics.median(values)
              for kind, runs in (("full", full), ("incremental", incremental)) for label, values in runs.items()}
    results = {
        "scale": SCALE, "repeats": REPEATS, "voucher_lines_1x": lines_1x, "voucher_lines_10x": lines_10x,
        "changed_voucher_lines_per_day": statistics.median(changed_lines),
        "full_s": median["full_1x"], "full_10x_s": median["full_10x"],
        "incremental_s": median["incremental_1x"], "incremental_10x_s": median["incremental_10x"],
        "ratio_10x_vs_1x": median["incremental_10x"] / median["incremental_1x"],
        "incremental_10x_vs_full_1x": median["incremental_10x"] / median["full_1x"],
        "target_incremental_10x_vs_full_1x": 2.0,
        "runs": {"full": full, "incremental": incremental},
        "last_day_per_model": per_model,
    }
    print_table(f"Aggregation, all models (scale {SCALE:g}; median of {REPEATS})",
                ["build", "history", "voucher lines", "seconds", "vs today's full"],
                [["full (today)", "1×", lines_1x, results["full_s"], 1.0],
                 ["full", "10×", lines_10x, results["full_10x_s"], results["full_10x_s"] / results["full_s"]],
                 ["incremental", "1×", lines_1x, results["incremental_s"],
                  results["incremental_s"] / results["full_s"]],
                 ["incremental", "10×", lines_10x, results["incremental_10x_s"],
                  results["incremental_10x_vs_full_1x"]]])
    print_table("Incremental build per model, last day", ["model", "mode", "1× s", "10× s"],
                [[a["model"], a["mode"], a["seconds"], b["seconds"]]
                 for a, b in zip(per_model["1x"], per_model["10x"], strict=True)])
    print(f"  target: incremental at 10× ≤ 2× today's full → {results['incremental_10x_vs_full_1x']:.2f}×")
    write_json("aggregation", results)
    return results
