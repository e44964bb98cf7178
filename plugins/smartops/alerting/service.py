"""raise_alert — THE one alert path: record, count, route, suppress, deliver (never raising on delivery)."""

from __future__ import annotations

import logging

import psycopg

from smartops.alerting import backlog
from smartops.alerting.messages import alert_message
from smartops.alerting.models import Alert, AlertAction, AlertOutcome, Decision, ItemStatus
from smartops.config.alerting import AlertingConfig, load_alerting_config
from smartops.notify.channels import Channel
from smartops.notify.delivery import deliver
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)


def decide(alert: Alert, item: dict, config: AlertingConfig) -> tuple[Decision, list[Channel]]:
    """Choose what to do with one occurrence of an item and which channels to use.

    Order: quiet warnings, active mutes and acknowledgements suppress; the N-th occurrence
    escalates once (through the suppression interval); otherwise one notification per interval.
    """
    status: ItemStatus = item["status"]
    routed = config.route(alert.severity, alert.owner)
    if alert.warning and not config.warnings.notify:
        return Decision.WARNING_QUIET, []
    if status is ItemStatus.MUTED:
        return Decision.MUTED, []
    if status is ItemStatus.ACKNOWLEDGED:
        return Decision.ACKNOWLEDGED, []
    if item["occurrences"] >= config.escalation.after_occurrences and item["escalated_at"] is None:
        extra = [config.channel(n) for n in config.escalation.channels]
        return Decision.ESCALATE, list({c.name: c for c in [*routed, *extra]}.values())
    if item["within_interval"]:
        return Decision.SUPPRESSED_INTERVAL, []
    if not routed:
        return Decision.NO_ROUTE, []
    return Decision.NOTIFY, routed


def raise_alert(warehouse: str, alert: Alert, *, config: AlertingConfig | None = None) -> AlertOutcome:
    """Record `alert`, open or count its backlog item, and notify the routed channels if due.

    The event, the item and the decision commit in one transaction before anything is sent,
    so a concurrent repeat cannot notify twice; deliveries are recorded afterwards. A channel
    that fails is retried, logged and recorded — this function never raises because of it.
    """
    config = config or load_alerting_config()
    with psycopg.connect(warehouse) as conn, conn.transaction(), conn.cursor() as cur:
        item = backlog.record_occurrence(conn, alert, suppression=config.suppression, language=config.language)
        decision, channels = decide(alert, item, config)
        if channels:
            cur.execute(named_sql(backlog.SQL, "mark_notified"),
                        {"item_id": item["item_id"], "escalate": decision is Decision.ESCALATE})
        if decision is Decision.ESCALATE:
            backlog.audit(cur, item["item_id"], AlertAction.ESCALATED, backlog.SYSTEM_ACTOR,
                          f"{item['occurrences']} occurrences", item["status"].value, item["status"].value,
                          business_date=alert.business_date)
        event_id = cur.execute(named_sql(backlog.SQL, "insert_event"), {
            "item_id": item["item_id"], "fingerprint": alert.fingerprint, "category": alert.category.value,
            "severity": alert.severity.value, "warning": alert.warning, "title": alert.title,
            "details": alert.details, "dag_id": alert.dag_id, "run_id": alert.run_id, "task_id": alert.task_id,
            "run_url": alert.run_url, "decision": decision.value, "channels": [c.name for c in channels],
            "business_date": alert.business_date,
        }).fetchone()[0]
    log.info("alert %s: item %s %s (occurrence %d), decision %s", alert.fingerprint, item["item_id"],
             item["action"].value, item["occurrences"], decision.value)
    deliveries = []
    if channels:
        message = alert_message(alert, occurrences=item["occurrences"], decision=decision, language=config.language)
        deliveries = [deliver(channel, message, config.delivery) for channel in channels]
        with psycopg.connect(warehouse) as conn, conn.transaction(), conn.cursor() as cur:
            for d in deliveries:
                cur.execute(named_sql(backlog.SQL, "insert_delivery"), {"event_id": event_id, **d.model_dump()})
    return AlertOutcome(
        event_id=event_id, item_id=item["item_id"], item_status=item["status"], action=item["action"],
        occurrences=item["occurrences"], decision=decision, deliveries=tuple(deliveries),
    )
