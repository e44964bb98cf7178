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


def test_should_never_record_a_robots_secret_when_its_url_is_broken_or_down(warehouse, webhook_server, free_port,
                                                                          monkeypatch):
    from tests.support.helpers import query

    secret = "robot-secret-0451"
    # pasted with a stray space: http.client's InvalidURL would quote the query, which is the secret
    webhook_connection(monkeypatch, "test_ding", f"{webhook_server.url}/robot send?access_token={secret}")
    webhook_connection(monkeypatch, "test_wecom", f"http://127.0.0.1:{free_port}/send?key={secret}")  # down
    config = make_config(channels=ALL_CHANNELS[:2], routes={"by_severity": {"high": ["ding", "wecom"]}},
                         delivery={"attempts": 1, "retry_delay": "0s", "timeout": "2s"})
    outcome = raise_alert(AlertContext(warehouse, config), make_alert())
    errors = {d.channel: d.error for d in outcome.deliveries}
    assert "does not hold a valid webhook URL" in errors["ding"] and "space or control character" in errors["ding"]
    assert errors["wecom"].startswith("URLError") and "127.0.0.1" in errors["wecom"]
    recorded = query(warehouse, "SELECT coalesce(last_error, '') FROM ops.notification "
                                "UNION ALL SELECT coalesce(error, '') FROM ops.alert_delivery")
    assert recorded and not any(secret in text for (text,) in recorded), "the secret reached the ops tables"
    assert webhook_server.requests == []


def test_should_keep_only_the_key_and_the_checked_columns_of_a_sample_masking_sensitive_ones():
    from smartops.quality.soda_scan import minimal_sample

    rows = [{"bank_account_id": 7, "org_id": "ORG1", "account_no": "6222021234567890", "bank_name": "工商银行",
             "balance_floor": -5}]
    check = {"name": "balance floor not negative", "column": None,
             "definition": "failed rows:\n  fail query: SELECT * FROM ods.bank_account WHERE balance_floor < 0"}
    assert minimal_sample(rows, check, "ods.bank_account") == [{"bank_account_id": 7, "balance_floor": -5}]
    check = {"name": "account number present", "column": "account_no", "definition": "missing_count(account_no) = 0"}
    assert minimal_sample(rows, check, "ods.bank_account") == [{"bank_account_id": 7,
                                                                "account_no": "************7890"}]


def test_should_send_a_notes_markdown_as_text_on_every_channel(warehouse, webhook_server, monkeypatch):
    for channel in ALL_CHANNELS:
        webhook_connection(monkeypatch, channel["conn_id"], f"{webhook_server.url}/{channel['name']}")
    config = make_config(channels=ALL_CHANNELS, routes={"by_severity": {"high": [c["name"] for c in ALL_CHANNELS]}})
    alert = make_alert(title="see [the fix](http://evil.example) <b>now</b>", details="**urgent** ![x](http://e.x/i)")
    raise_alert(AlertContext(warehouse, config), alert)
    got = {r.path: r.body for r in webhook_server.requests}
    ding, wecom = got["/ding"]["markdown"]["text"], got["/wecom"]["markdown"]["content"]
    for text in (ding, wecom):  # rendered Markdown: the link, image and emphasis are escaped, shown as text
        assert "\\[the fix\\]\\(http://evil.example\\)" in text and "\\!\\[x\\]" in text and "\\*\\*urgent" in text
    slack = got["/slack"]["text"]  # mrkdwn: <, > and & are its only control characters
    assert "&lt;b&gt;now&lt;/b&gt;" in slack and "[the fix](http://evil.example)" in slack and "\\[" not in slack
    assert "see [the fix](http://evil.example) <b>now</b>" in got["/feishu"]["content"]["text"]  # plain text
