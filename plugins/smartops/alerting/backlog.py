"""The optimization backlog (持续优化): open, count and auto-resolve items, every change audited.

(Triage by hand — acknowledge, mute, resolve — is smartops.alerting.triage.)"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

from smartops.alerting.models import Alert, AlertAction, Category, ItemStatus
from smartops.notify.language import Language
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

SQL = "alerting/backlog.sql"
SYSTEM_ACTOR = "smartops"
FLAPPING_REOPENS = 2
REPEATED_SCENARIO_SKIPS = 3


def derive_hint(category: Category, occurrences: int, reopen_count: int, language: Language) -> str | None:
    """Return an optimization hint when the item's history suggests one (flapping, repeated skips)."""
    zh = language is Language.ZH
    if reopen_count >= FLAPPING_REOPENS:
        return (f"该检查反复通过/失败（已重新打开 {reopen_count} 次）：复核阈值或从源头修复数据"
                if zh else f"flapping: reopened {reopen_count} times; review the threshold or fix the data at source")
    if category is Category.SCENARIO and occurrences >= REPEATED_SCENARIO_SKIPS:
        return (f"场景已连续 {occurrences} 次被质量门禁跳过：优先修复其上游检查"
                if zh else f"scenario skipped by its gate {occurrences} times in a row; fix its upstream checks first")
    return None


def record_occurrence(
    conn: psycopg.Connection, alert: Alert, *, suppression: timedelta, language: Language,
    level1_owner: str | None = None,
) -> dict[str, Any]:
    """Open or count the item of `alert` (caller's transaction); return its state for the routing decision.

    A resolved item is reopened (a new episode: occurrences restart at 1); an expired mute ends.
    With `level1_owner` (the cause is at Level-1) a new episode opens awaiting Level-1.
    """
    opens_as = ItemStatus.AWAITING_LEVEL1 if level1_owner else ItemStatus.OPEN
    params = {
        "fingerprint": alert.fingerprint, "stage": alert.stage, "object": alert.object, "check": alert.check,
        "category": alert.category.value, "owner": alert.owner, "severity": alert.severity.value,
        "title": alert.title, "details": alert.details, "scenarios": list(alert.scenarios), "hint": alert.hint,
        "run_url": alert.run_url, "suppression": suppression, "level1_owner": level1_owner,
    }
    with conn.cursor(row_factory=dict_row) as cur:
        created = cur.execute(named_sql(SQL, "insert_item"), params).fetchone()
        item = cur.execute(named_sql(SQL, "lock_item"), params).fetchone()
        before = ItemStatus(item["status"])
        if created:
            action, status = AlertAction.OPENED, opens_as
        elif before is ItemStatus.RESOLVED:
            action, status = AlertAction.REOPENED, opens_as
        else:
            action = AlertAction.RECURRED
            # A mute ends at muted_until; so does the acknowledgement of a critical item (triage sets it).
            expired = (before in (ItemStatus.MUTED, ItemStatus.ACKNOWLEDGED) and item["muted_until"] is not None
                       and not item["mute_active"]) or (before is ItemStatus.MUTED and not item["mute_active"])
            status = ItemStatus.OPEN if expired else before
            if status is not before:
                ended = "mute expired" if before is ItemStatus.MUTED else "acknowledgement expired"
                audit(cur, item["item_id"], AlertAction.UNMUTED, SYSTEM_ACTOR, ended, before.value, status.value,
                      business_date=alert.business_date)
        counted = cur.execute(named_sql(SQL, "record_occurrence"), {
            **params, "item_id": item["item_id"], "reopen": action is AlertAction.REOPENED, "status": status.value,
            "rearm": before is ItemStatus.ACKNOWLEDGED and status is ItemStatus.OPEN,
        }).fetchone()
        hint = alert.hint or derive_hint(alert.category, counted["occurrences"], counted["reopen_count"], language)
        if hint:
            cur.execute(named_sql(SQL, "set_hint"), {"item_id": item["item_id"], "hint": hint})
        if action is not AlertAction.RECURRED:
            audit(cur, item["item_id"], action, SYSTEM_ACTOR, alert.title,
                  None if created else before.value, status.value, business_date=alert.business_date)
    return {**item, "action": action, "status": status, "occurrences": counted["occurrences"]}


def resolve_in(
    conn: psycopg.Connection,
    *,
    stage: str,
    object: str,
    check: str | None = None,
    note: str | None = None,
    business_date: date | None = None,
) -> list[int]:
    """Resolve the open items of `stage:object[:check]` inside the caller's transaction; return their ids.

    check=None resolves every check of the object; business_date is the run's, for the report.
    (smartops.alerting.service.resolve adds the resolved notices.)
    """
    rows = conn.execute(named_sql(SQL, "resolve_passing"), {
        "stage": stage, "object": object, "check": check, "actor": SYSTEM_ACTOR, "business_date": business_date,
        "note": note or f"passing again: {stage}:{object}" + (f":{check}" if check else ""),
    }).fetchall()
    for item_id, seconds in rows:
        log.info("backlog item %s resolved automatically after %.0fs (%s:%s)", item_id, seconds, stage, object)
    return [item_id for item_id, _ in rows]


def audit(cur: psycopg.Cursor, item_id: int, action: AlertAction, actor: str, note: str | None,
          before: str | None, after: str, resolve_seconds: float | None = None,
          business_date: date | None = None) -> None:
    """Append one row to ops.backlog_audit inside the caller's transaction."""
    cur.execute(named_sql(SQL, "insert_audit"), {
        "item_id": item_id, "action": action.value, "actor": actor, "note": note,
        "status_before": before, "status_after": after, "resolve_seconds": resolve_seconds,
        "business_date": business_date,
    })


def list_items(warehouse: str, status: ItemStatus | None = None) -> list[dict[str, Any]]:
    """Return backlog items (optionally of one status), most severe and most recent first."""
    with psycopg.connect(warehouse, row_factory=dict_row) as conn:
        return conn.execute(named_sql(SQL, "list_items"), {"status": status.value if status else None}).fetchall()


def audit_trail(warehouse: str, item_id: int) -> list[dict[str, Any]]:
    """Return the audit rows of one item in order."""
    with psycopg.connect(warehouse, row_factory=dict_row) as conn:
        return conn.execute(named_sql(SQL, "audit_of_item"), {"item_id": item_id}).fetchall()
