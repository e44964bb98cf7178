"""The Reports pages' data: the daily reports operations_report stored in ops.operations_report, zh/en."""

from __future__ import annotations

from datetime import date
from typing import Any

from smartops.config.alerting import load_alerting_config
from smartops.console.db import read_session
from smartops.console.errors import NotFound
from smartops.notify.language import Language
from smartops.report.render import render_html
from smartops.sqlfiles import named_sql

SQL = "console/reports.sql"
LIST_LIMIT = 400


def report_list(warehouse: str) -> list[dict[str, Any]]:
    """Every stored report date, newest first, with its stored languages and the headline figures."""
    with read_session(warehouse) as conn:
        rows = conn.execute(named_sql(SQL, "list"), {"limit": LIST_LIMIT}).fetchall()
    days: dict[date, dict[str, Any]] = {}
    for row in rows:
        day = days.setdefault(row["report_date"], {"report_date": row["report_date"], "languages": [],
                                                   "generated_at": row["generated_at"], "run_id": row["run_id"],
                                                   "headline": row["headline"]})
        day["languages"].append(row["language"])
        if row["generated_at"] > day["generated_at"]:
            day.update(generated_at=row["generated_at"], run_id=row["run_id"], headline=row["headline"])
    return list(days.values())


def report_document(warehouse: str, day: date, language: Language | None = None) -> dict[str, Any]:
    """Return the report of `day` in `language` (default: alerting.yaml's language if stored, else the stored one).

    A language that was not stored is rendered now from the stored figures with the report's own
    template (`rendered_from` names the stored language). Raises NotFound when no report has that date.
    """
    with read_session(warehouse) as conn:
        stored = {r["language"]: r for r in conn.execute(named_sql(SQL, "of_date"), {"day": day})}
    if not stored:
        dates = [r["report_date"].isoformat() for r in report_list(warehouse)[:10]]
        raise NotFound(f"no operations report is stored for {day.isoformat()}; stored dates (newest first): "
                       f"{', '.join(dates) or 'none yet'}. Trigger the operations_report DAG with that date.")
    language = language or _preferred(list(stored))
    row = stored.get(language.value)
    source = row or next(iter(stored.values()))
    html = row["html"] if row else render_html(source["figures"], language, source["generated_at"].isoformat())
    return {
        "report_date": day, "language": language.value, "languages_stored": list(stored),
        "rendered_from": None if row else source["language"], "generated_at": source["generated_at"],
        "run_id": source["run_id"], "headline": source["figures"]["headline"],
        "markdown": row["markdown"] if row else None, "html": html,
    }


def _preferred(stored: list[str]) -> Language:
    configured = load_alerting_config().language
    return configured if configured.value in stored else Language(stored[0])
