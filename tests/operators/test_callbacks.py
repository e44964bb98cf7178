"""Task callbacks in a real Airflow run: a failure raises a classified alert, a success resolves it."""

from __future__ import annotations

from datetime import UTC, datetime

import pendulum
import pytest
from airflow.sdk import DAG, Param, task
from airflow.sdk.exceptions import AirflowFailException

from smartops.alerting import Alert, Category, open_context, raise_alert
from smartops.alerting.context import AlertContext
from smartops.backflow.exceptions import ReconciliationMismatch, SchemaDriftError, SourceTableMissing
from smartops.errors import classify
from smartops.operators.callbacks import deadline_missed, task_failure_alert, task_success_resolve
from smartops.vocabulary import Severity
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo
from tests.alerting.factories import make_alert, make_config
from tests.support.helpers import scalar


def _probe_dag() -> DAG:
    """A DAG with a table task (fails on param) and a task raising its own alert, synced to Airflow's DB."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    with DAG("callback_probe", schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
             params={"fail": Param(True, type="boolean")},
             default_args={"owner": "finance-data", "retries": 0, "on_failure_callback": task_failure_alert,
                           "on_success_callback": task_success_resolve}) as dag:

        @task(task_id="gl_voucher")
        def sync(params: dict | None = None) -> None:
            if params["fail"]:
                raise AirflowFailException("drift") from SchemaDriftError("gl_voucher", [], "fail")

        @task(task_id="quality_probe")
        def quality_probe(run_id: str | None = None) -> str:
            alert = Alert(stage="quality_scan", object="ods.budget", check="row_count", category=Category.QUALITY,
                          severity=Severity.LOW, title="warn", warning=False, run_id=run_id)
            return raise_alert(open_context(conninfo(WAREHOUSE_CONN_ID)), alert).decision.value

        sync()
        quality_probe()
    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder="/dev/null")
    bag.bag_dag(dag)
    sync_bag_to_db(bag, "dags-folder", None)
    return dag


@pytest.mark.parametrize("error, expected", [
    (SchemaDriftError("t", [], "fail"), (Category.DRIFT, "SchemaDriftError")),
    (ReconciliationMismatch("t", ["row_count"]), (Category.RECONCILIATION, "ReconciliationMismatch")),
    (SourceTableMissing("t", "l1.t"), (Category.SYNC, "SourceTableMissing")),
    (ConnectionError("refused"), (Category.PLATFORM, "ConnectionError")),
])
def test_should_classify_a_failure_by_the_exception_in_its_cause_chain(error, expected):
    try:
        try:
            raise error
        except Exception as exc:
            raise AirflowFailException(str(exc)) from exc
    except AirflowFailException as wrapped:
        assert classify(wrapped) == expected


@pytest.mark.slow
def test_should_alert_on_failure_and_resolve_on_success_in_a_real_run(
        airflow_db, airflow_connections, warehouse, alerting_config_file):
    dag = _probe_dag()
    failed = dag.test(run_conf={"fail": True})
    assert failed.get_task_instance("gl_voucher").state == "failed"
    row = scalar(warehouse, "SELECT row(category, check_name, severity, status, owner)::text FROM ops.backlog_item"
                            " WHERE fingerprint = 'callback_probe:gl_voucher:SchemaDriftError'")
    assert row == "(drift,SchemaDriftError,critical,open,finance-data)"
    assert scalar(warehouse, "SELECT run_id FROM ops.alert_event WHERE task_id = 'gl_voucher'") == failed.run_id
    # The channel is down: the data task that raised its own alert still succeeded, the alert is recorded.
    assert failed.get_task_instance("quality_probe").state == "success"
    assert scalar(warehouse, "SELECT delivered FROM ops.alert_delivery d JOIN ops.alert_event e USING (event_id)"
                             " WHERE e.fingerprint = 'quality_scan:ods.budget:row_count'") is False

    dag.test(run_conf={"fail": False})
    assert scalar(warehouse, "SELECT status || ':' || resolution FROM ops.backlog_item"
                             " WHERE fingerprint = 'callback_probe:gl_voucher:SchemaDriftError'") == "resolved:auto"


@pytest.mark.parametrize("tables", [2, 25, 60])
def test_should_open_at_most_three_warehouse_connections_in_a_batchs_success_callback(
        tables, warehouse, monkeypatch, alerting_config_file):
    """Resolving a batch's items costs the same whatever its size: the context once, one resolve, a delivery."""
    from types import SimpleNamespace

    import psycopg

    from tests.conftest import airflow_uri

    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
    names = [f"table_{i}" for i in range(tables)]
    context = AlertContext(warehouse, make_config())
    for name in names:  # every table of the batch failed before: each has an open item to resolve
        raise_alert(context, make_alert(stage="backflow_sync", object=name, check="SourceTableMissing"), deliver=False)
    opened = []
    real_connect = psycopg.connect
    monkeypatch.setattr(psycopg, "connect", lambda *a, **kw: opened.append(a) or real_connect(*a, **kw))
    ti = SimpleNamespace(dag_id="backflow_sync", task_id="batch_small", run_id="scheduled__2026-11-29",
                         try_number=1)
    resolved = task_success_resolve({"ti": ti, "task": SimpleNamespace(items=names), "dag_run": None})
    assert len(resolved) == tables
    assert len(opened) <= 3, f"{len(opened)} warehouse connections for a batch of {tables}"


