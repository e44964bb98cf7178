"""Real Airflow components on the test server, left alone to run the schedules (end-to-end tests).

`scheduled_topology` seeds a Level-1 whose history ends yesterday, starts the launcher of
`make cluster` (workbench.cluster) on free ports over fresh databases, and yields what a test
needs to watch it from the outside: the REST API and the databases.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from smartops.alerting.airflow_api import pages
from tests.conftest import DEMO_SCALE, Databases, airflow_uri, reader_of
from workbench import cluster, setup
from workbench.demo.generator import seed_level1
from workbench.demo_cycle import yesterday

# Every DAG the schedules and asset triggers run in one daily cycle (backlog_triage is manual only).
DAILY_CYCLE = ("backflow_sync", "aggregation", "quality_scan", "scenario_refresh", "data_pulse", "operations_report",
               "watchdog")
FINISHED = {"success", "failed"}
CYCLE_SECONDS = 900


class AirflowRest:
    """The public REST API of a running API server, as the simple auth manager's admin."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def runs(self) -> list[dict]:
        return pages(self.client, "/api/v2/dags/~/dagRuns", "dag_runs")

    def task_instances(self, dag_id: str = "~", run_id: str = "~") -> list[dict]:
        return pages(self.client, f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances", "task_instances")

    def trigger(self, dag_id: str, conf: dict, logical_date: str | None = None) -> str:
        response = self.client.post(f"/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": logical_date, "conf": conf})
        return response.raise_for_status().json()["dag_run_id"]


@dataclass
class Topology:
    cluster: cluster.Cluster
    rest: AirflowRest
    level1: str  # admin conninfo (the test plays Level-1's side)
    warehouse: str

    def wait_for_daily_cycle(self) -> list[dict]:
        """Wait until every DAG of the cycle has finished a run and nothing is left queued or running."""
        deadline = time.monotonic() + CYCLE_SECONDS
        while True:
            self.cluster.check()
            runs = self.rest.runs()
            finished = {r["dag_id"] for r in runs if r["state"] in FINISHED}
            if finished >= set(DAILY_CYCLE) and all(r["state"] in FINISHED for r in runs):
                return runs
            assert time.monotonic() < deadline, f"no whole daily cycle in {CYCLE_SECONDS}s: " + ", ".join(
                f"{r['dag_id']}={r['state']}" for r in runs)
            time.sleep(3)

    def wait_for_task(self, dag_id: str, run_id: str, task_id: str, predicate: Callable[[dict], bool],
                      timeout: float, what: str) -> dict:
        """Poll one task instance until `predicate(ti)` holds; return it."""
        deadline = time.monotonic() + timeout
        while True:
            self.cluster.check()
            ti = self.rest.client.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}").json()
            if predicate(ti):
                return ti
            assert time.monotonic() < deadline, f"{dag_id}.{task_id}: not {what} after {timeout}s: {ti}"
            time.sleep(1)


@contextmanager
def scheduled_topology(databases: Databases, home: Path, executor: cluster.Executor, workers: int = 0,
                       settings: dict[str, str] | None = None) -> Iterator[Topology]:
    """Fresh Level-1 (history ends yesterday), warehouse and metadata DB, and the components running on them."""
    names = [databases.create(hint) for hint in ("e2e_l1", "e2e_wh", "e2e_meta")]
    level1, warehouse, metadata = (databases.conninfo(name) for name in names)
    try:
        seed_level1(level1, scale=DEMO_SCALE, end=yesterday())
        setup.grant_reader(level1)
        from smartops.warehouse.migrate import migrate

        migrate(warehouse)
        endpoints = setup.Endpoints(airflow_uri(reader_of(level1)), airflow_uri(warehouse), embedded=False)
        spec = cluster.ClusterSpec.on_free_ports(
            home=home, executor=executor, workers=workers, metadata_uri=cluster.metadata_uri(metadata),
            env={"AIRFLOW__CORE__PARALLELISM": "4", **(settings or {})})
        with cluster.Cluster(setup.airflow_env(endpoints), spec) as running:
            yield Topology(running, AirflowRest(running.api_client()), level1, warehouse)
    finally:
        databases.drop(names)

