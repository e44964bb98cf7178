"""The Reviews pages' data: the weekly and monthly operations reviews stored in ops.operations_review."""

from __future__ import annotations

from datetime import date
from typing import Any

from smartops.console.db import read_session
from smartops.console.errors import NotFound
from smartops.notify.language import Language
from smartops.report.review import ReviewKind
from smartops.sqlfiles import named_sql

SQL = "report/review.sql"
LIST_LIMIT = 200


def review_list(warehouse: str) -> list[dict[str, Any]]:
    """Every stored review, newest period first, with its stored languages."""
    with read_session(warehouse) as conn:
        return conn.execute(named_sql(SQL, "list_reviews"), {"limit": LIST_LIMIT}).fetchall()


def review_document(warehouse: str, kind: ReviewKind, start: date, language: Language | None = None) -> dict[str, Any]:
    """The stored review of `kind` starting `start` (the stored language asked for, else the first stored)."""
    with read_session(warehouse) as conn:
        stored = {r["language"]: r for r in conn.execute(named_sql(SQL, "review_of"), {"kind": kind.value,
                                                                                       "start": start})}
    if not stored:
        raise NotFound(f"no {kind.value} review starting {start.isoformat()} is stored; trigger operations_review "
                       "with that kind and a date in the period")
    row = stored.get(language.value) if language else None
    row = row or next(iter(stored.values()))
    return {**row, "languages_stored": list(stored)}
