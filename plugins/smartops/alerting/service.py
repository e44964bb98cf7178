"""THE one alert path: open_context, raise_alert (record, count, route, suppress, queue, deliver), resolve.

A decision to notify is an outbox row written in the same transaction as the event and the
item, and counts only once delivered (smartops.notify.outbox, whose delivered-hook marks the
item notified in the delivery's own connection): a failed delivery is retried by the next alert
run or the watchdog, and does not silence the repeats meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

import psycopg
from psycopg.rows import dict_row

from smartops.alerting import backlog, config_guard, spool, upstream
from smartops.alerting.config_guard import Guarded
from smartops.alerting.context import AlertContext
from smartops.alerting.messages import alert_message, resolved_message
from smartops.alerting.models import Alert, AlertAction, AlertOutcome, Category, Decision, ItemStatus
from smartops.config.alerting import AlertingConfig
from smartops.notify import words
from smartops.notify.channels import Channel
from smartops.notify.delivery import Delivery
from smartops.notify.outbox import NotificationKind, Sent, deliver_due, enqueue
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

log = logging.getLogger(__name__)

CONFIG_STAGE = "config"
NOTICES_SQL = "alerting/notices.sql"


def open_context(warehouse: str, *, base_url: str | None = None) -> AlertContext:
    """Guard alerting.yaml and the inventory once; report a broken file (or its recovery); return the context.

    base_url is Airflow's own `[api] base_url`: the links' address unless alerting.yaml overrides it.
    One warehouse connection when both files are fine and nothing recovered. Raises
    psycopg.OperationalError when the warehouse cannot be reached (the caller decides what then).
    """
    with psycopg.connect(warehouse) as conn, conn.transaction():
        guarded: list[Guarded] = [config_guard.guard_alerting(conn), config_guard.guard_inventory(conn)]
        context = AlertContext(warehouse, guarded[0].value.with_base_url(base_url), guarded[1].value)
        # A valid file resolves its config item in the same transaction.
        resolved = [item for g in guarded if g.problem is None
                    for item in backlog.resolve_in(conn, stage=CONFIG_STAGE, object=g.name,
                                                   note=f"{g.name} is valid again")]
        channels = _enqueue_resolved(conn, resolved, context.config)
    if channels:
        deliver_pending(context, channels)
    spool.drain(context)  # what failure callbacks sent while the warehouse was down
    for broken in (g for g in guarded if g.problem is not None):
        fallback = words.fallback(context.config.language, broken.fallback.value, broken.validated_at)
        text = words.stage_text("config_invalid", context.config.language, name=broken.name, fallback=fallback)
        raise_alert(context, Alert(stage=CONFIG_STAGE, object=broken.name, check="invalid", category=Category.CONFIG,
                                   severity=Severity.CRITICAL, title=text.title, details=str(broken.problem),
                                   hint=text.hint))
    return context


def decide(alert: Alert, item: dict, config: AlertingConfig) -> tuple[Decision, list[Channel]]:
    """Choose what to do with one occurrence of an item and which channels to use.

    Order: quiet warnings, active mutes and acknowledgements suppress; the N-th occurrence
    escalates once (through the suppression interval) unless the item awaits Level-1 (their digest
    asks them); a notification still waiting for delivery is not doubled; otherwise one delivered
    notification per interval.
    """
    status: ItemStatus = item["status"]
    routed = config.route(alert.severity, alert.owner)
    if alert.warning and not config.warnings.notify:
        return Decision.WARNING_QUIET, []
    if status is ItemStatus.MUTED:
        return Decision.MUTED, []
    if status is ItemStatus.ACKNOWLEDGED:
        return Decision.ACKNOWLEDGED, []
    if (item["occurrences"] >= config.escalation.after_occurrences and item["escalated_at"] is None
            and not item["escalation_pending"] and status is not ItemStatus.AWAITING_LEVEL1):
        extra = [config.channel(n) for n in config.escalation.channels]
        return Decision.ESCALATE, list({c.name: c for c in [*routed, *extra]}.values())
    if item["pending"]:
        return Decision.PENDING_DELIVERY, []
    if item["within_interval"]:
        return Decision.SUPPRESSED_INTERVAL, []
    if not routed:
        return Decision.NO_ROUTE, []
    return Decision.NOTIFY, routed


def raise_alert(context: AlertContext, alert: Alert, *, deliver: bool = True,
                delivered_directly: tuple[str, ...] | None = None) -> AlertOutcome:
    """Record `alert`, open or count its backlog item, and queue the notification if one is due.

    The event, the item, the decision and the queued notifications commit together; then, with
    deliver (the default), the due notifications of those channels are sent. A stage raising many
    alerts at once passes deliver=False and calls deliver_pending once, so a burst becomes a digest.
    This function never raises because a channel is down. `delivered_directly` records an alert the
    failure callback already sent while the warehouse was down (smartops.alerting.spool): nothing is queued.
    """
    config = context.config
    with psycopg.connect(context.warehouse) as conn, conn.transaction(), conn.cursor() as cur:
        item = backlog.record_occurrence(conn, alert, suppression=config.suppression, language=config.language,
                                         level1_owner=upstream.level1_owner(alert, context.inventory))
        decision, channels = decide(alert, item, config)
        if delivered_directly is not None:
            decision, channels = Decision.DELIVERED_DIRECTLY, []
        if decision is Decision.ESCALATE:
            backlog.audit(cur, item["item_id"], AlertAction.ESCALATED, backlog.SYSTEM_ACTOR,
                          f"{item['occurrences']} occurrences", item["status"].value, item["status"].value,
                          business_date=alert.business_date)
        event_id = cur.execute(named_sql(backlog.SQL, "insert_event"), {
            "item_id": item["item_id"], "fingerprint": alert.fingerprint, "category": alert.category.value,
            "severity": alert.severity.value, "warning": alert.warning, "title": alert.title,
            "details": alert.details, "dag_id": alert.dag_id, "run_id": alert.run_id, "task_id": alert.task_id,
            "try_number": alert.try_number, "run_url": alert.run_url, "decision": decision.value,
            "channels": list(delivered_directly or [c.name for c in channels]), "business_date": alert.business_date,
        }).fetchone()[0]
        if channels:
            message = alert_message(alert, item_id=item["item_id"], occurrences=item["occurrences"],
                                    decision=decision, config=config)
            kind = NotificationKind.ESCALATION if decision is Decision.ESCALATE else NotificationKind.ALERT
            for channel in channels:
                enqueue(conn, kind=kind, channel=channel, message=message, policy=config.delivery,
                        item_id=item["item_id"], event_id=event_id, business_date=alert.business_date)
    log.info("alert %s: item %s %s (occurrence %d), decision %s", alert.fingerprint, item["item_id"],
             item["action"].value, item["occurrences"], decision.value)
    deliveries: tuple[Delivery, ...] = ()
    # Every alert run also retries what is due on its channels (earlier failures, other items).
    targets = list({c.name: c for c in [*channels, *config.route(alert.severity, alert.owner)]}.values())
    if targets and deliver:
        sent = deliver_pending(context, targets)
        types = {c.name: c.type.value for c in targets}
        deliveries = tuple(Delivery(channel=s.channel, channel_type=types[s.channel], delivered=s.delivered,
                                    attempts=s.attempts, error=s.error) for s in sent if s.event_id == event_id)
    return AlertOutcome(
        event_id=event_id, item_id=item["item_id"], item_status=item["status"], action=item["action"],
        occurrences=item["occurrences"], decision=decision, deliveries=deliveries,
    )


def resolve(
    context: AlertContext,
    *,
    stage: str,
    targets: Iterable[str | tuple[str, str | None]],
    note: str | None = None,
    business_date: date | None = None,
) -> list[int]:
    """Resolve the open items of `stage` for each target — an object (every check of it) or (object, check) —
    because it passes again; return the resolved item ids.

    All targets in one transaction; each resolved item sends one resolved notice to the channels its
    alerts reached (per routes.notify_resolved). Without open items it costs one query.
    """
    pairs = [(t, None) if isinstance(t, str) else t for t in targets]
    if not pairs:
        return []
    with psycopg.connect(context.warehouse) as conn, conn.transaction():
        resolved = [item_id for obj, check in pairs
                    for item_id in backlog.resolve_in(conn, stage=stage, object=obj, check=check, note=note,
                                                      business_date=business_date)]
        channels = _enqueue_resolved(conn, resolved, context.config)
    if channels:
        deliver_pending(context, channels)
    return resolved


def announce_resolved(context: AlertContext, item_ids: list[int]) -> None:
    """Send the resolved notices of items resolved elsewhere (triage by hand)."""
    with psycopg.connect(context.warehouse) as conn, conn.transaction():
        channels = _enqueue_resolved(conn, item_ids, context.config)
    if channels:
        deliver_pending(context, channels)


def deliver_pending(context: AlertContext, channels: list[Channel] | None = None) -> list[Sent]:
    """Deliver the due notifications of `channels` (default: every configured channel).

    Called after each alert decision commits and by the watchdog, so failed deliveries are retried
    until delivered or expired; an item counts as notified once its notification was delivered.
    Never raises for a channel that is down.
    """
    config = context.config
    return deliver_due(context.warehouse, channels if channels is not None else list(config.channels),
                       config.delivery, config.language, on_delivered=_mark_items_notified)


def _mark_items_notified(conn: psycopg.Connection, delivered: list[Sent]) -> None:
    """The outbox's delivered-hook: suppression and escalation count from the delivery, not the decision."""
    ids = [s.notification_id for s in delivered if s.item_id is not None]
    if ids:
        conn.execute(named_sql(NOTICES_SQL, "mark_items_notified"), {"ids": ids})


def _enqueue_resolved(conn: psycopg.Connection, item_ids: list[int], config: AlertingConfig) -> list[Channel]:
    """Queue one resolved notice per resolved item on the channels its alerts went to (caller's transaction).

    Only severities in routes.notify_resolved announce; return the channels that got notices.
    """
    if not item_ids:
        return []
    known = {c.name: c for c in config.channels}
    used: dict[str, Channel] = {}
    with conn.cursor(row_factory=dict_row) as cur:
        targets = cur.execute(named_sql(NOTICES_SQL, "resolved_notice_targets"), {
            "ids": item_ids, "severities": [s.value for s in config.routes.notify_resolved]}).fetchall()
    for item in targets:
        message = resolved_message(item, config=config)
        for name in item["channels"]:
            if name in known:  # a channel removed from alerting.yaml since then gets nothing
                enqueue(conn, kind=NotificationKind.RESOLVED, channel=known[name], message=message,
                        policy=config.delivery, item_id=item["item_id"])
                used[name] = known[name]
    return list(used.values())
