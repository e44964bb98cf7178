"""Scale benchmark (issue 11, "Scale: a 300-table inventory"): `make bench PART=scale`.

In one run, on a generated 300-table Level-1 (bench/scale_level1.py) and its inventory:
  - backflow_sync parse time with that inventory: DagBag of the one file in a fresh process, median of
    PARSE_REPEATS                                                              target: <= 1.5 s
  - wall time of one full daily sync of the 300 tables with 1, 2 and 4 task slots under the
    CeleryExecutor (make cluster's launcher: scheduler, DAG processor, API server, one Celery worker
    with `slots` processes; the scheduled backflow_sync run), into a fresh warehouse
                                                                               target: 4 slots >= 3x faster
  - per-task overhead: a task instance's wall time minus its engine time (the ledger's duration_s)
  - Level-1's peak connections, pg_stat_activity sampled every ~100 ms, vs the level1_source pool
    (counted in connections: SOURCE_SESSIONS per task)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psycopg

from smartops.alerting.airflow_api import pages
from smartops.backflow import SOURCE_SESSIONS
from smartops.config.inventory import INVENTORY_PATH_ENV, load_inventory
from smartops.paths import PROJECT_ROOT
from smartops.warehouse.connections import airflow_uri
from smartops.warehouse.migrate import migrate
from workbench.bench.common import admin, database, print_table, timed, write_json
from workbench.bench.scale_level1 import SCALE_LEVEL1, seed, table_specs, write_inventory
from workbench.cluster import Cluster, ClusterSpec, metadata_uri
from workbench.setup import POOL, Endpoints, airflow, airflow_env

SLOTS = (1, 2, 4)
BATCH_SIZE = 25  # small tables per batch task
PARSE_REPEATS = 5
SAMPLE_EVERY_S = 0.1
WAREHOUSE = "bench_scale_warehouse"
METADATA = "bench_scale_airflow"

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
    """Sample the client sessions on one database every SAMPLE_EVERY_S until stopped; keep the peaks.

    `peak` counts every session; `peak_in_use` only those inside a transaction or running a statement
    (a closed connection's backend can linger for a moment as `idle` while it exits); `at_peak` lists
    the sessions (application, state, client port, query) when `peak_in_use` was reached.
    """

    def __init__(self, dbname: str) -> None:
        super().__init__(daemon=True)
        self.dbname, self.peak, self.peak_in_use, self.at_peak = dbname, 0, 0, []
        self._done = threading.Event()

    def run(self) -> None:
        with psycopg.connect(admin(), autocommit=True) as conn:
            while not self._done.is_set():
                # Client connections only: a parallel query's workers show up with the leader's database and
                # application name, but they are not connections (max_worker_processes, not the pool).
                sessions = conn.execute("SELECT application_name, state, client_port, left(query, 80) "
                                        "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                                        "AND backend_type = 'client backend'", (self.dbname,)).fetchall()
                in_use = sum(state in ("active", "idle in transaction") for _, state, _, _ in sessions)
                self.peak = max(self.peak, len(sessions))
                if in_use > self.peak_in_use:  # what the sessions in use were doing, for the record
                    self.peak_in_use, self.at_peak = in_use, sorted(" | ".join(map(str, s)) for s in sessions)
                self._done.wait(SAMPLE_EVERY_S)

    def stop(self) -> tuple[int, int, list[str]]:
        self._done.set()
        self.join()
        return self.peak, self.peak_in_use, self.at_peak


def daily_sync(slots: int, source: str, inventory: Path, home: Path) -> dict:
    """The scheduled backflow_sync of every table into a fresh warehouse, under the CeleryExecutor.

    One worker with `slots` task processes, the level1_source pool sized for `slots` concurrent
    tables (SOURCE_SESSIONS connections each), only backflow_sync unpaused.
    """
    warehouse = database(WAREHOUSE, fresh=True)
    migrate(warehouse)
    env = airflow_env(Endpoints(airflow_uri(source), airflow_uri(warehouse), embedded=False))
    spec = ClusterSpec.on_free_ports(
        home=home / f"{inventory.stem}-slots-{slots}", workers=1, worker_concurrency=slots,
        metadata_uri=metadata_uri(database(METADATA, fresh=True)),
        env={INVENTORY_PATH_ENV: str(inventory), "AIRFLOW__CORE__PARALLELISM": str(slots),
             "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(slots),
             "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"})
    sampler = ConnectionSampler(SCALE_LEVEL1)
    with Cluster(env, spec) as cluster:
        airflow(cluster.env, "pools", "set", POOL[0], str(slots * SOURCE_SESSIONS), POOL[2])
        rest = cluster.api_client()
        while rest.get("/api/v2/dags/backflow_sync").status_code != 200:  # parsed by the DAG processor
            cluster.check()
            time.sleep(1)
        sampler.start()
        rest.patch("/api/v2/dags/backflow_sync", json={"is_paused": False}).raise_for_status()
        while True:  # unpaused: the scheduler creates the latest due run at once
            cluster.check()
            runs = rest.get("/api/v2/dags/backflow_sync/dagRuns").raise_for_status().json()["dag_runs"]
            if runs and runs[0]["state"] in ("success", "failed"):
                break
            time.sleep(2)
        peak, peak_in_use, at_peak = sampler.stop()
        run = runs[0]
        tis = pages(rest, f"/api/v2/dags/backflow_sync/dagRuns/{run['dag_run_id']}/taskInstances", "task_instances")
    engine = dict(query_all(warehouse, "SELECT table_name, duration_s FROM ops.sync_ledger"))
    members = {task_id: [t.name for t in tables] for task_id, tables in load_inventory(inventory).sync_tasks()}
    # a task's wall time minus the engine time of its tables
    overhead = sorted(_seconds(t["start_date"], t["end_date"]) - sum(engine[n] for n in members[t["task_id"]])
                      for t in tis)
    return {"state": run["state"], "wall_s": _seconds(run["start_date"], run["end_date"]), "tasks": len(tis),
            "tables_loaded": len(engine), "tasks_succeeded": sum(t["state"] == "success" for t in tis),
            "engine_s": sum(engine.values()),
            "overhead_median_s": statistics.median(overhead),
            "overhead_p90_s": overhead[int(0.9 * (len(overhead) - 1))],
            "peak_connections": peak, "peak_in_use": peak_in_use, "sessions_at_peak": at_peak,
            "pool_connections": slots * SOURCE_SESSIONS}


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def query_all(conninfo: str, statement: str) -> list[tuple]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(statement).fetchall()


def run() -> dict:
    specs = table_specs()
    with timed() as t:
        source = seed(specs)
    rows = sum(s["rows"] for s in specs)
    with tempfile.TemporaryDirectory(prefix="smartops-scale-") as tmp:
        batched = write_inventory(specs, Path(tmp), batch_size=BATCH_SIZE)
        unbatched = write_inventory(specs, Path(tmp))
        tasks, parses = parse_seconds(unbatched)
        # the baseline: one task per table, at the most slots (its per-task overhead is the point)
        baseline = daily_sync(max(SLOTS), source, unbatched, Path(tmp))
        runs = {slots: daily_sync(slots, source, batched, Path(tmp)) for slots in SLOTS}
    parse_s = statistics.median(parses)
    speedup = runs[1]["wall_s"] / runs[4]["wall_s"]
    results = {
        "tables": len(specs), "rows": rows, "seed_s": t["seconds"], "tasks": tasks,
        "parse_s": parse_s, "parse_runs_s": parses, "batch_size": BATCH_SIZE, "batched_tasks": runs[1]["tasks"],
        "wall_s": {str(s): r["wall_s"] for s, r in runs.items()},
        "speedup_4_vs_1": speedup,
        "unbatched_4_slots": baseline,
        "per_task_overhead_s": {str(s): {"median": r["overhead_median_s"], "p90": r["overhead_p90_s"]}
                                for s, r in runs.items()},
        "engine_s": {str(s): r["engine_s"] for s, r in runs.items()},
        "level1_peak_connections": {str(s): r["peak_connections"] for s, r in runs.items()},
        "level1_peak_in_use": {str(s): r["peak_in_use"] for s, r in runs.items()},
        "level1_pool": {str(s): r["pool_connections"] for s, r in runs.items()},
        "tasks_succeeded": {str(s): r["tasks_succeeded"] for s, r in runs.items()},
        "executor": "CeleryExecutor (make cluster's launcher): the scheduled backflow_sync run, one worker "
                    "with `slots` task processes",
    }
    table_rows = [[f"{max(SLOTS)}, one task per table (baseline)", baseline, "-"]] + [
        [f"{s}, small tables in batches of {BATCH_SIZE}", r, f"{runs[1]['wall_s'] / r['wall_s']:.2f}x"]
        for s, r in runs.items()]
    print_table(f"Scale — {len(specs)} tables, {rows:,} Level-1 rows, under the CeleryExecutor",
                ["slots, tasks", "run state", "tasks (ok)", "tables loaded", "wall s", "engine s (sum)",
                 "overhead median s", "overhead p90 s", "L1 peak conns (in use)", "L1 pool (conns)",
                 "speedup vs 1 slot"],
                [[label, r["state"], f"{r['tasks']} ({r['tasks_succeeded']})", r["tables_loaded"], r["wall_s"],
                  r["engine_s"], r["overhead_median_s"], r["overhead_p90_s"],
                  f"{r['peak_connections']} ({r['peak_in_use']})", r["pool_connections"], speed]
                 for label, r, speed in table_rows])
    print_table("backflow_sync parse (fresh process, DagBag of the file)", ["tasks", "median s", "runs s", "target"],
                [[tasks, parse_s, ", ".join(f"{p:.2f}" for p in parses), "<= 1.5 s"]])
    write_json("scale", results)
    return results
