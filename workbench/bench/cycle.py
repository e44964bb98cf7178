"""One whole daily cycle at 1× and 10× the history with the same day's change: `make bench PART=cycle`.

The cycle is what the five DAGs do for one business date, stage by stage, through the same
package functions their tasks call: backflow (every inventory table), aggregation (every model),
quality scan (ods, dwd, dws), scenario refresh (every scenario, through the quality gate) and the
operations report (written to a temporary folder, not delivered). The 1× and 10× warehouses are
loaded and aggregated once (workbench.bench.cycle_setup builds their Level-1s); then each repeat
simulates one business day at Level-1 (no dirty rows, so the gate can pass), applies the very same
change to the 10× Level-1, and runs the cycle on both, in alternating order. Figures are medians of
the repeats (CYCLE_BENCH_REPEATS, at least 3); CYCLE_BENCH_SCALE is the 1× seed scale (5 ≈ 100k
voucher lines). Target: total at 10× <= 1.5× total at 1×. Writes bench-results/cycle.json, and prints
the figures of bench-results/cycle_baseline.json (an earlier run kept by hand) beside its own.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

from smartops.aggregation.build import build_model
from smartops.backflow.sync import sync_table
from smartops.config.alerting import load_alerting_config
from smartops.config.catalog import load_models, load_scenarios
from smartops.config.inventory import load_inventory
from smartops.quality.checkfiles import discover, select
from smartops.quality.runner import run_quality_scan
from smartops.report.build import generate_report
from smartops.scenarios.refresh import Status, refresh_scenario
from smartops.warehouse.migrate import migrate
from workbench.bench.common import RESULTS_DIR, database, print_table, write_json
from workbench.bench.cycle_setup import clone_database, day_xid, inflate_level1, replay_day
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day

log = logging.getLogger(__name__)

SCALE = float(os.environ.get("CYCLE_BENCH_SCALE", "5"))
REPEATS = max(3, int(os.environ.get("CYCLE_BENCH_REPEATS", "3")))
END = date(2026, 11, 28)
STAGES = ("backflow", "aggregation", "quality", "scenarios", "report")
TARGET = 1.5
_DB = "bench_cycle"
# A run to print beside (copy an earlier bench-results/cycle.json here, e.g. of the commit before a change).
BASELINE = RESULTS_DIR / "cycle_baseline.json"


def _backflow(level1: str, warehouse: str, day: date, run_id: str) -> dict:
    results = [sync_table(t, source=level1, warehouse=warehouse, run_id=run_id, business_date=day)
               for t in load_inventory().tables]
    return {"rows_read": sum(r.rows_read for r in results),
            "whole_table_reconciled": sorted(r.table for r in results if r.reconcile_scope.value == "table")}


def _aggregation(warehouse: str, day: date, run_id: str, *, full_rebuild: bool = False) -> dict:
    registry = load_models()
    results = [build_model(m, warehouse=warehouse, business_date=day, run_id=run_id, full_rebuild=full_rebuild,
                           registry=registry) for m in registry.ordered]
    return {"models": {r.model: {"mode": r.mode.value, "seconds": r.duration_s} for r in results}}


def _quality(warehouse: str, day: date, run_id: str) -> dict:
    report = run_quality_scan(warehouse, select(discover()), run_id=run_id, business_date=day)
    return {"outcomes": {k: v for k, v in report.summary().items() if k in ("pass", "warn", "fail", "error")}}


def _scenarios(warehouse: str, day: date, run_id: str) -> dict:
    results = [refresh_scenario(s, warehouse=warehouse, business_date=day, run_id=run_id)
               for s in load_scenarios().scenarios]
    return {"published": sum(r.status is Status.PUBLISHED for r in results),
            "skipped": {r.scenario: r.reason for r in results if r.status is Status.SKIPPED}}


def _report(warehouse: str, day: date, run_id: str, folder: Path) -> dict:
    config = load_alerting_config()
    config = config.model_copy(update={"report": config.report.model_copy(update={"folder": str(folder)})})
    generate_report(warehouse, day, run_id=run_id, deliver_to_channels=False, config=config)
    return {}


def run_cycle(level1: str, warehouse: str, day: date, run_id: str, folder: Path) -> dict:
    """Run the daily cycle of `day` stage by stage; return {stage: {seconds, ...}} and the total."""
    stages: dict[str, Callable[[], dict]] = {
        "backflow": lambda: _backflow(level1, warehouse, day, run_id),
        "aggregation": lambda: _aggregation(warehouse, day, run_id),
        "quality": lambda: _quality(warehouse, day, run_id),
        "scenarios": lambda: _scenarios(warehouse, day, run_id),
        "report": lambda: _report(warehouse, day, run_id, folder),
    }
    figures: dict = {}
    for stage, call in stages.items():
        started = time.perf_counter()
        detail = call()
        figures[stage] = {"seconds": round(time.perf_counter() - started, 3), **detail}
        log.info("cycle %s %s: %.2fs", run_id, stage, figures[stage]["seconds"])
    figures["total"] = round(sum(figures[s]["seconds"] for s in STAGES), 3)
    return figures


def prepare() -> dict[str, tuple[str, str]]:
    """Seed the 1× and 10× Level-1s and load, build, scan and publish both warehouses once."""
    level1 = database(f"{_DB}_l1_1x", fresh=True)
    seed_level1(level1, scale=SCALE, end=END)
    level1_10x = clone_database(f"{_DB}_l1_1x", f"{_DB}_l1_10x")
    inflate_level1(level1_10x)
    sides = {}
    for label, source in (("1x", level1), ("10x", level1_10x)):
        warehouse = database(f"{_DB}_wh_{label}", fresh=True)
        migrate(warehouse)
        with tempfile.TemporaryDirectory() as folder:
            figures = run_cycle(source, warehouse, END, "cycle-initial", Path(folder))
        log.info("initial cycle %s: %s", label, {s: figures[s]["seconds"] for s in STAGES})
        sides[label] = (source, warehouse)
    return sides


def _counts(warehouse: str) -> dict[str, int]:
    with psycopg.connect(warehouse) as conn:
        return {t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("ods", t))).fetchone()[0]
                for t in ("gl_voucher_line", "expense_claim", "ar_invoice", "bank_transaction")}


def _baseline() -> dict | None:
    """The figures of an earlier run kept as the baseline (bench-results/cycle_baseline.json), if any."""
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else None


def _beside(before: dict, stage: str) -> list:
    figures = before["stages"].get(stage)
    if not figures:
        return ["-", "-", "-"]
    ratio = figures["10x_vs_1x"]
    return [figures["1x_s"], figures["10x_s"], f"{ratio:.2f}×" if ratio else "-"]


def run() -> dict:
    """Measure and print the cycle table; write bench-results/cycle.json."""
    sides = prepare()
    runs: dict[str, list[dict]] = {"1x": [], "10x": []}
    changed = []
    day = END
    for repeat in range(REPEATS):
        day += timedelta(days=1)
        summary = simulate_day(sides["1x"][0], day=day, dirty_rate=0.0)
        changed.append(sum(summary.inserted.values()) + sum(summary.updated.values()) + sum(summary.deleted.values()))
        replay_day(sides["1x"][0], sides["10x"][0], day_xid(sides["1x"][0]), summary.deleted)
        order = ("1x", "10x") if repeat % 2 == 0 else ("10x", "1x")
        for label in order:
            level1, warehouse = sides[label]
            with tempfile.TemporaryDirectory() as folder:
                runs[label].append(run_cycle(level1, warehouse, day, f"cycle-{day}", Path(folder)))
    median = {label: {s: statistics.median(r[s]["seconds"] for r in rs) for s in STAGES}
              for label, rs in runs.items()}
    for label in median:
        median[label]["total"] = statistics.median(r["total"] for r in runs[label])
    ratio = median["10x"]["total"] / median["1x"]["total"]
    results = {
        "scale": SCALE, "repeats": REPEATS, "rows_changed_per_day": statistics.median(changed),
        "ods_rows": {label: _counts(sides[label][1]) for label in sides},
        "stages": {s: {"1x_s": median["1x"][s], "10x_s": median["10x"][s],
                       "10x_vs_1x": median["10x"][s] / median["1x"][s] if median["1x"][s] else None}
                   for s in (*STAGES, "total")},
        "total_1x_s": median["1x"]["total"], "total_10x_s": median["10x"]["total"],
        "total_10x_vs_1x": ratio, "target_total_10x_vs_1x": TARGET,
        "runs": runs,
    }
    before = _baseline()
    if before:
        results["baseline"] = {"stages": before["stages"], "total_10x_vs_1x": before["total_10x_vs_1x"]}
    print_table(f"Daily cycle, 1× and 10× history, same day's change (scale {SCALE:g}; median of {REPEATS} "
                f"interleaved runs; baseline: {BASELINE.name if before else 'none saved'})",
                ["stage", "1× s", "10× s", "10× vs 1×", "baseline 1× s", "baseline 10× s", "baseline 10× vs 1×"],
                [[s, median["1x"][s], median["10x"][s],
                  f"{median['10x'][s] / median['1x'][s]:.2f}×" if median["1x"][s] else "-",
                  *(_beside(before, s) if before else ["-", "-", "-"])]
                 for s in (*STAGES, "total")])
    print(f"  target: total at 10× <= {TARGET}× total at 1× → {ratio:.2f}× ({'met' if ratio <= TARGET else 'not met'})")
    last = {label: rs[-1] for label, rs in runs.items()}
    print_table("Last day, aggregation per model (seconds)", ["model", "mode 1×", "1× s", "mode 10×", "10× s"],
                [[m, a["mode"], a["seconds"], last["10x"]["aggregation"]["models"][m]["mode"],
                  last["10x"]["aggregation"]["models"][m]["seconds"]]
                 for m, a in last["1x"]["aggregation"]["models"].items()])
    write_json("cycle", results)
    return results