def test_should_alert_directly_when_the_warehouse_is_down_then_record_it_once(
        warehouse, webhook_server, monkeypatch, tmp_path):
    from types import SimpleNamespace

    import yaml

    from tests.alerting.factories import webhook_connection
    from tests.conftest import airflow_uri

    config = tmp_path / "alerting.yaml"
    config.write_text(yaml.safe_dump({"language": "en", "delivery": {"attempts": 1, "retry_delay": "0s"},
                                      "channels": [{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
                                      "routes": {"by_severity": {"critical": ["ding"]}}}))
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(config))
    monkeypatch.setenv("SMARTOPS_ALERT_SPOOL", str(tmp_path / "spool"))
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", "postgresql://nobody@127.0.0.1:1/down?connect_timeout=2")
    ti = SimpleNamespace(dag_id="backflow_sync", task_id="gl_voucher", run_id="scheduled__x", try_number=1)
    failure = {"ti": ti, "exception": SchemaDriftError("gl_voucher", [], "fail"),
               "task": SimpleNamespace(owner="finance-data"), "dag_run": None}

    assert task_failure_alert(failure) == []  # nothing recorded: the warehouse is down
    [sent] = webhook_server.requests
    assert "unreachable" in sent.body["markdown"]["text"] and "gl_voucher" in sent.body["markdown"]["text"]
    assert len(list((tmp_path / "spool").glob("*.json"))) == 1

    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))  # back: the next alert run drains
    open_context(warehouse)
    assert list((tmp_path / "spool").glob("*.json")) == []
    recorded = scalar(warehouse, "SELECT decision || ':' || array_to_string(channels, ',') FROM ops.alert_event "
                                 "WHERE fingerprint = 'backflow_sync:gl_voucher:SchemaDriftError'")
    assert recorded == "delivered_directly:ding"
    assert len(webhook_server.requests) == 1, "recorded, not sent twice"


def test_should_raise_a_missed_deadlines_alert_through_the_alert_path(warehouse, webhook_server, monkeypatch,
                                                                      tmp_path):
    """The triggerer awaits deadline_missed with the simple context Airflow builds for a missed deadline."""
    import asyncio

    import yaml

    from tests.alerting.factories import webhook_connection
    from tests.conftest import airflow_uri

    config = tmp_path / "alerting.yaml"
    config.write_text(yaml.safe_dump({"language": "en", "delivery": {"attempts": 1, "retry_delay": "0s"},
                                      "channels": [{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
                                      "routes": {"by_severity": {"high": ["ding"]}}}))
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(config))
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
    context = {"dag_run": {"dag_id": "operations_report", "dag_run_id": "scheduled__2026-12-07T00:00:00+00:00",
                           "logical_date": "2026-12-07T00:00:00Z", "run_after": "2026-12-07T00:00:00Z",
                           "queued_at": "2026-12-07T00:00:02Z", "run_type": "scheduled", "state": "running"},
               "deadline": {"id": "0199", "deadline_time": datetime(2026, 12, 7, 0, 30, tzinfo=UTC)}}

    summary = asyncio.run(deadline_missed(context=context))

    row = scalar(warehouse, "SELECT row(i.category, i.severity, i.status, e.business_date)::text "
                            "FROM ops.backlog_item i JOIN ops.alert_event e USING (item_id) "
                            "WHERE i.fingerprint = 'operations_report:operations_report:deadline_missed'")
    assert row == "(freshness,high,open,2026-12-06)"
    assert "notify" in summary
    [sent] = webhook_server.requests
    assert "operations_report missed its deadline 2026-12-07 08:30" in sent.body["markdown"]["text"]

    # the scheduler first started at 09:00: the run could not meet 08:30 — the watchdog's missed_run, no alert
    context["dag_run"]["queued_at"] = "2026-12-07T01:00:00Z"
    assert asyncio.run(deadline_missed(context=context)) == "queued after its deadline"
    assert len(webhook_server.requests) == 1
