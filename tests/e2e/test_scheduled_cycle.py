"""The product under the real scheduler (issue 9.0): scheduler, DAG processor and API server on
LocalExecutor — `make run`'s topology — left alone until the schedules and asset triggers have run one
whole daily cycle, backflow through the report, with at least one watchdog run; every task instance
must have succeeded. Inside a task Airflow 3 hides the metadata DB, so this is where a stage that
reads it (as the watchdog once did) fails, while `dag.test()` passes.
"""

from __future__ import annotations

import pytest

from smartops.cluster import Executor
from smartops.config.inventory import load_inventory
from smartops.demo_cycle import yesterday
from tests.helpers import query
from tests.topology import scheduled_topology


@pytest.mark.slow
def test_should_run_a_whole_daily_cycle_with_every_task_succeeding(databases, tmp_path):
    with scheduled_topology(databases, tmp_path / "airflow", Executor.LOCAL) as topology:
        runs = topology.wait_for_daily_cycle()
        task_instances = topology.rest.task_instances()
        ledger = query(topology.warehouse, "SELECT table_name, status, business_date FROM ops.sync_ledger")

    assert [(r["dag_id"], r["state"]) for r in runs if r["state"] != "success"] == []
    by_trigger = {(r["dag_id"], r["run_type"]) for r in runs}
    assert {("backflow_sync", "scheduled"), ("aggregation", "asset_triggered"), ("quality_scan", "asset_triggered"),
            ("scenario_refresh", "asset_triggered"), ("watchdog", "scheduled")} <= by_trigger
    assert [(t["dag_id"], t["task_id"], t["state"]) for t in task_instances if t["state"] != "success"] == []
    assert {t["dag_id"] for t in task_instances} >= {"watchdog", "operations_report", "scenario_refresh"}
    # the scheduled sync loaded yesterday's data for every inventory table
    assert sorted(ledger) == sorted((t.name, "success", yesterday()) for t in load_inventory().tables)
