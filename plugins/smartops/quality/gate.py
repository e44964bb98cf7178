"""The quality gate the scenario stage calls before publishing marts built from warehouse tables.

It approves builds, not dates: a quality scan records which build of each table it checked
(`record_scan_builds`), and the gate passes only when the *current* build of every input has a
scan whose fail-level checks all passed — a scan of yesterday's build never approves today's.
Model inputs (dwd/dws) must also be built for the business date being published, so a mart never
mixes filters of one date with tables of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg
from psycopg.rows import dict_row

from smartops.quality.exceptions import InvalidGateRequest
from smartops.quality.model import Outcome
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Layer

SQL = "quality/gate.sql"
UNBUILT = "unbuilt"
_REFUSING = (Outcome.FAIL, Outcome.ERROR)
_MODEL_LAYERS = (Layer.DWD, Layer.DWS)


@dataclass(frozen=True)
class Build:
    """The build of one table: which one, for which business date, when."""

    table_name: str
    build_id: str
    built_for: date | None
    built_at: datetime | None


@dataclass(frozen=True)
class GateDecision:
    """Whether the tables may be published from, why not, and the builds it judged."""

    passed: bool
    reasons: list[str] = field(default_factory=list)
    builds: dict[str, str] = field(default_factory=dict)


def current_builds(conn: psycopg.Connection, tables: list[str]) -> dict[str, Build]:
    """The current build of each `<layer>.<table>` (build_id 'unbuilt' when it was never built)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(named_sql(SQL, "current_builds"), {"tables": list(tables)}).fetchall()
    return {r["table_name"]: Build(**r) for r in rows}


def record_scan_builds(conn: psycopg.Connection, scan_id: str, builds: dict[str, Build]) -> None:
    """Record which build of each table scan `scan_id` checked (the caller's transaction)."""
    conn.execute(named_sql(SQL, "record_scan_builds"), {
        "scan_id": scan_id, "tables": list(builds), "builds": [b.build_id for b in builds.values()]})


def check_gate(warehouse: str, tables: list[str], business_date: date) -> GateDecision:
    """Decide whether marts for `business_date` may be built from the current builds of `tables`.

    tables are `<layer>.<table>` names. Refused when a table was never built, when its current
    build has no scan, when the latest result of any check of that build is `fail` or `error`
    (warnings pass), or when a dwd/dws input is built for another business date.
    """
    for table in tables:
        if table.count(".") != 1:
            raise InvalidGateRequest(table)
    with psycopg.connect(warehouse) as conn:
        builds = current_builds(conn, tables)
        rows = conn.execute(named_sql(SQL, "results_of_current_builds"), {
            "tables": list(builds), "builds": [b.build_id for b in builds.values()]}).fetchall()
    reasons = []
    scanned = {row[0] for row in rows}
    for table in tables:
        build = builds[table]
        if build.build_id == UNBUILT:
            reasons.append(f"{table}: never built; run the stage that builds it before publishing from it")
        elif table.split(".")[0] in _MODEL_LAYERS and build.built_for != business_date:
            reasons.append(f"{table}: its current build ({build.build_id}) is for business date {build.built_for}, "
                           f"not {business_date}; run aggregation for {business_date} first")
        elif table not in scanned:
            reasons.append(f"{table}: its current build ({build.build_id}, built {build.built_at:%Y-%m-%d %H:%M}) "
                           f"has not been scanned; run quality_scan for it (table={table}) first")
    for table, check, outcome, value, threshold, message, checked_at in rows:
        if Outcome(outcome) in _REFUSING:
            detail = "; ".join(str(p) for p in (
                f"value={value:g}" if value is not None else None, threshold, message) if p)
            reasons.append(f"{table}: check {check!r} {outcome} at {checked_at:%Y-%m-%d %H:%M:%S%z}"
                           + (f" ({detail})" if detail else ""))
    return GateDecision(passed=not reasons, reasons=reasons,
                        builds={table: build.build_id for table, build in builds.items()})
