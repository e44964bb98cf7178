"""Build, store, write and deliver one business date's operations report (re-running replaces it)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import AlertingConfig
from smartops.errors import ConfigError
from smartops.notify.language import Language
from smartops.notify.message import Attachment, Message
from smartops.notify.outbox import NotificationKind, deliver_due, enqueue
from smartops.report.figures import collect
from smartops.report.model import ReportFigures
from smartops.report.render import LABELS, render_html, render_mail, render_markdown
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportResult:
    report_date: date
    language: Language
    html_path: Path
    markdown_path: Path
    json_path: Path
    figures: ReportFigures
    markdown: str
    deliveries: list[dict[str, Any]]


def _write(path: Path, text: str) -> None:
    """Write atomically: readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# Older dates are typos (0001-01-01 overflowed the day's bounds before): no ledger of this product is that old.
FIRST_REPORT_DATE = date(2000, 1, 1)


class ReportDateInvalid(ConfigError):
    """A report was asked for a date the operations record cannot have (before the first sync, or ahead)."""


def check_report_date(day: date, now: datetime) -> None:
    """Refuse a report date after today (Asia/Shanghai) or before the first day any operations record can hold."""
    today = now.astimezone(BUSINESS_TZ).date()
    if not FIRST_REPORT_DATE <= day <= today:
        raise ReportDateInvalid(f"report_date={day.isoformat()} is outside {FIRST_REPORT_DATE.isoformat()} … "
                                f"{today.isoformat()} (today, Asia/Shanghai); pick a business date in between")


def generate_report(
    warehouse: str,
    report_date: date,
    *,
    language: Language | None = None,
    run_id: str | None = None,
    deliver_to_channels: bool = True,
    config: AlertingConfig,
    now: datetime | None = None,
) -> ReportResult:
    """Collect the figures of `report_date`, render HTML/Markdown/JSON, store them in ops, deliver.

    Files go to `<report.folder>/<date>/operations_report_<date>_<lang>.{html,md,json}`; the
    ops.operations_report row of (date, language) is replaced, so re-running changes nothing else.
    Delivery goes through the outbox to alerting.yaml `report.channels`: email gets the report as
    email-safe tables with the full HTML attached, chat the short Markdown summary; both link to
    the report's page on the ops console. A channel that is down is retried later, never raised.
    """
    language = language or config.language
    now = now or datetime.now(UTC)
    check_report_date(report_date, now)
    figures = collect(warehouse, report_date, now=now)
    folder = config.report.folder_path / report_date.isoformat()
    stem = f"operations_report_{report_date.isoformat()}_{language.value}"
    html_path, md_path, json_path = (folder / f"{stem}.{ext}" for ext in ("html", "md", "json"))
    link = config.console_url("reports", report_date.isoformat(), lang=language.value)
    html = render_html(figures, language, now.astimezone(BUSINESS_TZ).isoformat())
    markdown = render_markdown(figures, language, link)
    _write(html_path, html)
    _write(md_path, markdown + "\n")
    _write(json_path, json.dumps(figures, ensure_ascii=False, indent=2, default=str))
    channels = [config.channel(name) for name in config.report.channels] if deliver_to_channels else []
    message = Message(subject=f"{LABELS[language]['title']} — {report_date.isoformat()}", markdown=markdown,
                      html=render_mail(figures, language, link),
                      attachments=(Attachment(filename=html_path.name, content_type="text/html", text=html),))
    with psycopg.connect(warehouse) as conn, conn.transaction():
        conn.execute(named_sql("report/figures.sql", "store_report"), {
            "day": report_date, "language": language.value, "run_id": run_id,
            "figures": Jsonb(figures, dumps=lambda v: json.dumps(v, default=str)), "markdown": markdown,
            "html": html, "html_path": str(html_path), "deliveries": Jsonb([]),
        })
        queued = {enqueue(conn, kind=NotificationKind.REPORT, channel=channel, message=message,
                          policy=config.delivery, business_date=report_date) for channel in channels}
    sent = deliver_due(warehouse, channels, config.delivery, language) if channels else []
    deliveries = [{"channel": s.channel, "status": s.status.value, "delivered": s.delivered, "attempts": s.attempts,
                   "error": s.error, "notification_id": s.notification_id} for s in sent if s.notification_id in queued]
    if deliveries:
        with psycopg.connect(warehouse) as conn:
            conn.execute(named_sql("report/figures.sql", "record_deliveries"), {
                "day": report_date, "language": language.value, "deliveries": Jsonb(deliveries)})
    log.info("operations report %s (%s) written to %s; %d rows moved, %d open items; delivered to %s",
             report_date, language.value, html_path, figures["headline"]["rows_moved"],
             figures["headline"]["open_items_total"],
             [d["channel"] for d in deliveries if d["delivered"]] or "no channel")
    return ReportResult(report_date, language, html_path, md_path, json_path, figures, markdown, deliveries)
