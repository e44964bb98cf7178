"""Triage by hand (the backlog_triage DAG, the CLI, the console): acknowledge, mute or resolve, audited.

The bounds live here, so every path enforces them: a note of 1–500 printable characters, a mute
that ends in the future and at most 90 days ahead, an item that exists and is not resolved. An
acknowledgement of a critical item expires (`escalation.acknowledgement_expires`), after which
the item is open again and escalation resumes.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import date, datetime, time, timedelta

import psycopg
from psycopg.rows import dict_row

from smartops.alerting.backlog import SQL, audit
from smartops.alerting.context import AlertContext
from smartops.alerting.models import ItemStatus, TriageAction
from smartops.alerting.service import announce_resolved
from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import Inventory
from smartops.errors import ConfigError
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

log = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 500
MAX_MUTE_DAYS = 90
BIGINT_MAX = 2**63 - 1  # ops.backlog_item.item_id


class TriageError(ConfigError):
    """A triage request names a missing item or an impossible change (nothing was changed)."""


def check_note(note: str, *, item_id: int | str) -> str:
    """Return the note stripped; refuse an empty, over-long or control-character note (it forges log lines)."""
    note = note.strip()
    if not note:
        raise TriageError(f"item {item_id}: give a note saying why; it is kept in the audit trail")
    if len(note) > MAX_NOTE_LENGTH:
        raise TriageError(f"item {item_id}: the note has {len(note)} characters; at most {MAX_NOTE_LENGTH}")
    control = sorted({f"U+{ord(c):04X}" for c in note if unicodedata.category(c)[0] == "C"})
    if control:
        raise TriageError(f"item {item_id}: the note contains control characters ({', '.join(control)}: line "
                          "breaks, tabs …); write it on one line")
    return note


def check_mute_end(muted_until: datetime, now: datetime, *, item_id: int | str) -> datetime:
    """Refuse a mute that is not in the future or ends more than MAX_MUTE_DAYS ahead."""
    latest = now + timedelta(days=MAX_MUTE_DAYS)
    if muted_until <= now:
        raise TriageError(f"item {item_id}: muted_until={muted_until.isoformat()} is not in the future")
    if muted_until > latest:
        raise TriageError(f"item {item_id}: muted_until={muted_until.isoformat()} is more than {MAX_MUTE_DAYS} days "
                          f"ahead (latest {latest.astimezone(BUSINESS_TZ):%Y-%m-%d}); mute again later if needed")
    return muted_until


def triage(context: AlertContext, item_id: int, *, action: TriageAction | str, actor: str, note: str,
           muted_until: datetime | None = None, level1_owner: str | None = None) -> ItemStatus:
    """Acknowledge, mute (until a time), resolve, hand to Level-1 or resume item `item_id`; audit who, when, why.

    action is one of ack | mute | resolve | await_level1 | resume; mute needs `muted_until` in the future
    (at most 90 days); await_level1 takes the item's Level-1 owner by rule, or `level1_owner` (a known one)
    for an item the rules call ours.
    Acknowledging a critical item sets its acknowledgement to expire. Raises TriageError naming the
    item and the fix when the change is impossible; nothing is changed then.
    """
    try:
        action = TriageAction(action)
    except ValueError:
        raise TriageError(f"action={action!r} is not a triage action; valid actions: "
                          f"{', '.join(TriageAction)}") from None
    note = check_note(note, item_id=item_id)
    if action is TriageAction.MUTE and muted_until is None:
        raise TriageError(f"item {item_id}: mute needs muted_until (a date or time in the future)")
    level1_owner = check_level1_owner(context, level1_owner, action, item_id=item_id)
    status = action.target
    with psycopg.connect(context.warehouse) as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        item = cur.execute(named_sql(SQL, "lock_item_by_id"), {"item_id": item_id}).fetchone()
        if item is None:
            raise TriageError(f"item_id={item_id} is not in ops.backlog_item; list items with `backlog list`")
        before = ItemStatus(item["status"])
        if before is ItemStatus.RESOLVED:
            raise TriageError(f"item {item_id} ({item['fingerprint']}) is already resolved; it reopens by itself "
                              "if the problem comes back")
        _check_upstream_move(action, item, before, level1_owner)
        now = cur.execute("SELECT now()").fetchone()["now"]
        until = check_mute_end(muted_until, now, item_id=item_id) if action is TriageAction.MUTE else None
        if action is TriageAction.ACK and item["severity"] == Severity.CRITICAL:
            # An acknowledged critical item goes quiet only for a while: then it is open and escalates again.
            until = now + context.config.escalation.acknowledgement_expiry
        seconds = cur.execute(named_sql(SQL, "triage_item"), {
            "item_id": item_id, "status": status.value, "muted_until": until, "note": note,
            "level1_owner": level1_owner,
        }).fetchone()["resolve_seconds"]
        audit(cur, item_id, action.audited_as, actor, note, before.value, status.value, seconds)
    if status is ItemStatus.RESOLVED:
        announce_resolved(context, [item_id])
    log.info("backlog item %s: %s -> %s by %s (%r)", item_id, before.value, status.value, actor, note)
    return status


def known_level1_owners(config: AlertingConfig, inventory: Inventory | None) -> list[str]:
    """The Level-1 teams an item can be handed to: the inventory's `level1_owner`s and alerting.yaml's digest owners."""
    tables = inventory.tables if inventory else []
    return sorted({t.level1_owner for t in tables if t.level1_owner} | set(config.upstream.owners))


def check_level1_owner(context: AlertContext, owner: str | None, action: TriageAction, *,
                       item_id: int | str) -> str | None:
    """Return the owner stripped (None when not given); refuse it on another action or when nobody knows it."""
    owner = (owner or "").strip() or None
    if owner is None:
        return None
    if action is not TriageAction.AWAIT_LEVEL1:
        raise TriageError(f"item {item_id}: level1_owner={owner!r} applies only to action 'await_level1', not "
                          f"{action.value!r}; leave it empty")
    known = known_level1_owners(context.config, context.inventory)
    if owner not in known:
        raise TriageError(f"item {item_id}: level1_owner={owner!r} is not a Level-1 owner of the inventory or of "
                          f"alerting.yaml upstream.owners; known: {', '.join(known) or 'none'}")
    return owner


def _check_upstream_move(action: TriageAction, item: dict, before: ItemStatus, level1_owner: str | None) -> None:
    """Refuse handing to Level-1 an item no Level-1 team answers for, or resuming one that is not waiting."""
    if action is TriageAction.AWAIT_LEVEL1 and not (level1_owner or item["level1_owner"]):
        raise TriageError(f"item {item['item_id']} ({item['fingerprint']}) names no Level-1 owner: its cause is ours "
                          "by rule, or its table has no level1_owner in the inventory; give level1_owner to hand it "
                          "to a Level-1 team by hand")
    if action is TriageAction.RESUME and before is not ItemStatus.AWAITING_LEVEL1:
        raise TriageError(f"item {item['item_id']} is {before.value}, not awaiting Level-1: nothing to resume")


def parse_until(value: str) -> datetime:
    """Parse a mute end: a date (muted until 00:00 Asia/Shanghai that day) or an ISO date-time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TriageError(f"muted_until={value!r} is not a date (2026-12-31) or ISO date-time") from None
    if len(value.strip()) <= len("2026-12-31"):
        return datetime.combine(date.fromisoformat(value.strip()), time.min, BUSINESS_TZ)
    return moment if moment.tzinfo else moment.replace(tzinfo=BUSINESS_TZ)
