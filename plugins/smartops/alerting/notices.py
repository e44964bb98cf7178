"""Alert notifications through the outbox: deliver what is due, count items notified only when delivered,
and send one resolved notice when an item clears, so chat threads end."""

from __future__ import annotations

import logging

import psycopg
from psycopg.rows import dict_row

from smartops.alerting.messages import resolved_message
from smartops.config.alerting import AlertingConfig
from smartops.notify.channels import Channel
from smartops.notify.outbox import NotificationKind, Sent, deliver_due, enqueue
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

SQL = "alerting/notices.sql"


def deliver_pending(warehouse: str, config: AlertingConfig, channels: list[Channel] | None = None) -> list[Sent]:
    """Deliver the due notifications of `channels` (default: every configured channel); mark items notified.

    Called after each alert decision commits and by the watchdog, so failed deliveries are retried
    until delivered or expired. Never raises for a channel that is down.
    """
    sent = deliver_due(warehouse, channels if channels is not None else list(config.channels), config.delivery,
                       config.language)
    delivered = [s.notification_id for s in sent if s.delivered and s.item_id is not None]
    if delivered:
        with psycopg.connect(warehouse) as conn:
            conn.execute(named_sql(SQL, "mark_items_notified"), {"ids": delivered})
    return sent


def enqueue_resolved(conn: psycopg.Connection, item_ids: list[int], config: AlertingConfig) -> list[Channel]:
    """Queue one resolved notice per resolved item on the channels its alerts went to (caller's transaction).

    Only severities in routes.notify_resolved announce; return the channels that got notices.
    """
    if not item_ids:
        return []
    known = {c.name: c for c in config.channels}
    used: dict[str, Channel] = {}
    with conn.cursor(row_factory=dict_row) as cur:
        targets = cur.execute(named_sql(SQL, "resolved_notice_targets"), {
            "ids": item_ids, "severities": [s.value for s in config.routes.notify_resolved]}).fetchall()
    for item in targets:
        message = resolved_message(item, config=config)
        for name in item["channels"]:
            if name in known:  # a channel removed from alerting.yaml since then gets nothing
                enqueue(conn, kind=NotificationKind.RESOLVED, channel=known[name], message=message,
                        policy=config.delivery, item_id=item["item_id"])
                used[name] = known[name]
    return list(used.values())
