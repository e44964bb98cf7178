"""The notification outbox: a message counts as sent only once a channel took it.

`enqueue` writes a notification inside the caller's transaction (the one that decided to send
it); `deliver_due` sends what is due per channel — after the decision committed, and again from
later runs (the next alert run, the watchdog) with backoff until delivered or expired. A burst
larger than a channel takes (its robot's rate limit, or more than `digest_after` at once) is
folded into one digest message, so the robots never throttle and chat threads stay readable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from html import escape

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from smartops.fields import parse_duration
from smartops.notify import markdown as md
from smartops.notify import words
from smartops.notify.channels import Channel, DeliveryPolicy
from smartops.notify.delivery import deliver
from smartops.notify.language import Language
from smartops.notify.message import Mentions, Message
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

SQL = "notify/outbox.sql"
# How long a deliverer holds the notifications it claimed (longer than any delivery call takes).
LEASE = "5 minutes"


class NotificationKind(StrEnum):
    ALERT = "alert"
    ESCALATION = "escalation"
    RESOLVED = "resolved"
    DIGEST = "digest"
    REPORT = "report"
    UPSTREAM = "upstream"  # the 一级协同 digest to a Level-1 team


class NotificationStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Sent:
    """The outcome of one notification in one delivery pass."""

    notification_id: int
    kind: NotificationKind
    item_id: int | None
    event_id: int | None
    channel: str
    status: NotificationStatus
    attempts: int
    error: str | None = None
    digest_id: int | None = None

    @property
    def delivered(self) -> bool:
        return self.status is NotificationStatus.DELIVERED


def enqueue(conn: psycopg.Connection, *, kind: NotificationKind, channel: Channel, message: Message,
            policy: DeliveryPolicy, item_id: int | None = None, event_id: int | None = None,
            business_date: date | None = None) -> int:
    """Write one pending notification inside the caller's transaction; return its id."""
    return conn.execute(named_sql(SQL, "enqueue"), {
        "kind": kind.value, "item_id": item_id, "event_id": event_id, "channel": channel.name,
        "subject": message.subject, "message": Jsonb(message.model_dump(mode="json")),
        "expire_after": parse_duration(policy.expire_after), "business_date": business_date,
    }).fetchone()[0]


# Called with the delivery's connection and the notifications it delivered (e.g. the alert path marks
# their backlog items notified), so what a delivery means is recorded where the delivery is.
DeliveredHook = Callable[[psycopg.Connection, list["Sent"]], None]


def deliver_due(warehouse: str, channels: list[Channel], policy: DeliveryPolicy, language: Language, *,
                on_delivered: DeliveredHook | None = None) -> list[Sent]:
    """Send every due notification of `channels`; return what happened to each (delivered, retried, expired)."""
    if not channels:
        return []
    # Autocommit: each outcome is recorded the moment it is known, so a crash re-sends as little as possible.
    with psycopg.connect(warehouse, row_factory=dict_row, autocommit=True) as conn:
        outcomes = [sent for channel in channels for sent in _deliver_on(conn, channel, policy, language)]
        delivered = [s for s in outcomes if s.delivered]
        if delivered and on_delivered is not None:
            on_delivered(conn, delivered)
        return outcomes


def _deliver_on(conn: psycopg.Connection, channel: Channel, policy: DeliveryPolicy, language: Language) -> list[Sent]:
    with conn.transaction():
        expired = conn.execute(named_sql(SQL, "expire_overdue"), {"channel": channel.name}).fetchall()
        due = conn.execute(named_sql(SQL, "claim_due"), {"channel": channel.name, "lease": LEASE}).fetchall()
        sent_recently = conn.execute(named_sql(SQL, "sent_last_minute"), {"channel": channel.name}).fetchone()
    outcomes = [_sent(row, channel, NotificationStatus.EXPIRED, row["attempts"], row["last_error"])
                for row in expired]
    for row in expired:
        log.error("channel %s: notification %s (%s) expired undelivered after %d attempts: %s", channel.name,
                  row["notification_id"], row["kind"], row["attempts"], row["last_error"])
    if not due:
        return outcomes
    budget = channel.type.per_minute - sent_recently["count"]
    if budget <= 0:  # the robot's minute is used up: the next pass sends them
        _release(conn, due, "1 minute")
        log.warning("channel %s: rate limit reached (%d a minute); %d notifications wait", channel.name,
                    channel.type.per_minute, len(due))
        return outcomes + [_sent(row, channel, NotificationStatus.PENDING, row["attempts"]) for row in due]
    if len(due) > min(policy.digest_after, budget):
        return outcomes + _send_digest(conn, channel, policy, language, due)
    return outcomes + [_send_one(conn, channel, policy, row) for row in due]


