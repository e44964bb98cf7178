"""A broken config never blinds alerting: last-known-good copies, a `config` alert naming file/entry/field."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from smartops.alerting.service import open_context
from smartops.backflow.exceptions import SchemaDriftError
from smartops.operators.callbacks import task_failure_alert
from tests.alerting.factories import webhook_connection
from tests.support.helpers import query

GOOD = {
    "language": "en",
    "delivery": {"attempts": 1, "retry_delay": "0s", "timeout": "2s"},
    "channels": [{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
    "routes": {"by_severity": {s: ["ding"] for s in ("critical", "high", "medium", "low")}},
}
BROKEN = {**GOOD, "channels": [{"name": "ding", "type": "pager", "conn_id": "test_ding"}]}  # no such type


@pytest.fixture
def alerting_file(tmp_path, monkeypatch, webhook_server):
    path = tmp_path / "alerting.yaml"
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(path))
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    return path


def failure_context(exception: BaseException) -> dict:
    ti = SimpleNamespace(dag_id="backflow_sync", task_id="gl_voucher", run_id="scheduled__2026-11-29")
    return {"ti": ti, "exception": exception, "task": SimpleNamespace(owner="finance-data"), "dag_run": None}


def test_should_alert_through_the_last_good_alerting_config_and_alert_the_broken_file(
        warehouse, alerting_file, webhook_server, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", _uri(warehouse))
    alerting_file.write_text(yaml.safe_dump(GOOD))
    assert [c.name for c in open_context(warehouse).config.channels] == ["ding"]  # validated: kept as last known good
    alerting_file.write_text(yaml.safe_dump(BROKEN))

    [outcome] = task_failure_alert(failure_context(SchemaDriftError("gl_voucher", [], "fail")))

    assert outcome.deliveries and outcome.deliveries[0].delivered, "the task's alert still reached the channel"
    texts = [r.body["markdown"]["text"] for r in webhook_server.requests]
    assert any("alerting.yaml is invalid; alerting runs on the last known good copy" in t for t in texts)
    [(details,)] = query(warehouse, "SELECT details FROM ops.backlog_item "
                                    "WHERE fingerprint = 'config:alerting.yaml:invalid'")
    assert "entry 'ding' (#1), field 'type'" in details and str(alerting_file) in details

    alerting_file.write_text(yaml.safe_dump(GOOD))  # fixed: the config item closes
    open_context(warehouse)
    assert query(warehouse, "SELECT status FROM ops.backlog_item WHERE fingerprint = 'config:alerting.yaml:invalid'"
                 ) == [("resolved",)]


def test_should_alert_a_failure_when_the_inventory_is_broken(warehouse, alerting_file, tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", _uri(warehouse))
    alerting_file.write_text(yaml.safe_dump(GOOD))
    broken = tmp_path / "backflow_tables.yaml"
    broken.write_text("tables:\n  - name: gl_voucher\n    mode: sometimes\n")
    monkeypatch.setenv("SMARTOPS_INVENTORY_PATH", str(broken))

    task_failure_alert(failure_context(RuntimeError("boom")))  # no inventory ever validated: default severity

    items = dict(query(warehouse, "SELECT fingerprint, severity FROM ops.backlog_item"))
    assert items == {"backflow_sync:gl_voucher:RuntimeError": "high", "config:backflow_tables.yaml:invalid": "critical"}


def test_should_show_a_broken_alerting_config_as_an_import_error_but_keep_the_watchdog(airflow_db, tmp_path,
                                                                                      monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    broken = tmp_path / "alerting.yaml"
    broken.write_text(yaml.safe_dump(BROKEN))
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(broken))

    bag = DagBag(dag_folder=str(ROOT / "dags"))

    failing = {path.rsplit("/", 1)[-1]: error for path, error in bag.import_errors.items()}
    assert set(failing) == {"operations_report.py"}
    assert "field 'type'" in failing["operations_report.py"]
    assert "watchdog" in bag.dag_ids, "the watchdog runs on the last good copy and reports the broken file itself"
    assert "backflow_sync" in bag.dag_ids, "DAGs that do not read alerting.yaml keep running"


def _uri(conninfo: str) -> str:
    from tests.conftest import airflow_uri

    return airflow_uri(conninfo)


def test_should_keep_the_heartbeats_key_out_of_the_last_good_copy(warehouse, alerting_file):
    secret_url = "https://hc-ping.example.com/0b6f-secret-check-key"
    alerting_file.write_text(yaml.safe_dump({**GOOD, "watchdog": {"heartbeat_url": secret_url}}))
    assert open_context(warehouse).config.watchdog.heartbeat_url == secret_url, "the live config keeps it"
    [(content,)] = query(warehouse, "SELECT content::text FROM ops.config_snapshot WHERE name = 'alerting.yaml'")
    assert "secret-check-key" not in content and '"heartbeat_url": null' in content
