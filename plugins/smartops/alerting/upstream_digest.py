"""The daily 一级协同 digest: each Level-1 team hears about the open items their data caused.

Per `level1_owner`, one message on the channels `alerting.yaml` lists under `upstream.owners`: a
chat summary linking to the console's Level-1 page, and by mail the same with a CSV of the evidence
(keys and sample rows with sensitive columns masked, counts, first seen). It goes only when an item
is new or still open `upstream.resend_after` after it was last sent; nothing due, nothing sent. A digest
counts as sent while one of its messages is delivered or still being retried: if all expire undelivered,
its items go in the next digest.
The message rides the outbox like every notification (retried until delivered); the ledger
(ops.upstream_digest) names the notifications, so the console shows whether it arrived. An owner
with items but no channel is itself a config alert.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import psycopg
from psycopg.rows import dict_row

from smartops.alerting.context import AlertContext
from smartops.alerting.models import Alert, Category
from smartops.alerting.service import deliver_pending, raise_alert, resolve
from smartops.business_date import BUSINESS_TZ
from smartops.masking import mask_rows
from smartops.notify import markdown as md
from smartops.notify import words
from smartops.notify.message import Attachment, Message
from smartops.notify.outbox import NotificationKind, enqueue
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

log = logging.getLogger(__name__)

SQL = "alerting/upstream.sql"
STAGE = "upstream_digest"
NO_ROUTE_CHECK = "no_route"
CHAT_LINES = 15  # the chat summary lists this many items; the CSV carries them all
CSV_COLUMNS = ("item_id", "row", "is_new", "level1_owner", "object", "check", "category", "severity", "title",
               "first_seen", "last_seen", "occurrences", "awaiting_hours", "measured_value", "details", "sample")


@dataclass(frozen=True)
class OwnerDigest:
    """What one Level-1 owner's digest carried and whether it was delivered."""

    owner: str
    items: int
    new_items: int
    channels: tuple[str, ...]
    delivered: tuple[str, ...]


def send_upstream_digests(context: AlertContext, *, business_date: date,
                          run_id: str | None = None) -> list[OwnerDigest]:
    """Queue and deliver one digest per Level-1 owner with due items; alert owners nobody can reach."""
    config = context.config
    with psycopg.connect(context.warehouse, row_factory=dict_row) as conn:
        due = conn.execute(named_sql(SQL, "due_items"),
                           {"resend_after": config.upstream.resend_interval}).fetchall()
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in due:
        by_owner[item["level1_owner"]].append(item)
    sent: list[OwnerDigest] = []
    for owner, items in by_owner.items():
        if owner not in config.upstream.owners:
            _alert_unrouted(context, owner, len(items), run_id=run_id, business_date=business_date)
            continue
        sent.append(_send(context, owner, items, business_date=business_date, run_id=run_id))
    resolve(context, stage=STAGE, targets=[(o, NO_ROUTE_CHECK) for o in config.upstream.owners],
            note="the Level-1 owner has channels again", business_date=business_date)
    log.info("一级协同 digest for %s: %s", business_date,
             ", ".join(f"{d.owner} {d.items} items ({d.new_items} new) -> {list(d.delivered) or 'not delivered'}"
                       for d in sent) or "nothing new or due")
    return sent


def _send(context: AlertContext, owner: str, items: list[dict[str, Any]], *, business_date: date,
          run_id: str | None) -> OwnerDigest:
    config = context.config
    channels = [config.channel(name) for name in config.upstream.owners[owner]]
    with psycopg.connect(context.warehouse) as conn, conn.transaction():
        evidence = _evidence_csv(conn, context, items)
        message = digest_message(owner, items, evidence, context, business_date)
        ids = [enqueue(conn, kind=NotificationKind.UPSTREAM, channel=channel, message=message, policy=config.delivery,
                       business_date=business_date) for channel in channels]
        item_ids = [i["item_id"] for i in items]
        conn.execute(named_sql(SQL, "record_digest"), {
            "owner": owner, "day": business_date, "item_ids": item_ids, "new_items": sum(i["is_new"] for i in items),
            "notification_ids": ids, "run_id": run_id})
        conn.execute(named_sql(SQL, "mark_items_sent"), {"item_ids": item_ids})
    outcomes = deliver_pending(context, channels)
    delivered = tuple(s.channel for s in outcomes if s.notification_id in ids and s.delivered)
    return OwnerDigest(owner=owner, items=len(items), new_items=sum(i["is_new"] for i in items),
                       channels=tuple(c.name for c in channels), delivered=delivered)


