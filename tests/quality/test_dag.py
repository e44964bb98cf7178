"""quality_scan through Airflow: dag.test() for one layer, red on blocking failures, unreachable warehouse."""

from __future__ import annotations

import pytest

from smartops.quality.checkfiles import discover
from tests.support.helpers import parse_dag, query, sync_all
from workbench.demo.simulator import simulate_day

pytestmark = pytest.mark.slow


@pytest.fixture
def quality_dag(airflow_db):
    return parse_dag("quality_scan")


def _state(dag_run) -> str:
    (ti,) = dag_run.get_task_instances()
    return str(ti.state)


def test_should_scan_only_the_chosen_layer_and_store_the_results_under_the_run(
        quality_dag, demo_warehouse, demo_connections):
    dag_run = quality_dag.test(run_conf={"layer": "ods", "business_date": "2026-11-20"})

    assert _state(dag_run) == "success"
    stored = query(demo_warehouse, "SELECT DISTINCT table_name, business_date::text FROM ops.quality_result "
                                   "WHERE run_id = %s AND source = 'soda'", (dag_run.run_id,))
    assert sorted(stored) == sorted((f.qualified, "2026-11-20") for f in discover() if f.layer == "ods")


def test_should_fail_the_run_on_a_blocking_failure_after_storing_everything(
        quality_dag, demo_level1, demo_warehouse, demo_connections, capfd):
    simulate_day(demo_level1, dirty_rate=0.02)
    sync_all(demo_level1, demo_warehouse, run_id="backflow__day")

    dag_run = quality_dag.test(run_conf={"table": "ods.gl_voucher"})

    assert _state(dag_run) == "failed"
    assert "BlockingChecksFailed" in capfd.readouterr().out
    outcomes = dict(query(demo_warehouse, "SELECT check_name, outcome FROM ops.quality_result "
                                          "WHERE run_id = %s AND source = 'soda'", (dag_run.run_id,)))
    assert outcomes["voucher debit equals credit"] == "fail"
    assert outcomes["scan"] == "pass"
    alerts = query(demo_warehouse, "SELECT category, severity FROM ops.backlog_item WHERE fingerprint = %s",
                   ("quality_scan:ods.gl_voucher:voucher debit equals credit",))
    assert alerts == [("quality", "critical")], "the failure went to the alert path"


def test_should_fail_the_task_clearly_when_the_warehouse_is_unreachable(quality_dag, airflow_db, monkeypatch,
                                                                        capfd):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", "postgresql://postgres@127.0.0.1:1/nowhere")
    task = quality_dag.get_task("scan")
    monkeypatch.setattr(task, "retries", 0)

    dag_run = quality_dag.test(run_conf={"layer": "dws"})

    assert _state(dag_run) == "failed"
    log = capfd.readouterr().out
    assert "database 127.0.0.1:1/nowhere is unreachable" in log
    assert "Airflow connection (level2_warehouse" in log


def test_should_offer_only_tables_with_check_files_in_the_trigger_form(quality_dag):
    from airflow.sdk.definitions.param import ParamValidationError

    assert quality_dag.params.get_param("table").schema["enum"] == [None, *(f.qualified for f in discover())]
    with pytest.raises(ParamValidationError, match="ods.no_such_table"):
        quality_dag.test(run_conf={"table": "ods.no_such_table"})
