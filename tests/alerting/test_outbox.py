"""A notification counts only when delivered: the outbox retries, expires, folds bursts and closes threads."""

from __future__ import annotations

import time

import psycopg

from smartops.alerting import Decision, raise_alert, resolve
from smartops.alerting.context import AlertContext
from smartops.alerting.service import deliver_pending
from tests.alerting.factories import make_alert, make_config, webhook_connection
from tests.support.helpers import query, scalar

QUICK = {"attempts": 1, "retry_delay": "0s", "timeout": "2s", "backoff": "1s", "max_backoff": "1s"}


def item_state(warehouse: str, item_id: int) -> tuple:
    return query(warehouse, "SELECT last_notified_at IS NOT NULL, escalated_at IS NOT NULL FROM ops.backlog_item "
                            "WHERE item_id = %s", (item_id,))[0]


def test_should_retry_a_failed_delivery_until_delivered_without_silencing_repeats(warehouse, webhook_server,
                                                                                  monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK)
    webhook_server.down = True

    first = raise_alert(AlertContext(warehouse, config), make_alert())
    assert first.decision is Decision.NOTIFY and not first.deliveries[0].delivered
    assert item_state(warehouse, first.item_id) == (False, False), "not delivered, so not notified"
    repeat = raise_alert(AlertContext(warehouse, config), make_alert())
    assert repeat.decision is Decision.PENDING_DELIVERY  # queued once, not doubled, not suppressed as if sent

    webhook_server.down = False
    time.sleep(1.1)  # the backoff
    sent = deliver_pending(AlertContext(warehouse, config))  # what the watchdog (or the next alert run) does

    assert [(s.item_id, s.delivered) for s in sent] == [(first.item_id, True)]
    assert len(webhook_server.requests) == 1 and webhook_server.refused == 1  # refused once, delivered once
    assert item_state(warehouse, first.item_id) == (True, False)
    assert query(warehouse, "SELECT status, attempts FROM ops.notification") == [("delivered", 2)]
    assert raise_alert(AlertContext(warehouse, config), make_alert()).decision is Decision.SUPPRESSED_INTERVAL


def test_should_deliver_after_a_crash_between_commit_and_send(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK)
    outcome = raise_alert(AlertContext(warehouse, config), make_alert(), deliver=False)  # committed, never sent
    assert webhook_server.requests == [] and outcome.decision is Decision.NOTIFY

    deliver_pending(AlertContext(warehouse, config))

    assert len(webhook_server.requests) == 1
    assert item_state(warehouse, outcome.item_id) == (True, False)


def test_should_expire_an_undeliverable_notification_visibly_and_notify_the_next_occurrence(
        warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery={**QUICK, "expire_after": "1s"})
    webhook_server.down = True
    first = raise_alert(AlertContext(warehouse, config), make_alert())
    time.sleep(1.1)

    [expired] = deliver_pending(AlertContext(warehouse, config))

    assert (expired.item_id, expired.status.value) == (first.item_id, "expired")
    assert query(warehouse, "SELECT status, last_error IS NOT NULL FROM ops.notification") == [("expired", True)]
    webhook_server.down = False
    again = raise_alert(AlertContext(warehouse, config), make_alert())
    assert again.decision is Decision.NOTIFY and again.deliveries[0].delivered


def test_should_fold_a_burst_into_one_digest_message(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK)
    for n in range(8):
        raise_alert(AlertContext(warehouse, config), make_alert(check=f"check_{n}", title=f"问题 {n}"), deliver=False)

    sent = deliver_pending(AlertContext(warehouse, config))

    assert len(sent) == 8 and all(s.delivered for s in sent) and len({s.digest_id for s in sent}) == 1
    [digest] = webhook_server.requests
    text = digest.body["markdown"]["text"]
    assert text.startswith("**【汇总】8 条通知**") and all(f"问题 {n}" in text for n in range(8))
    assert scalar(warehouse, "SELECT count(*) FROM ops.backlog_item WHERE last_notified_at IS NOT NULL") == 8


def test_should_wait_when_the_robots_minute_is_used_up(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK)
    with psycopg.connect(warehouse) as conn:  # 20 messages went to this robot within the last minute
        conn.execute("INSERT INTO ops.notification (kind, channel, subject, message, status, expires_at, "
                     "delivered_at) SELECT 'alert', 'ding', 'old', '{}', 'delivered', now(), now() "
                     "FROM generate_series(1, 20)")

    outcome = raise_alert(AlertContext(warehouse, config), make_alert())

    assert webhook_server.requests == [] and outcome.deliveries[0].error is None
    assert query(warehouse, "SELECT status, next_attempt_at > now() + interval '50 seconds' FROM ops.notification "
                            "WHERE subject <> 'old'") == [("pending", True)]


def test_should_send_one_resolved_notice_where_the_alert_went(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK)
    alert = make_alert()
    raise_alert(AlertContext(warehouse, config), alert)

    resolved = resolve(AlertContext(warehouse, config), stage=alert.stage, targets=[alert.object])
    resolve(AlertContext(warehouse, config), stage=alert.stage, targets=[alert.object])  # nothing more to close

    assert len(resolved) == 1
    assert [r.body["markdown"]["text"].split("\n")[0] for r in webhook_server.requests] == [
        "**[高] quality_scan · ods.expense_claim: 负数金额 2 行**",
        "**【已解决】[高] quality_scan · ods.expense_claim: 负数金额 2 行**"]
    quiet = make_config(delivery=QUICK, routes={"by_severity": {"high": ["ding"]}, "notify_resolved": ["critical"]})
    other = make_alert(check="other")
    raise_alert(AlertContext(warehouse, quiet), other)
    resolve(AlertContext(warehouse, quiet), stage=other.stage, targets=[(other.object, "other")])
    assert len(webhook_server.requests) == 3, "high items do not announce their resolution under this route"


def test_should_mark_an_escalation_done_only_once_it_was_delivered(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK, escalation={"after_occurrences": 2, "channels": ["ding"]})
    raise_alert(AlertContext(warehouse, config), make_alert())
    webhook_server.down = True
    escalated = raise_alert(AlertContext(warehouse, config), make_alert())
    assert escalated.decision is Decision.ESCALATE
    assert item_state(warehouse, escalated.item_id) == (True, False)
    queued = raise_alert(AlertContext(warehouse, config), make_alert())
    assert queued.decision is not Decision.ESCALATE  # queued already

    webhook_server.down = False
    time.sleep(1.1)
    deliver_pending(AlertContext(warehouse, config))

    assert item_state(warehouse, escalated.item_id) == (True, True)
    assert "升级" in webhook_server.requests[-1].body["markdown"]["text"]


def test_should_mention_the_owners_contacts(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config(delivery=QUICK, contacts={"finance-data": {"mobiles": ["13800000000"]}})
    raise_alert(AlertContext(warehouse, config), make_alert())
    [request] = webhook_server.requests
    assert request.body["at"] == {"atMobiles": ["13800000000"], "atUserIds": [], "isAtAll": False}
    assert request.body["markdown"]["text"].endswith("@13800000000")
    assert "http://localhost:8080/smartops/backlog?item=" in request.body["markdown"]["text"]
