"""Store the pulse verdicts in ops.pulse_verdict and read them back for the report and the console."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from smartops.pulse.freshness import FreshnessVerdict
from smartops.pulse.integrity import IntegrityFinding
from smartops.pulse.volume import VolumeVerdict
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Category

SQL = "pulse/verdicts.sql"
PulseVerdict = VolumeVerdict | FreshnessVerdict | IntegrityFinding
# The order of copy_verdicts' columns (a closed period reopened by mistake can bring thousands of findings).
VERDICT_COLUMNS = ("run_id", "business_date", "table", "category", "subject", "day_class", "observed", "expected",
                   "band_low", "band_high", "comparable_days", "finding", "severity", "estimated_calendar",
                   "reason_zh", "reason_en", "evidence")


def verdict_row(verdict: PulseVerdict) -> dict[str, Any]:
    """Return the ops.pulse_verdict columns of one verdict (run_id aside)."""
    row: dict[str, Any] = {
        "business_date": verdict.business_date, "table": verdict.table, "category": verdict.category.value,
        "finding": verdict.finding.value if verdict.finding else None,
        "severity": verdict.severity.value if verdict.severity else None,
        "estimated_calendar": verdict.estimated_calendar, "reason_zh": verdict.reason_zh,
        "reason_en": verdict.reason_en, "day_class": None, "observed": None, "expected": None,
        "band_low": None, "band_high": None, "comparable_days": 0, "evidence": Jsonb({})}
    if isinstance(verdict, VolumeVerdict):
        row.update(subject=verdict.metric.value, day_class=verdict.day_class.value, observed=verdict.observed,
                   expected=verdict.expected, band_low=verdict.band_low, band_high=verdict.band_high,
                   comparable_days=len(verdict.comparable_days),
                   evidence=Jsonb({"comparable_days": [d.isoformat() for d in verdict.comparable_days]}))
    elif isinstance(verdict, FreshnessVerdict):
        row.update(subject="newest_activity", observed=verdict.idle_working_days, expected=0,
                   band_high=verdict.limit - 1,
                   evidence=Jsonb({"newest_activity": verdict.newest_activity and verdict.newest_activity.isoformat(),
                                   "limit": verdict.limit}))
    else:
        change = verdict.change
        row.update(subject=change.record_id + (f"/{change.line_id}" if change.line_id else ""),
                   evidence=Jsonb(verdict.evidence))
    return row


def replace_verdicts(conn: psycopg.Connection, *, run_id: str, business_date: date, table: str,
                     category: Category, verdicts: Sequence[PulseVerdict]) -> int:
    """Replace the stored verdicts of one table, business date and category (in one transaction); return rows.

    Re-judging a date is idempotent: the rows of an earlier judgement that found nothing this time go.
    """
    strays = [v for v in verdicts
              if (v.table, v.business_date, v.category) != (table, business_date, category)]
    if strays:
        raise ValueError(f"verdicts for another table, date or category than {table} {business_date} "
                         f"{category.value}: {strays[0].table} {strays[0].business_date} {strays[0].category.value}")
    # One row per subject (the table's key with date and category): a later verdict on a subject replaces an earlier.
    rows = {row["subject"]: row for row in ({"run_id": run_id, **verdict_row(v)} for v in verdicts)}
    with conn.transaction():
        conn.execute(named_sql(SQL, "delete_verdicts"),
                     {"business_date": business_date, "table": table, "category": category.value})
        with conn.cursor() as cur, cur.copy(named_sql(SQL, "copy_verdicts")) as copy:
            for row in rows.values():
                copy.write_row(tuple(row[column] for column in VERDICT_COLUMNS))
    return len(verdicts)


def read_volume_band(conn: psycopg.Connection, table: str, first: date, last: date) -> list[dict[str, Any]]:
    """Return `table`'s stored volume verdicts from `first` to `last` (observed vs band, per metric and date)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(named_sql(SQL, "volume_band"), {"table": table, "first": first, "last": last}).fetchall()


def read_findings(conn: psycopg.Connection, business_date: date) -> list[dict[str, Any]]:
    """Return the stored findings of `business_date`, integrity first."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(named_sql(SQL, "findings_of_day"), {"business_date": business_date}).fetchall()
