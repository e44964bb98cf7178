"""The aggregation DAG end to end: demo data -> backflow -> dag.test() -> published models and assets."""

from __future__ import annotations

import pytest

from smartops.aggregation.rules import RejectRule
from smartops.config.catalog import load_models
from smartops.config.inventory import load_inventory
from tests.support.helpers import asset_events, parse_dag, query, sync_all, task_states
from workbench.demo.simulator import simulate_day

pytestmark = pytest.mark.slow


@pytest.fixture
def aggregation_dag(airflow_db):
    return parse_dag("aggregation")


def test_should_publish_every_model_from_backflowed_demo_data(aggregation_dag, demo_level1, demo_warehouse,
                                                             demo_connections):
    warehouse = demo_warehouse
    day = simulate_day(demo_level1, dirty_rate=0.05)
    sync_all(demo_level1, warehouse, "backflow")

    dag_run = aggregation_dag.test(run_conf={"business_date": day.day.isoformat()})

    models = load_models().models
    assert set(task_states(dag_run).values()) == {"success"}, task_states(dag_run)
    events = asset_events("aggregation", dag_run.run_id)
    assert set(events) == {m.name for m in models}
    for model in models:
        assert query(warehouse, f"SELECT count(*) FROM {model.name}") == [(events[model.name]["rows"],)]
        assert events[model.name]["business_date"] == day.day.isoformat()
    assert events["dwd.voucher_line"]["rows"] > 1000
    assert query(warehouse, "SELECT sum(net) FROM dws.gl_balance") == [(0,)]

    # Every dirty row the simulator injected is either cleaned (currency synonyms) or rejected.
    rejects = {(t, k): r for t, k, r in query(warehouse, "SELECT source_table, source_key, rule FROM dwd.reject")}
    assert {r for r in rejects.values()} <= set(RejectRule)
    for kind, rows in day.dirty.items():
        for table, key in rows:
            if kind == "bad_currency":
                (currency,) = query(warehouse, f"SELECT currency FROM ods.expense_claim WHERE claim_id = {key}")[0]
                expected = "unknown_currency" if currency.strip().upper() == "USD" else None
                assert rejects.get((table, str(key))) == expected, (kind, table, key, currency)
            else:
                assert rejects.get((table, str(key))) == kind, (kind, table, key)

    # Nothing dropped silently: every live, in-scope claim is a fact or a reject.
    assert query(warehouse, f"""
        SELECT count(*) FROM ods.expense_claim c
        WHERE c._deleted_at IS NULL AND c.claim_date <= '{day.day}' AND lower(btrim(c.status)) <> 'voided'
          AND NOT EXISTS (SELECT 1 FROM dwd.expense_claim d WHERE d.claim_id = c.claim_id)
          AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                          WHERE r.source_table = 'expense_claim' AND r.source_key = c.claim_id::text)
    """) == [(0,)]


def test_should_fail_clearly_when_the_warehouse_is_unreachable(aggregation_dag, airflow_db, monkeypatch, capfd):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", "postgresql://nobody@127.0.0.1:1/warehouse")
    for task in aggregation_dag.tasks:  # the real DAG retries connection errors; see the failure at once
        monkeypatch.setattr(task, "retries", 0)
    dag_run = aggregation_dag.test()  # no business_date: the default (day before the run) is resolved first
    output = "".join(capfd.readouterr())

    states = task_states(dag_run)
    assert dag_run.state == "failed"
    assert states["dwd.status_map"] == "failed"
    assert set(states.values()) <= {"failed", "upstream_failed"}
    assert ("WarehouseUnreachable: aggregation.dwd.status_map: database 127.0.0.1:1/warehouse is unreachable or busy "
            "(OperationalError: connection failed") in output


def test_should_wait_for_every_ods_table_the_models_read(aggregation_dag):
    from airflow.sdk import AssetAll

    condition = aggregation_dag.timetable.asset_condition
    assert isinstance(condition, AssetAll)
    unread = {"contract", "accounting_period", "accounting_period_log"}  # no model reads them (the pulse does)
    assert {asset.name for asset in condition.objects} == {
        f"ods.{name}" for name in load_inventory().names if name not in unread}
    assert aggregation_dag.get_task("dws.gl_balance").upstream_task_ids == {"dwd.voucher_line"}
