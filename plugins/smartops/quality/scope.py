"""Decide which rows a table's scan reads: the whole table, or the rows its build changed.

A scan of build B may read only B's changes when an earlier build A of the table had a clean scan
(every check A's scan evaluated over changed rows passed with nothing found, and its file scanned
without error), the check file is the one A was scanned with, and every row B holds that A did not
is findable: for an ods table, the rows loaded or soft-deleted after A's load (`_loaded_at`,
`_deleted_at`, indexed); for a dwd/dws model, the keys its incremental builds after A removed or
wrote (`ops.model_delta`; a full build in between scans the whole table). Rows B did not change
are rows A's clean scan passed, so B's changes decide every check that judges rows one by one, and
the gate keeps approving every current build on a verdict about all of it. The whole table is read
again on the policy's `full_scan` cadence, for a first scan, after a failed or changed check file,
and for tables reloaded in full every run. `ops.quality_scan_scope` records the choice and why.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

import psycopg

from smartops.quality.gate import Build
from smartops.quality.model import SCAN_CHECK, CheckFile, Outcome
from smartops.sqlfiles import named_sql

SQL = "quality/scope.sql"


class ScanScope(StrEnum):
    TABLE = "table"
    CHANGES = "changes"


@dataclass(frozen=True)
class ScanPlan:
    """How one table is scanned this time, and why."""

    table: str
    build_id: str
    scope: ScanScope
    reason: str
    check_file_hash: str
    base_build_id: str | None = None
    base_results: dict[str, tuple[str, float | None]] | None = None  # check -> (outcome, value) of the base scan
    changed_since: datetime | None = None  # ods: rows loaded or soft-deleted after this
    model_runs: tuple[int, int] | None = None  # dwd/dws: the deltas of the builds in (base, current]


def file_hash(check_file: CheckFile) -> str:
    return hashlib.sha256(check_file.path.read_bytes()).hexdigest()


def cadence_due(cadence: timedelta | int, last_table_day: date | None, scans_since: int,
                business_date: date) -> bool:
    """Whether the whole-table scan is due: never done, or `cadence` business dates / scans since the last."""
    if last_table_day is None:
        return True
    if isinstance(cadence, int):
        return scans_since + 1 >= cadence
    return business_date - last_table_day >= cadence


def plan_scan(conn: psycopg.Connection, check_file: CheckFile, build: Build, *, business_date: date,
              cadence: timedelta | int, reloaded_in_full: bool, models_with_deltas: set[str]) -> ScanPlan:
    """Return the scan plan of `check_file`'s table for its current `build` (see the module docstring).

    reloaded_in_full: an ods table of mode full (every load replaces every row); models_with_deltas:
    the incremental dwd/dws models whose builds leave their changed rows in ops.model_delta.
    """
    table = check_file.qualified
    digest = file_hash(check_file)

    def whole(reason: str) -> ScanPlan:
        return ScanPlan(table, build.build_id, ScanScope.TABLE, reason, digest)

    row = conn.execute(named_sql(SQL, "last_scan"), {"table": table}).fetchone()
    scan_id, base_build, base_hash, last_table_day, scans_since = row
    if scan_id is None:
        return whole("first scan of the table")
    if cadence_due(cadence, last_table_day, scans_since, business_date):
        return whole(f"whole-table scan due (full_scan cadence; last whole scan for business date {last_table_day})")
    if base_hash != digest:
        return whole("the check file changed since the last scan")
    if reloaded_in_full:
        return whole("reloaded in full every run: every row is new")
    results = {name: (outcome, value) for name, outcome, value in conn.execute(
        named_sql(SQL, "scan_results"), {"scan_id": scan_id, "table": table})}
    if results.get(SCAN_CHECK, ("",))[0] != Outcome.PASS:
        return whole(f"the last scan ({base_build}) did not run cleanly")
    plan = ScanPlan(table, build.build_id, ScanScope.CHANGES, f"changes since {base_build}, whose scan was clean",
                    digest, base_build, results)
    kind, _, ident = base_build.partition(":")
    if kind == "sync" and check_file.layer == "ods":
        (loaded,) = conn.execute(named_sql(SQL, "load_time"), {"ledger_id": int(ident)}).fetchone() or (None,)
        if loaded is None:
            return whole(f"the load {base_build} is not in the ledger")
        return replace(plan, changed_since=loaded)
    current_kind, _, current_ident = build.build_id.partition(":")
    if kind == "model_run" and current_kind == "model_run" and table in models_with_deltas:
        count, full = conn.execute(named_sql(SQL, "builds_between"), {
            "model": table, "base": int(ident), "current": int(current_ident)}).fetchone()
        if full:
            return whole(f"{full} of the {count} builds since {base_build} rebuilt the table in full")
        return replace(plan, model_runs=(int(ident), int(current_ident)))
    return whole("the table's changes are not recorded (no incremental builds)")


def base_was_clean(plan: ScanPlan, counted_checks: list[str]) -> str | None:
    """Why the base scan cannot be extended by changes (None when it can).

    Every check evaluated over the changed rows (or their groups) must have passed with nothing found
    in the base scan: then the rows left unchanged hold nothing, and the changes' count is the table's.
    """
    for name in counted_checks:
        outcome, value = (plan.base_results or {}).get(name, (None, None))
        if outcome != Outcome.PASS or (value or 0) != 0:
            return f"check {name!r} of the last scan ({plan.base_build_id}) found rows ({outcome}, value {value})"
    return None