def digest_message(owner: str, items: list[dict[str, Any]], evidence: str, context: AlertContext,
                   business_date: date) -> Message:
    """The digest: subject with the counts, a chat summary, the mail body, the evidence CSV attached."""
    config = context.config
    text = words.UPSTREAM[config.language]
    new = sum(i["is_new"] for i in items)
    subject = text["subject"].format(owner=owner, new=new, still_open=len(items) - new, day=business_date.isoformat())
    link = config.console_url("upstream", owner=owner)
    lines = [_line(i, text) for i in items[:CHAT_LINES]]
    more = [text["more"].format(n=len(items) - CHAT_LINES)] if len(items) > CHAT_LINES else []
    markdown = "\n".join([f"**{md.escape(subject)}**", md.escape(text["intro"]),
                          *(f"- {md.escape(line)}" for line in lines), *more, f"[{text['console']}]({link})"])
    rows = "".join(f"<li>{escape(line)}</li>" for line in lines)
    html = (f"<p><b>{escape(subject)}</b></p><p>{escape(text['intro'])}</p><ul>{rows}</ul>"
            + "".join(f"<p>{escape(m)}</p>" for m in more)
            + f'<p><a href="{escape(link)}">{escape(text["console"])}</a></p>')
    attachment = Attachment(filename=f"level1_{owner}_{business_date.isoformat()}.csv", content_type="text/csv",
                            text=evidence)
    return Message(subject=subject, markdown=markdown, html=html, mentions=config.mentions(owner),
                   attachments=(attachment,))


def _line(item: dict[str, Any], text: dict[str, str]) -> str:
    state = text["new"] if item["is_new"] else text["still_open"]
    first = item["first_seen_at"].astimezone(BUSINESS_TZ)
    return (f"[{state}] {item['object_name']} · {item['check_name']}: {item['title']} "
            f"({text['first_seen']} {first:%Y-%m-%d %H:%M}, {text['times'].format(n=item['occurrences'])})")


def _evidence_csv(conn: psycopg.Connection, context: AlertContext, items: list[dict[str, Any]]) -> str:
    """One row per item (counts, first seen, details), then its stored failing rows, sensitive columns masked."""
    samples = {(s["table_name"], s["check_name"]): s for s in conn.cursor(row_factory=dict_row).execute(
        named_sql(SQL, "failed_rows_samples"),
        {"tables": [i["object_name"] for i in items], "checks": [i["check_name"] for i in items]})}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        base = {
            "item_id": item["item_id"], "is_new": item["is_new"], "level1_owner": item["level1_owner"],
            "object": item["object_name"], "check": item["check_name"], "category": item["category"],
            "severity": item["severity"], "title": item["title"],
            "first_seen": item["first_seen_at"].astimezone(BUSINESS_TZ).isoformat(),
            "last_seen": item["last_seen_at"].astimezone(BUSINESS_TZ).isoformat(),
            "occurrences": item["occurrences"], "awaiting_hours": round(item["awaiting_seconds"] / 3600, 1),
        }
        sample = samples.get((item["object_name"], item["check_name"]))
        writer.writerow({**base, "row": "item", "details": item["details"],
                         "measured_value": sample["measured_value"] if sample else None})
        for row in mask_rows(sample["failed_rows_sample"] if sample else [], _sensitive(context, item["object_name"])):
            writer.writerow({**base, "row": "sample", "sample": json.dumps(row, ensure_ascii=False, default=str)})
    return out.getvalue()


def _sensitive(context: AlertContext, object_name: str) -> list[str]:
    table = context.inventory.entry_of(object_name) if context.inventory else None
    return list(table.sensitive_columns) if table else []


def _alert_unrouted(context: AlertContext, owner: str, items: int, *, run_id: str | None,
                    business_date: date) -> None:
    text = words.stage_text("upstream_no_route", context.config.language, owner=owner, items=items)
    raise_alert(context, Alert(stage=STAGE, object=owner, check=NO_ROUTE_CHECK, category=Category.CONFIG,
                               severity=Severity.MEDIUM, title=text.title, hint=text.hint, run_id=run_id,
                               business_date=business_date))
