"""Delivery against real local servers: SMTP (aiosmtpd) and a webhook server for the chat robots."""

from __future__ import annotations

import time

from smartops.alerting import Decision, raise_alert
from smartops.alerting.context import AlertContext
from smartops.notify.notifiers import dingtalk_signature, feishu_signature
from tests.alerting.factories import make_alert, make_config, smtp_connection, webhook_connection
from tests.support.helpers import scalar

ALL_CHANNELS = [
    {"name": "ding", "type": "dingtalk", "conn_id": "test_ding"},
    {"name": "wecom", "type": "wecom", "conn_id": "test_wecom"},
    {"name": "feishu", "type": "feishu", "conn_id": "test_feishu"},
    {"name": "slack", "type": "slack", "conn_id": "test_slack"},
]


def test_should_send_each_robot_its_payload_shape_with_valid_signatures(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding?access_token=tok", "SECding")
    webhook_connection(monkeypatch, "test_wecom", webhook_server.url + "/wecom?key=k")
    webhook_connection(monkeypatch, "test_feishu", webhook_server.url + "/feishu", "feishu-secret")
    webhook_connection(monkeypatch, "test_slack", webhook_server.url + "/slack")
    config = make_config(channels=ALL_CHANNELS,
                         routes={"by_severity": {"critical": [c["name"] for c in ALL_CHANNELS]}})
    outcome = raise_alert(AlertContext(warehouse, config), make_alert(severity="critical"))
    assert all(d.delivered for d in outcome.deliveries)
    got = {r.path: r for r in webhook_server.requests}
    assert set(got) == {"/ding", "/wecom", "/feishu", "/slack"}

    ding = got["/ding"]
    assert ding.body["msgtype"] == "markdown" and ding.body["markdown"]["title"].startswith("[严重]")
    timestamp = int(ding.query["timestamp"][0])
    assert abs(timestamp / 1000 - time.time()) < 60
    assert ding.query["sign"][0] == dingtalk_signature("SECding", timestamp)
    assert ding.query["access_token"] == ["tok"]

    wecom = got["/wecom"].body
    assert wecom["msgtype"] == "markdown" and "ods.expense_claim" in wecom["markdown"]["content"]
    feishu = got["/feishu"].body
    assert feishu["msg_type"] == "text"
    assert feishu["sign"] == feishu_signature("feishu-secret", int(feishu["timestamp"]))
    assert "manual__2026-11-29" in got["/slack"].body["text"]  # the run link


def test_should_send_the_alert_as_html_email(warehouse, smtp_server, monkeypatch):
    smtp_connection(monkeypatch, "test_smtp", smtp_server.port)
    mail = {"name": "mail", "type": "email", "conn_id": "test_smtp", "to": ["ops@example.com"]}
    config = make_config(channels=[mail],
                         routes={"by_severity": {"high": ["mail"]}}, language="en")
    outcome = raise_alert(AlertContext(warehouse, config), make_alert())
    assert outcome.deliveries[0].delivered
    [message] = smtp_server.messages
    assert message["To"] == "ops@example.com" and message["Subject"].startswith("[HIGH] quality_scan")
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "<b>" in html and "manual__2026-11-29" in html


def test_should_record_the_alert_and_not_raise_when_a_channel_is_down(warehouse, free_port, monkeypatch, caplog):
    webhook_connection(monkeypatch, "test_ding", f"http://127.0.0.1:{free_port}/down")
    outcome = raise_alert(AlertContext(warehouse, make_config()), make_alert())
    assert outcome.decision is Decision.NOTIFY
    [delivery] = outcome.deliveries
    assert (delivery.delivered, delivery.attempts) == (False, 2)
    assert "not delivered after 2 attempts" in caplog.text
    assert scalar(warehouse, "SELECT count(*) FROM ops.alert_event WHERE event_id = %s", outcome.event_id) == 1
    assert scalar(warehouse, "SELECT delivered FROM ops.alert_delivery WHERE event_id = %s", outcome.event_id) is False


def test_should_not_retry_a_channel_whose_connection_is_not_defined(warehouse):
    config = make_config(channels=[{"name": "ding", "type": "dingtalk", "conn_id": "never_defined"}])
    [delivery] = raise_alert(AlertContext(warehouse, config), make_alert()).deliveries
    assert (delivery.delivered, delivery.attempts) == (False, 0)
    assert "AIRFLOW_CONN_NEVER_DEFINED" in delivery.error
