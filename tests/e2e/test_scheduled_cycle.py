"""The product under the real scheduler (issue 9.0): scheduler, DAG processor and API server on
LocalExecutor — `make run`'s topology — left alone until the schedules and asset triggers have run one
whole daily cycle, backflow through the report, with at least one watchdog run; every task instance
must have succeeded. Inside a task Airflow 3 hides the metadata DB, so this is where a stage that
reads it (as the watchdog once did) fails, while `dag.test()` passes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from smartops.alerting.airflow_api import ApiEndpoint, read_state
from smartops.alerting.watchdog import missed_runs
from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import WatchdogPolicy
from smartops.config.catalog import load_models
from smartops.config.inventory import load_inventory
from tests.support.helpers import query
from tests.support.topology import FINISHED, Topology, scheduled_topology
from workbench.cluster import Executor
from workbench.demo_cycle import yesterday


@pytest.mark.slow
def test_should_run_a_whole_daily_cycle_with_every_task_succeeding(databases, tmp_path):
    with scheduled_topology(databases, tmp_path / "airflow", Executor.LOCAL) as topology:
        runs = topology.wait_for_daily_cycle()
        task_instances = topology.rest.task_instances()
        ledger = query(topology.warehouse, "SELECT table_name, status, business_date FROM ops.sync_ledger")
        open_items = query(topology.warehouse, "SELECT check_name, object_name FROM ops.backlog_item "
                                               "WHERE status <> 'resolved'")
        _watch_an_asset_triggered_dag_wait_for_its_missing_inputs(topology)
        _watch_a_missed_deadline_reach_the_backlog(topology)
        _watch_maintenance_clean_the_metadata_through_its_grant(topology)

    assert [(r["dag_id"], r["state"]) for r in runs if r["state"] != "success"] == []
    by_trigger = {(r["dag_id"], r["run_type"]) for r in runs}
    assert {("backflow_sync", "scheduled"), ("aggregation", "asset_triggered"), ("quality_scan", "asset_triggered"),
            ("scenario_refresh", "asset_triggered"), ("watchdog", "scheduled")} <= by_trigger
    assert [(t["dag_id"], t["task_id"], t["state"]) for t in task_instances if t["state"] != "success"] == []
    assert {t["dag_id"] for t in task_instances} >= {"watchdog", "operations_report", "scenario_refresh"}
    # the 一级协同 digest ran inside a scheduled task (outbox, warehouse, no metadata DB) and succeeded above
    assert ("operations_report", "send_upstream_digest") in {(t["dag_id"], t["task_id"]) for t in task_instances}
    # issue 20: the first cycle after start-up once failed first tries ("state attribute is queued")
    assert [(t["dag_id"], t["task_id"], t["try_number"]) for t in task_instances if t["try_number"] != 1] == []
    # the scheduled sync loaded its business date (the day before its 01:00 run) for every inventory table
    sync_run = next(r for r in runs if (r["dag_id"], r["run_type"]) == ("backflow_sync", "scheduled"))
    day = datetime.fromisoformat(sync_run["logical_date"]).astimezone(BUSINESS_TZ).date() - timedelta(days=1)
    assert day in (yesterday(), yesterday() - timedelta(days=1)), "before 01:00 the latest run is yesterday's"
    assert sorted(ledger) == sorted((t.name, "success", day) for t in load_inventory().tables)
    assert [item for item in open_items if item[0] == "missed_run"] == [], "every run started on time"


def _watch_a_missed_deadline_reach_the_backlog(topology: Topology) -> None:
    """A report run stuck past its native deadline: its logical date 29 minutes back, its deadline (08:00's run
    + 30 min) a minute ahead, and the report's table locked by the test until two minutes on. The scheduler
    marks the deadline missed, the triggerer runs the product's callback, the item opens; then the run ends."""
    logical = (datetime.now(UTC) - timedelta(minutes=29)).isoformat()
    with psycopg.connect(topology.warehouse) as blocker:
        blocker.execute("LOCK TABLE ops.operations_report IN ACCESS EXCLUSIVE MODE")
        run_id = topology.rest.trigger("operations_report", {"deliver": False}, logical_date=logical)
        deadline = time.monotonic() + 150
        while not (item := query(topology.warehouse, "SELECT run_id FROM ops.alert_event WHERE fingerprint = "
                                                     "'operations_report:operations_report:deadline_missed'")):
            assert time.monotonic() < deadline, "no deadline_missed alert 150 s after the run was created"
            time.sleep(2)
    assert item == [(run_id,)]
    topology.wait_for_task("operations_report", run_id, "build_report", lambda ti: ti["state"] == "success",
                           timeout=180, what="succeeded once the table was free")


def _watch_maintenance_clean_the_metadata_through_its_grant(topology: Topology) -> None:
    """Inside a scheduled task the metadata DB is blocked: `airflow db clean` reaches it only through the
    maintenance DAG's own connection (AIRFLOW_CONN_AIRFLOW_METADATA, set by compose and the launcher)."""
    run_id = topology.rest.trigger("maintenance", {})
    for task in ("prune_ops_history", "clean_airflow_metadata"):
        topology.wait_for_task("maintenance", run_id, task, lambda ti: ti["state"] in FINISHED, timeout=300,
                               what="finished")
    steps = query(topology.warehouse, "SELECT step, outcome, detail FROM ops.maintenance_run WHERE run_id = %s "
                                      "ORDER BY maintenance_id", (run_id,))
    assert [(step, outcome) for step, outcome, _ in steps] == [
        ("attempt_log", "success"), ("notifications", "success"), ("failed_row_samples", "success"),
        ("alert_events", "success"), ("metadata", "success")], steps


def _watch_an_asset_triggered_dag_wait_for_its_missing_inputs(topology: Topology) -> None:
    """One table synced by hand: aggregation (AssetAll of every ods table) waits, and the watchdog's reader
    sees it in the DAGs' own schedules — overdue once the grace has passed, naming the inputs still missing."""
    run_id = topology.rest.trigger("backflow_sync", {"tables": ["account"]})
    topology.wait_for_task("backflow_sync", run_id, "account", lambda ti: ti["state"] == "success", timeout=120,
                           what="succeeded")
    now = datetime.now(UTC)
    api = ApiEndpoint(topology.cluster.spec.api_url, "admin", topology.cluster.admin_password())
    dags = {d.dag_id: d for d in read_state(api, runs_since=now - timedelta(hours=1), tasks_since=now).dags}

    assert dags["backflow_sync"].periodic and dags["backflow_sync"].next_run_after > now
    assert (dags["backlog_triage"].schedule, dags["aggregation"].schedule) == (None, "Asset")
    waiting = dags["aggregation"]
    inputs = {f"ods.{table}" for table in load_models().ods_inputs}
    assert waiting.waiting_since and set(waiting.waiting_for) == inputs - {"ods.account"}
    policy = WatchdogPolicy(start_grace="1h")
    assert missed_runs(dags.values(), [], policy, now) == []
    later = {f.object: f for f in missed_runs(dags.values(), [], policy, now + timedelta(hours=2))}
    assert "ods.gl_voucher_line" in later["aggregation"].details
    assert "watchdog" in later, "two hours on, its 15-minute schedule would be overdue too"
