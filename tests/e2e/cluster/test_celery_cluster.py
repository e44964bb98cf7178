"""The CeleryExecutor topology of `make cluster` (issue 11), run by `make test-cluster`.

A whole daily cycle on two workers through the schedules and assets; then a large sync whose worker
is SIGKILLed mid-copy (a lost machine): the scheduler notices the missing heartbeat, the retry runs on
the other worker, and ods, the watermark and the ledger end exactly as if nothing had happened.
"""

from __future__ import annotations

import time
from collections import Counter

import psycopg
import pytest

from smartops.config.inventory import load_inventory
from tests.support.helpers import assert_ods_equals_level1, query, scalar
from tests.support.topology import Topology, scheduled_topology
from workbench.cluster import Executor

BIG_TABLE = "gl_voucher_line"
BIG_ROWS = 2_000_000
# Fast failure detection and retry, so the lost worker's task is retried within the test.
SETTINGS = {
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    "AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY": "5",
}


@pytest.fixture(scope="module")
def topology(databases, tmp_path_factory):
    with scheduled_topology(databases, tmp_path_factory.mktemp("cluster"), Executor.CELERY, workers=2,
                            settings=SETTINGS) as running:
        yield running


def test_should_run_the_daily_cycle_on_both_workers(topology: Topology):
    runs = topology.wait_for_daily_cycle()
    task_instances = topology.rest.task_instances()

    assert [(r["dag_id"], r["state"]) for r in runs if r["state"] != "success"] == []
    assert [(t["dag_id"], t["task_id"], t["state"]) for t in task_instances if t["state"] != "success"] == []
    per_worker = Counter(t["hostname"] for t in task_instances)
    print("\ntask instances per worker:", dict(per_worker))
    assert set(per_worker) == {"worker-1", "worker-2"}, "each worker names itself; both ran tasks"


def _grow_level1(level1: str) -> tuple[int, int]:
    """Level-1 books a large batch of new lines (the test plays Level-1); return the row counts before, after."""
    with psycopg.connect(level1, autocommit=True) as conn:
        count, top = conn.execute(f"SELECT count(*), max(line_id) FROM l1.{BIG_TABLE}").fetchone()
        copies = -(-BIG_ROWS // count)
        conn.execute(f"INSERT INTO l1.{BIG_TABLE} SELECT line_id + g * %s, voucher_id, line_no, account_code, "
                     "debit_amount, credit_amount, currency, summary, now() "
                     f"FROM l1.{BIG_TABLE}, generate_series(1, %s) g", (top, copies))
        return count, conn.execute(f"SELECT count(*) FROM l1.{BIG_TABLE}").fetchone()[0]


def _wait_for_copy(warehouse: str, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    with psycopg.connect(warehouse, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT tuples_processed FROM pg_stat_progress_copy "
                               "WHERE datname = current_database()").fetchone()
            if row and row[0]:
                return row[0]
            time.sleep(0.1)
    raise AssertionError(f"the copy into ods.{BIG_TABLE} never started")


def test_should_retry_a_killed_workers_sync_on_the_other_worker(topology: Topology):
    topology.wait_for_daily_cycle()
    before, rows = _grow_level1(topology.level1)
    run_id = topology.rest.trigger("backflow_sync", {"tables": [BIG_TABLE]})

    first = topology.wait_for_task("backflow_sync", run_id, BIG_TABLE, lambda ti: ti["state"] == "running"
                                   and ti["hostname"], timeout=120, what="running on a worker")
    copied = _wait_for_copy(topology.warehouse)
    topology.cluster.kill(first["hostname"])
    print(f"\n{BIG_TABLE}: try 1 on {first['hostname']}, killed (SIGKILL) after {copied:,} of {rows:,} rows copied")

    done = topology.wait_for_task("backflow_sync", run_id, BIG_TABLE, lambda ti: ti["state"] in ("success", "failed"),
                                  timeout=300, what="finished")
    print(f"{BIG_TABLE}: try {done['try_number']} on {done['hostname']}: {done['state']}")
    assert (done["state"], done["try_number"]) == ("success", 2)
    assert done["hostname"] not in ("", first["hostname"]), "the retry ran on the surviving worker"

    table = load_inventory().get(BIG_TABLE)
    assert_ods_equals_level1(topology.level1, topology.warehouse, table)
    assert scalar(topology.warehouse, f"SELECT count(*) FROM ods.{BIG_TABLE} WHERE _deleted_at IS NULL") == rows
    # one ledger row for the run (the killed try's transaction never committed), and the watermark is
    # exactly Level-1's newest cursor
    assert query(topology.warehouse, "SELECT table_name, status, rows_inserted FROM ops.sync_ledger "
                 "WHERE run_id = %s", (run_id,)) == [(BIG_TABLE, "success", rows - before)]
    newest = scalar(topology.level1, f"SELECT max(updated_at) FROM l1.{BIG_TABLE}")
    assert scalar(topology.warehouse, "SELECT watermark::timestamptz FROM ops.table_state WHERE table_name = %s",
                  BIG_TABLE) == newest
