"""backflow_sync end to end through Airflow: dag.test() on seeded demo data, bad triggers."""

from __future__ import annotations

import psycopg
import pytest
from airflow.sdk.definitions.param import ParamValidationError

from smartops.config.inventory import load_inventory
from tests.helpers import assert_ods_equals_level1


@pytest.fixture
def dag(dagbag):
    return dagbag.get_dag("backflow_sync")


def task_states(dag_run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}


def test_should_reject_a_table_outside_the_inventory_before_anything_runs(dag, airflow_connections, warehouse):
    with pytest.raises(ParamValidationError, match="no_such_table"):
        dag.test(run_conf={"tables": ["no_such_table"]})
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM ops.sync_ledger").fetchone()[0] == 0