def _send_one(conn: psycopg.Connection, channel: Channel, policy: DeliveryPolicy, row: dict) -> Sent:
    result = deliver(channel, Message.model_validate(row["message"]), policy)
    _log_attempt(conn, channel, row, result.delivered, result.attempts, result.error)
    if result.delivered:
        _mark_delivered(conn, [row["notification_id"]], result.attempts, None)
        return _sent(row, channel, NotificationStatus.DELIVERED, row["attempts"] + result.attempts)
    _mark_failed(conn, [row], policy, result.attempts, result.error)
    return _sent(row, channel, NotificationStatus.PENDING, row["attempts"] + result.attempts, result.error)


def _send_digest(conn: psycopg.Connection, channel: Channel, policy: DeliveryPolicy, language: Language,
                 due: list[dict]) -> list[Sent]:
    """Fold every due notification of the channel into one message and send it once."""
    digest = digest_message([Message.model_validate(row["message"]) for row in due], language)
    result = deliver(channel, digest, policy)
    for row in due:
        _log_attempt(conn, channel, row, result.delivered, result.attempts, result.error)
    if not result.delivered:
        _mark_failed(conn, due, policy, result.attempts, result.error)
        return [_sent(row, channel, NotificationStatus.PENDING, row["attempts"] + result.attempts, result.error)
                for row in due]
    with conn.transaction():
        digest_id = conn.execute(named_sql(SQL, "insert_digest"), {
            "channel": channel.name, "subject": digest.subject, "message": Jsonb(digest.model_dump(mode="json")),
            "attempts": result.attempts}).fetchone()["notification_id"]
        _mark_delivered(conn, [row["notification_id"] for row in due], result.attempts, digest_id)
    log.info("channel %s: %d notifications delivered as one digest (%s)", channel.name, len(due), digest.subject)
    return [_sent(row, channel, NotificationStatus.DELIVERED, row["attempts"] + result.attempts, digest_id=digest_id)
            for row in due]


def digest_message(messages: list[Message], language: Language) -> Message:
    """One message listing many by their subjects; everyone the messages mention is mentioned once."""
    count = len(messages)
    subject = words.digest_subject(language, count)
    lines = [f"**{subject}**", *(f"- {md.escape(m.subject)}" for m in messages)]
    items = "".join(f"<li>{escape(m.subject)}</li>" for m in messages)
    mentions = Mentions(**{field: tuple(dict.fromkeys(v for m in messages for v in getattr(m.mentions, field)))
                           for field in Mentions.model_fields})
    return Message(subject=subject, markdown="\n".join(lines), html=f"<p><b>{escape(subject)}</b></p><ul>{items}</ul>",
                   mentions=mentions)


def _sent(row: dict, channel: Channel, status: NotificationStatus, attempts: int, error: str | None = None,
          digest_id: int | None = None) -> Sent:
    return Sent(notification_id=row["notification_id"], kind=NotificationKind(row["kind"]), item_id=row["item_id"],
                event_id=row["event_id"], channel=channel.name, status=status, attempts=attempts, error=error,
                digest_id=digest_id)


def _mark_delivered(conn: psycopg.Connection, ids: list[int], attempts: int, digest_id: int | None) -> None:
    conn.execute(named_sql(SQL, "mark_delivered"), {"ids": ids, "attempts": attempts, "digest_id": digest_id})


def _mark_failed(conn: psycopg.Connection, rows: list[dict], policy: DeliveryPolicy, attempts: int,
                 error: str | None) -> None:
    for row in rows:  # each waits according to its own history
        conn.execute(named_sql(SQL, "mark_failed"), {
            "ids": [row["notification_id"]], "attempts": attempts, "error": error,
            "backoff": policy.backoff_after(row["attempts"] + attempts)})


def _release(conn: psycopg.Connection, rows: list[dict], delay: str) -> None:
    conn.execute(named_sql(SQL, "release"), {"ids": [r["notification_id"] for r in rows], "delay": delay})


def _log_attempt(conn: psycopg.Connection, channel: Channel, row: dict, delivered: bool, attempts: int,
                 error: str | None) -> None:
    conn.execute(named_sql(SQL, "log_attempt"), {
        "notification_id": row["notification_id"], "event_id": row["event_id"], "channel": channel.name,
        "channel_type": channel.type.value, "delivered": delivered, "attempts": attempts, "error": error})
