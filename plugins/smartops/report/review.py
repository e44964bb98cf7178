"""The weekly and monthly operations review (运营周报 / 月报): how the operation did, against the period before.

On-time rate, quality pass rate, anomalies found, MTTR and backlog ageing by severity and owner, the
top recurring items, closed-period changes and schema changes — for a week (Monday–Sunday) or a
month of business dates — rendered as HTML, Markdown and JSON, stored in ops.operations_review
(re-running replaces it) and delivered to alerting.yaml's report channels.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from smartops.business_date import BUSINESS_TIMEZONE, BUSINESS_TZ
from smartops.config.alerting import AlertingConfig
from smartops.config.catalog import catalog
from smartops.notify.language import Language
from smartops.notify.message import Message
from smartops.notify.outbox import NotificationKind, deliver_due, enqueue
from smartops.report.render import review_html, review_markdown
from smartops.report.upstream import upstream_figures
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

SQL = "report/review.sql"


class ReviewKind(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """A review's business dates: a Monday–Sunday week or a calendar month."""

    kind: ReviewKind
    start: date
    end: date

    @classmethod
    def containing(cls, kind: ReviewKind, day: date) -> Period:
        if kind is ReviewKind.WEEK:
            start = day - timedelta(days=day.weekday())
            return cls(kind, start, start + timedelta(days=6))
        start = day.replace(day=1)
        return cls(kind, start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1))

    @classmethod
    def last_complete(cls, kind: ReviewKind, today: date) -> Period:
        """The latest week or month that ended before `today` (what a scheduled run reviews)."""
        return cls.containing(kind, cls.containing(kind, today).start - timedelta(days=1))

    @property
    def previous(self) -> Period:
        return Period.last_complete(self.kind, self.start)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def collect_review(warehouse: str, period: Period) -> dict[str, Any]:
    """The review's figures for `period`, each headline figure beside the previous period's."""
    with psycopg.connect(warehouse, row_factory=dict_row) as conn:
        current, previous = _figures(conn, period), _figures(conn, period.previous)
    headline = {key: {"value": value, "previous": previous["headline"][key],
                      "delta": _delta(value, previous["headline"][key])}
                for key, value in current["headline"].items()}
    return {**current, "headline": headline,
            "period": {"kind": period.kind.value, "start": period.start.isoformat(), "end": period.end.isoformat()},
            "previous_period": {"start": period.previous.start.isoformat(), "end": period.previous.end.isoformat()}}


def _figures(conn: psycopg.Connection, period: Period) -> dict[str, Any]:
    tables = catalog().inventory.names
    end_at = datetime.combine(period.end + timedelta(days=1), time.min, BUSINESS_TZ)
    params = {"start": period.start, "end": period.end, "tables": tables, "tz": BUSINESS_TIMEZONE, "end_at": end_at}

    def rows(name: str) -> list[dict[str, Any]]:
        return [_json(r) for r in conn.execute(named_sql(SQL, name), params)]

    synced = conn.execute(named_sql(SQL, "tables_synced"), params).fetchone()["synced"]
    quality = conn.execute(named_sql(SQL, "quality"), params).fetchone()
    anomalies, mttr, ageing = rows("anomalies"), rows("mttr"), rows("ageing")
    resolved = sum(r["resolved"] for r in mttr)
    closed, drift = rows("closed_period_changes"), rows("schema_changes")
    split = upstream_figures(conn, period.start, period.end)
    return {
        "headline": {
            "on_time_rate": round(synced / (len(tables) * period.days), 4) if tables else None,
            "quality_pass_rate": round(quality["passed"] / quality["total"], 4) if quality["total"] else None,
            "anomalies": sum(a["count"] for a in anomalies if a["category"] != "integrity"),
            "mttr_hours": round(sum(r["mttr_seconds"] * r["resolved"] for r in mttr) / resolved / 3600, 2)
            if resolved else None,
            "mttr_ours_hours": split["ours_hours"],  # 一级协同: the time to resolve that was ours
            "mttr_upstream_hours": split["upstream_hours"],  # … and the time items waited on Level-1
            "items_resolved": resolved,
            "open_items_at_end": sum(r["under_1d"] + r["d1_7"] + r["over_7d"] for r in ageing),
            "closed_period_changes": len(closed),
            "schema_changes": len(drift),
        },
        "anomalies": anomalies, "mttr": mttr, "ageing": ageing, "recurring": rows("recurring"),
        "closed_period_changes": closed[:50], "schema_changes": drift[:50],
    }


def _delta(value: Any, previous: Any) -> float | None:
    return round(value - previous, 4) if isinstance(value, int | float) and isinstance(previous, int | float) else None


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
            for k, v in row.items()}


def generate_review(warehouse: str, period: Period, *, config: AlertingConfig, language: Language | None = None,
                    run_id: str | None = None, deliver_to_channels: bool = True) -> dict[str, Any]:
    """Collect, render, store and deliver the review of `period`; return its figures."""
    language = language or config.language
    figures = collect_review(warehouse, period)
    link = config.console_url("reviews", period.kind.value, period.start.isoformat(), lang=language.value)
    html, markdown = review_html(figures, language), review_markdown(figures, language, link)
    channels = [config.channel(name) for name in config.report.channels] if deliver_to_channels else []
    message = Message(subject=markdown.splitlines()[0].strip("*"), markdown=markdown, html=html)
    with psycopg.connect(warehouse) as conn, conn.transaction():
        conn.execute(named_sql(SQL, "store_review"), {
            "kind": period.kind.value, "start": period.start, "end": period.end, "language": language.value,
            "run_id": run_id, "figures": Jsonb(figures, dumps=lambda v: json.dumps(v, default=str)),
            "markdown": markdown, "html": html})
        for channel in channels:
            enqueue(conn, kind=NotificationKind.REPORT, channel=channel, message=message, policy=config.delivery,
                    business_date=period.end)
    if channels:
        deliver_due(warehouse, channels, config.delivery, language)
    log.info("operations review %s %s–%s (%s) stored; %s", period.kind.value, period.start, period.end,
             language.value, {k: v["value"] for k, v in figures["headline"].items()})
    return figures
