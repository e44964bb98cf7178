"""Scale benchmark (issue 11, "Scale: a 300-table inventory"): `make bench PART=scale`.

In one run, on a generated 300-table Level-1 (bench/scale_level1.py) and its inventory:
  - backflow_sync parse time with that inventory: DagBag of the one file in a fresh process, median of
    PARSE_REPEATS                                                              target: <= 1.5 s
  - wall time of one full daily sync of the 300 tables with 1, 2 and 4 task slots (slots = worker
    processes each calling sync_table, each slot holding a Level-1 pool slot), into a fresh warehouse
                                                                               target: 4 slots >= 3x faster
  - per-task overhead: a task's wall time minus its engine time (the ledger's duration_s)
  - Level-1's peak connections, pg_stat_activity sampled every ~100 ms, vs the level1_source pool size
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg

from bench.common import admin, database, print_table, timed, write_json
from bench.scale_level1 import SCALE_LEVEL1, seed, table_specs, write_inventory
from smartops.config.inventory import INVENTORY_PATH_ENV
from smartops.paths import PROJECT_ROOT
from smartops.setup import POOL
from smartops.warehouse.migrate import migrate

SLOTS = (1, 2, 4)
PARSE_REPEATS = 5
SAMPLE_EVERY_S = 0.1
WAREHOUSE = "bench_scale_warehouse"

PARSE_CHILD = """
import sys, time
from airflow.dag_processing.dagbag import DagBag
started = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
elapsed = time.perf_counter() - started
assert not bag.import_errors, bag.import_errors
print(len(bag.dags["backflow_sync"].tasks), elapsed)
"""


def _child_env(inventory: Path) -> dict[str, str]:
    return {**os.environ, INVENTORY_PATH_ENV: str(inventory),
            "PYTHONPATH": f"{PROJECT_ROOT / 'plugins'}{os.pathsep}{PROJECT_ROOT}"}


def parse_seconds(inventory: Path) -> tuple[int, list[float]]:
    """Parse dags/backflow_sync.py in PARSE_REPEATS fresh processes; return (task count, seconds each)."""
    runs = []
    for _ in range(PARSE_REPEATS):
        out = subprocess.run([sys.executable, "-c", PARSE_CHILD, str(PROJECT_ROOT / "dags" / "backflow_sync.py")],
                             check=True, capture_output=True, text=True, env=_child_env(inventory))  # noqa: S603
        tasks, seconds = out.stdout.split()[-2:]
        runs.append(float(seconds))
    return int(tasks), runs


class ConnectionSampler(threading.Thread):
    """Count the sessions on one database every SAMPLE_EVERY_S until stopped; keep the peak."""

    def __init__(self, dbname: str) -> None:
        super().__init__(daemon=True)
        self.dbname, self.peak, self._done = dbname, 0, threading.Event()

    def run(self) -> None:
        with psycopg.connect(admin(), autocommit=True) as conn:
            while not self._done.is_set():
                count = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                                     "pg_backend_pid()", (self.dbname,)).fetchone()[0]
                self.peak = max(self.peak, count)
                self._done.wait(SAMPLE_EVERY_S)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def _sync_one(name: str, source: str, warehouse: str, inventory: Path) -> tuple[float, float]:
    """One task: (wall seconds, engine seconds from the ledger's duration_s). Runs in a slot process."""
    from smartops.backflow.engine import sync_table
    from smartops.config.inventory import load_inventory

    started = time.perf_counter()
    result = sync_table(load_inventory(inventory).get(name), source=source, warehouse=warehouse, run_id="scale")
    return time.perf_counter() - started, result.duration_s


def daily_sync(slots: int, names: list[str], source: str, inventory: Path) -> dict:
    """One full sync of every table into a fresh warehouse with `slots` concurrent tasks."""
    warehouse = database(WAREHOUSE, fresh=True)
    migrate(warehouse)
    sampler = ConnectionSampler(SCALE_LEVEL1)
    n = len(names)
    with ProcessPoolExecutor(slots) as pool:
        sampler.start()
        with timed() as t:
            tasks = list(pool.map(_sync_one, names, [source] * n, [warehouse] * n, [inventory] * n))
    overhead = sorted(wall - engine for wall, engine in tasks)
    return {"wall_s": t["seconds"], "engine_s": sum(engine for _, engine in tasks),
            "overhead_median_s": statistics.median(overhead),
            "overhead_p90_s": overhead[int(0.9 * (len(overhead) - 1))], "peak_connections": sampler.stop()}


def run() -> dict:
    specs = table_specs()
    with timed() as t:
        source = seed(specs)
    rows = sum(s["rows"] for s in specs)
    with tempfile.TemporaryDirectory(prefix="smartops-scale-") as tmp:
        inventory = write_inventory(specs, Path(tmp))
        tasks, parses = parse_seconds(inventory)
        names = [s["name"] for s in specs]
        runs = {slots: daily_sync(slots, names, source, inventory) for slots in SLOTS}
    pool = int(POOL[1])
    parse_s = statistics.median(parses)
    speedup = runs[1]["wall_s"] / runs[4]["wall_s"]
    results = {
        "tables": len(specs), "rows": rows, "seed_s": t["seconds"], "tasks": tasks,
        "parse_s": parse_s, "parse_runs_s": parses,
        "wall_s": {str(s): r["wall_s"] for s, r in runs.items()},
        "speedup_4_vs_1": speedup,
        "per_task_overhead_s": {str(s): {"median": r["overhead_median_s"], "p90": r["overhead_p90_s"]}
                                for s, r in runs.items()},
        "engine_s": {str(s): r["engine_s"] for s, r in runs.items()},
        "level1_peak_connections": {str(s): r["peak_connections"] for s, r in runs.items()},
        "level1_pool": pool,
        "executor": "slot processes calling sync_table (no Airflow scheduler/Celery in the loop)",
    }
    print_table(f"Scale — {len(specs)} tables, {rows:,} Level-1 rows, {tasks} tasks",
                ["slots", "wall s", "engine s (sum)", "overhead median s", "overhead p90 s",
                 "L1 peak conns", "L1 pool", "speedup vs 1"],
                [[s, r["wall_s"], r["engine_s"], r["overhead_median_s"], r["overhead_p90_s"], r["peak_connections"],
                  pool, f"{runs[1]['wall_s'] / r['wall_s']:.2f}x"] for s, r in runs.items()])
    print_table("backflow_sync parse (fresh process, DagBag of the file)", ["median s", "runs s", "target"],
                [[parse_s, ", ".join(f"{p:.2f}" for p in parses), "<= 1.5 s"]])
    write_json("scale", results)
    return results
