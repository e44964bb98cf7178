"""The quality gate the scenario stage calls before publishing marts built from warehouse tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import psycopg

from smartops.quality.exceptions import InvalidGateRequest
from smartops.quality.model import Outcome
from smartops.sqlfiles import named_sql

_REFUSING = (Outcome.FAIL, Outcome.ERROR)


@dataclass(frozen=True)
class GateDecision:
    """Whether the tables may be used for the business date, and why not."""

    passed: bool
    reasons: list[str] = field(default_factory=list)


def check_gate(warehouse: str, tables: list[str], business_date: date) -> GateDecision:
    """Decide from ops.quality_result whether every check of `tables` passed for `business_date`.

    tables are `<layer>.<table>` names. For each table the latest result of each check that day
    counts: a `fail` or `error` refuses (warnings pass), and so does a table without any result.
    """
    for table in tables:
        if table.count(".") != 1:
            raise InvalidGateRequest(table)
    with psycopg.connect(warehouse) as conn:
        rows = conn.execute(named_sql("quality/results.sql", "gate_results"),
                            {"business_date": business_date, "tables": list(tables)}).fetchall()
    reasons = []
    seen = {row[0] for row in rows}
    for table in tables:
        if table not in seen:
            reasons.append(f"{table}: no quality results for business date {business_date}; "
                           f"run quality_scan for it (table={table}) first")
    for table, check, outcome, value, threshold, message, checked_at in rows:
        if Outcome(outcome) in _REFUSING:
            detail = "; ".join(str(p) for p in (
                f"value={value:g}" if value is not None else None, threshold, message) if p)
            reasons.append(f"{table}: check {check!r} {outcome} at {checked_at:%Y-%m-%d %H:%M:%S%z}"
                           + (f" ({detail})" if detail else ""))
    return GateDecision(passed=not reasons, reasons=reasons)
