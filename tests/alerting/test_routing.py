"""Routing, suppression, escalation and quiet warnings of raise_alert, against real PostgreSQL."""

from __future__ import annotations

import time

from smartops.alerting import Decision, raise_alert
from smartops.alerting.context import AlertContext
from smartops.config.alerting import AlertingConfig
from tests.alerting.factories import make_alert, make_config, webhook_connection
from tests.support.helpers import scalar


def test_should_notify_once_and_count_twice_inside_the_suppression_interval(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/robot/send?access_token=t")
    config = make_config()
    first = raise_alert(AlertContext(warehouse, config), make_alert())
    second = raise_alert(AlertContext(warehouse, config), make_alert())
    assert (first.decision, second.decision) == (Decision.NOTIFY, Decision.SUPPRESSED_INTERVAL)
    assert len(webhook_server.requests) == 1
    assert first.item_id == second.item_id
    assert scalar(warehouse, "SELECT occurrences FROM ops.backlog_item WHERE item_id = %s", first.item_id) == 2
    assert scalar(warehouse, "SELECT count(*) FROM ops.alert_event WHERE item_id = %s", first.item_id) == 2


def test_should_notify_again_after_the_suppression_interval(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/robot/send")
    config = make_config(suppression_interval="1s")
    raise_alert(AlertContext(warehouse, config), make_alert())
    time.sleep(1.2)
    again = raise_alert(AlertContext(warehouse, config), make_alert())
    assert again.decision is Decision.NOTIFY
    assert again.occurrences == 2
    assert len(webhook_server.requests) == 2


def test_should_escalate_once_when_an_item_keeps_recurring(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    webhook_connection(monkeypatch, "test_lead", webhook_server.url + "/lead")
    config = make_config(
        channels=[{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"},
                  {"name": "lead", "type": "slack", "conn_id": "test_lead"}],
        escalation={"after_occurrences": 3, "channels": ["lead"]},
    )
    decisions = [raise_alert(AlertContext(warehouse, config), make_alert()).decision for _ in range(4)]
    assert decisions == [Decision.NOTIFY, Decision.SUPPRESSED_INTERVAL, Decision.ESCALATE,
                         Decision.SUPPRESSED_INTERVAL]
    assert [r.path for r in webhook_server.requests] == ["/ding", "/ding", "/lead"]
    assert "升级" in webhook_server.requests[2].body["text"]


def test_should_record_warnings_quietly(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    outcome = raise_alert(AlertContext(warehouse, make_config()), make_alert(warning=True))
    assert outcome.decision is Decision.WARNING_QUIET
    assert webhook_server.requests == []
    assert scalar(warehouse, "SELECT occurrences FROM ops.backlog_item WHERE item_id = %s", outcome.item_id) == 1


def test_should_route_by_owner_as_well_as_severity(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    webhook_connection(monkeypatch, "test_feishu", webhook_server.url + "/feishu")
    config = make_config(
        channels=[{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"},
                  {"name": "treasury", "type": "feishu", "conn_id": "test_feishu"}],
        routes={"by_severity": {"high": ["ding"]}, "by_owner": {"treasury": ["treasury"]}},
    )
    raise_alert(AlertContext(warehouse, config), make_alert(owner="treasury"))
    raise_alert(AlertContext(warehouse, config), make_alert(check="other", severity="low"))
    assert [r.path for r in webhook_server.requests] == ["/ding", "/feishu"]


def test_should_reopen_a_resolved_item_and_hint_at_flapping(warehouse):
    from smartops.alerting import resolve

    config = make_config(routes={})
    for _ in range(2):
        raise_alert(AlertContext(warehouse, config), make_alert())
        resolve(AlertContext(warehouse, AlertingConfig()), stage="quality_scan",
                targets=[("ods.expense_claim", "amount_not_negative")])
    outcome = raise_alert(AlertContext(warehouse, config), make_alert())
    assert (outcome.action, outcome.occurrences) == ("reopened", 1)
    row = scalar(warehouse, "SELECT row(status, reopen_count, total_occurrences)::text FROM ops.backlog_item")
    assert row == "(open,2,3)"
    assert "重新打开 2 次" in scalar(warehouse, "SELECT hint FROM ops.backlog_item")


def test_should_link_to_airflows_own_base_url_unless_alerting_yaml_overrides_it(warehouse, webhook_server, monkeypatch):
    from smartops.alerting.airflow_api import ui_base_url

    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.fssc.example.com")
    deployed = make_config().with_base_url(ui_base_url())
    raise_alert(AlertContext(warehouse, deployed), make_alert())
    text = str(webhook_server.requests[-1].body)
    assert "https://airflow.fssc.example.com/smartops/backlog?item=" in text and "localhost:8080/smartops" not in text
    override = AlertingConfig(airflow_base_url="https://ops.example.com/airflow").with_base_url(ui_base_url())
    assert override.console_url("upstream") == "https://ops.example.com/airflow/smartops/upstream"
