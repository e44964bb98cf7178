"""Write check results into `ops.quality_result`, and bring in the backflow reconciliation."""

from __future__ import annotations

import json
from functools import partial

import psycopg
from psycopg.types.json import Jsonb

from smartops.quality.model import CheckFile, CheckResult, Outcome, ScanReport, Source
from smartops.quality.scope import SQL as SCOPE_SQL
from smartops.quality.scope import ScanPlan
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

_SQL = "quality/results.sql"
_dumps = partial(json.dumps, default=str, ensure_ascii=False)


def save(conn: psycopg.Connection, report: ScanReport) -> None:
    """Insert the results of `report` (the caller owns the transaction)."""
    with conn.cursor() as cur, cur.copy(named_sql(_SQL, "copy_results")) as copy:
        for r in report.results:
            copy.write_row((
                report.scan_id, report.run_id, report.business_date, r.source.value, r.table_name,
                r.column_name, r.check_name, r.outcome.value, r.severity.value, r.blocking, r.measured_value,
                r.threshold, None if r.failed_rows_sample is None else Jsonb(r.failed_rows_sample, _dumps),
                r.message, r.check_file,
            ))


def import_reconciliation(
    conn: psycopg.Connection, report: ScanReport, check_file: CheckFile, severity: Severity, blocking: bool,
) -> list[CheckResult]:
    """Add the reconciliation of the ods table's newest backflow run (up to the scan's date) to the results."""
    rows = conn.execute(named_sql(_SQL, "import_reconciliation"), {
        "scan_id": report.scan_id, "business_date": report.business_date, "qualified": check_file.qualified,
        "table_name": check_file.table, "severity": severity.value, "blocking": blocking,
    }).fetchall()
    return [
        CheckResult(table_name=check_file.qualified, check_name=name, outcome=Outcome(outcome),
                    severity=severity, blocking=blocking, source=Source.RECONCILIATION,
                    measured_value=None if value is None else float(value), threshold=threshold, message=message)
        for name, outcome, value, threshold, message in rows
    ]


def save_scope(conn: psycopg.Connection, report: ScanReport, plan: ScanPlan, rows_checked: int | None) -> None:
    """Record which rows the scan of one table read, and why (the caller owns the transaction)."""
    conn.execute(named_sql(SCOPE_SQL, "insert_scope"), {
        "scan_id": report.scan_id, "table": plan.table, "business_date": report.business_date,
        "build_id": plan.build_id, "scope": plan.scope.value, "base_build_id": plan.base_build_id,
        "rows_checked": rows_checked, "check_file_hash": plan.check_file_hash, "reason": plan.reason})
