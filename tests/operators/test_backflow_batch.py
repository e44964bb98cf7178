"""A batch of small tables in one backflow task: per-table transactions, ledger rows, failures and retries."""

from __future__ import annotations

import psycopg
import pytest
import yaml
from airflow.sdk.exceptions import AirflowFailException

from smartops.config.inventory import Inventory
from smartops.operators.backflow import BackflowSyncOperator
from tests.operators.test_stage_operator import context
from tests.support.helpers import query

TABLES = ["a", "gone", "c"]


@pytest.fixture
def batch_inventory(monkeypatch, level1, tmp_path) -> Inventory:
    """Inventory a, gone, c in batch `small` (l1.gone does not exist yet); Level-1 holds a and c."""
    with psycopg.connect(level1, autocommit=True) as conn:
        for name in ("a", "c"):
            conn.execute(f"CREATE TABLE l1.{name} (id int PRIMARY KEY, amount numeric, updated_at timestamptz)")
            conn.execute(f"INSERT INTO l1.{name} SELECT g, g, now() FROM generate_series(1, 5) g")
    data = {"defaults": {"cursor": "updated_at", "owner": "t", "severity": "low", "freshness_sla": "1d",
                         "batch": "small"},
            "tables": [{"name": n, "source": f"l1.{n}", "primary_key": ["id"]} for n in TABLES]}
    path = tmp_path / "backflow_tables.yaml"
    path.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("SMARTOPS_INVENTORY_PATH", str(path))
    return Inventory.model_validate(data)


def _loads(warehouse: str) -> list[tuple]:
    return query(warehouse, "SELECT table_name, status FROM ops.sync_ledger ORDER BY ledger_id")


def test_should_make_one_task_per_batch_in_inventory_order(batch_inventory):
    assert [(task, [t.name for t in tables]) for task, tables in batch_inventory.sync_tasks()] == [
        ("batch_small", TABLES)]


def test_should_load_every_table_it_can_then_fail_naming_the_ones_that_failed(batch_inventory, airflow_connections,
                                                                               level1, warehouse):
    operator = BackflowSyncOperator(task_id="batch_small", table_names=TABLES)
    with pytest.raises(AirflowFailException, match=r"batch_small: 1 of 3 tables failed .*gone: SourceTableMissing"):
        operator.execute(context(task_id="batch_small"))
    assert _loads(warehouse) == [("a", "success"), ("gone", "failed"), ("c", "success")]

    # Level-1 grants the missing table; the task's retry (same run) loads only what is not loaded yet.
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("CREATE TABLE l1.gone (id int PRIMARY KEY, amount numeric, updated_at timestamptz)")
        conn.execute("GRANT SELECT ON l1.gone TO level1_reader")
    events = context(task_id="batch_small")
    summary = operator.execute(events)
    assert _loads(warehouse)[3:] == [("gone", "success")], "a and c were not synced twice"
    assert summary["tables"]["a"]["loaded_by_earlier_try"] and summary["tables"]["gone"]["mode"] == "initial"
    [alias] = operator.outlets
    extras = {asset.name: extra for asset, extra in events["outlet_events"][alias].added}
    assert extras["ods.gone"]["table"] == "gone" and extras["ods.c"]["table"] == "c", "each asset its own table"
    lineage = operator.get_openlineage_facets_on_complete(None)  # every table the task loaded, this try's or not
    assert [d.name.split(".", 1)[1] for d in lineage.inputs] == ["l1.a", "l1.gone", "l1.c"]
    assert [d.name.split(".", 1)[1] for d in lineage.outputs] == ["ods.a", "ods.gone", "ods.c"]


def test_should_sync_only_the_chosen_tables_of_a_batch(batch_inventory, airflow_connections, warehouse):
    operator = BackflowSyncOperator(task_id="batch_small", table_names=TABLES)
    events = context({"tables": ["c"]}, task_id="batch_small")
    summary = operator.execute(events)
    assert list(summary["tables"]) == ["c"] and _loads(warehouse) == [("c", "success")]
    # only the table it loaded is announced: a, gone (not chosen) must not look updated to aggregation
    [alias] = operator.outlets
    assert [asset.name for asset, _ in events["outlet_events"][alias].added] == ["ods.c"]
    assert [d.name.split(".", 1)[1] for d in operator.get_openlineage_facets_on_complete(None).outputs] == ["ods.c"]


def test_should_refuse_a_table_named_like_a_batch_task():
    with pytest.raises(ValueError, match="batch_small clash with the task id of a batch"):
        Inventory.model_validate({
            "defaults": {"cursor": "updated_at", "owner": "t", "severity": "low", "freshness_sla": "1d"},
            "tables": [{"name": "batch_small", "source": "l1.x", "primary_key": ["id"]},
                       {"name": "y", "source": "l1.y", "primary_key": ["id"], "batch": "small"}]})


def test_should_alert_each_failed_table_of_a_batch_with_its_own_severity(batch_inventory, airflow_connections):
    from smartops.alerting.context import AlertContext
    from smartops.config.alerting import load_alerting_config
    from smartops.operators.callbacks import failure_alerts

    operator = BackflowSyncOperator(task_id="batch_small", table_names=TABLES)
    with pytest.raises(AirflowFailException) as failed:
        operator.execute(context(task_id="batch_small"))
    ti = context(task_id="batch_small")["ti"]
    ti.run_id = "manual__test"
    failure = {"ti": ti, "exception": failed.value, "task": operator, "dag_run": None}
    [alert] = failure_alerts(failure, AlertContext("warehouse not used", load_alerting_config(), batch_inventory))
    assert (alert.object, alert.check, alert.task_id) == ("gone", "SourceTableMissing", "batch_small")
    assert alert.severity == "low", "the table's own severity from the inventory"
    assert "l1.gone" in alert.details


@pytest.mark.slow
def test_should_record_asset_events_only_for_the_tables_a_real_run_loaded(batch_inventory, airflow_db,
                                                                          airflow_connections, warehouse):
    from tests.support.helpers import asset_events, parse_dag

    dag = parse_dag("backflow_sync")
    run = dag.test(run_conf={"tables": ["a", "c"]})
    assert run.get_task_instance("batch_small").state == "success"
    events = asset_events("backflow_sync", run.run_id)
    assert set(events) == {"ods.a", "ods.c"} and events["ods.c"]["table"] == "c", events
