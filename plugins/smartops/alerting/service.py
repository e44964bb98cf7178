"""THE one alert path: raise_alert (record, count, route, suppress, queue, deliver) and resolve_passing.

A decision to notify is an outbox row written in the same transaction as the event and the
item, and counts only once delivered (smartops.notify.outbox): a failed delivery is retried by
the next alert run or the watchdog, and does not silence the repeats meanwhile.
"""

from __future__ import annotations

import logging
from datetime import date

import psycopg

from smartops.alerting import backlog
from smartops.alerting.config_guard import Guarded, guarded_alerting, guarded_inventory
from smartops.alerting.messages import alert_message
from smartops.alerting.models import Alert, AlertAction, AlertOutcome, Category, Decision, ItemStatus
from smartops.alerting.notices import deliver_pending, enqueue_resolved
from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import Inventory
from smartops.notify.channels import Channel
from smartops.notify.delivery import Delivery
from smartops.notify.outbox import NotificationKind, enqueue
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

log = logging.getLogger(__name__)

CONFIG_STAGE = "config"


def current_config(warehouse: str) -> AlertingConfig:
    """The alerting config to use now: alerting.yaml, or its last known good copy when the file is broken.

    A broken file raises (once per suppression interval) a critical `config` alert naming file, entry
    and field; a valid one resolves that alert.
    """
    guarded = guarded_alerting(warehouse)
    _report(warehouse, guarded, guarded.value)
    return guarded.value


def current_inventory(warehouse: str, config: AlertingConfig) -> Inventory | None:
    """The backflow inventory for the alert path, or its last known good copy (None: there is none)."""
    guarded = guarded_inventory(warehouse)
    _report(warehouse, guarded, config)
    return guarded.value


def _report(warehouse: str, guarded: Guarded, config: AlertingConfig) -> None:
    if guarded.problem is None:
        resolve_passing(warehouse, stage=CONFIG_STAGE, object=guarded.name, note=f"{guarded.name} is valid again",
                        config=config)
        return
    raise_alert(warehouse, Alert(
        stage=CONFIG_STAGE, object=guarded.name, check="invalid", category=Category.CONFIG,
        severity=Severity.CRITICAL, title=f"{guarded.name} is invalid; alerting runs on {guarded.fallback}",
        details=str(guarded.problem),
        hint=f"Fix {guarded.name} (the message names the entry and field); until then the alert path uses "
             f"{guarded.fallback}.",
    ), config=config)


def decide(alert: Alert, item: dict, config: AlertingConfig) -> tuple[Decision, list[Channel]]:
    """Choose what to do with one occurrence of an item and which channels to use.

    Order: quiet warnings, active mutes and acknowledgements suppress; the N-th occurrence
    escalates once (through the suppression interval); a notification still waiting for delivery
    is not doubled; otherwise one delivered notification per interval.
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
            and not item["escalation_pending"]):
        extra = [config.channel(n) for n in config.escalation.channels]
        return Decision.ESCALATE, list({c.name: c for c in [*routed, *extra]}.values())
    if item["pending"]:
        return Decision.PENDING_DELIVERY, []
    if item["within_interval"]:
        return Decision.SUPPRESSED_INTERVAL, []
    if not routed:
        return Decision.NO_ROUTE, []
    return Decision.NOTIFY, routed


def raise_alert(warehouse: str, alert: Alert, *, config: AlertingConfig | None = None,
                deliver: bool = True) -> AlertOutcome:
    """Record `alert`, open or count its backlog item, and queue the notification if one is due.

    The event, the item, the decision and the queued notifications commit together; then, with
    deliver (the default), the due notifications of those channels are sent. A stage raising many
    alerts at once passes deliver=False and calls deliver_pending once, so a burst becomes a digest.
    This function never raises because a channel is down.
    """
    config = config or current_config(warehouse)
    with psycopg.connect(warehouse) as conn, conn.transaction(), conn.cursor() as cur:
        item = backlog.record_occurrence(conn, alert, suppression=config.suppression, language=config.language)
        decision, channels = decide(alert, item, config)
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
        sent = deliver_pending(warehouse, config, targets)
        types = {c.name: c.type.value for c in targets}
        deliveries = tuple(Delivery(channel=s.channel, channel_type=types[s.channel], delivered=s.delivered,
                                    attempts=s.attempts, error=s.error) for s in sent if s.event_id == event_id)
    return AlertOutcome(
        event_id=event_id, item_id=item["item_id"], item_status=item["status"], action=item["action"],
        occurrences=item["occurrences"], decision=decision, deliveries=deliveries,
    )


def resolve_passing(
    warehouse: str,
    *,
    stage: str,
    object: str,
    check: str | None = None,
    note: str | None = None,
    business_date: date | None = None,
    config: AlertingConfig | None = None,
) -> list[int]:
    """Resolve the open items of `stage:object[:check]` because the check/table/task passes again.

    check=None resolves every check of the object; business_date is the run's, for the report.
    Each resolved item sends one resolved notice to the channels its alerts reached (per
    routes.notify_resolved). Returns the resolved item ids.
    """
    config = config or current_config(warehouse)
    with psycopg.connect(warehouse) as conn, conn.transaction():
        resolved = backlog.resolve_in(conn, stage=stage, object=object, check=check, note=note,
                                      business_date=business_date)
        channels = enqueue_resolved(conn, resolved, config)
    if channels:
        deliver_pending(warehouse, config, channels)
    return resolved
