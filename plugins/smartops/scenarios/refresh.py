"""Refresh one scenario mart: ask the quality gate, build, check with Soda, publish atomically.

Build: every published table is created by its SELECT in a staging schema `ads__<scenario>` (one
transaction). Check: the staged tables are scanned with their SodaCL file (include/soda/ads/),
with the staging schema as Soda's schema. Publish: one transaction drops the published tables,
moves the staged ones into `ads` and writes the refresh log, so readers see the old mart or the
new one, never a partial one. A refused gate, a failed build or failed checks leave the published
mart as it was; each outcome is one row of ops.scenario_refresh.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from smartops.config.scenarios import LAYER, Scenario
from smartops.errors import WarehouseUnreachable
from smartops.quality.gate import check_gate, current_builds
from smartops.quality.model import CheckFile, Outcome
from smartops.scenarios.exceptions import InputsChanged, MartBuildError, MartChecksFailed
from smartops.sqlfiles import named_sql
from smartops.warehouse.connections import describe
from smartops.warehouse.swap import LOCK_TIMEOUT, swap_in

log = logging.getLogger(__name__)

SQL_FILE = "ads/refresh_log.sql"


class Status(StrEnum):
    PUBLISHED = "published"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh did: the status, why (skipped/failed), and the rows per published table."""

    scenario: str
    business_date: date
    status: Status
    reason: str | None = None
    table_rows: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    inputs_freshness: dict[str, str | None] = field(default_factory=dict)
    inputs_builds: dict[str, str] = field(default_factory=dict)  # the builds the mart was built from
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent in build / check

    @property
    def rows(self) -> int:
        return sum(self.table_rows.values())

    def summary(self) -> dict:
        """The task's return value and asset-event extra."""
        return {"scenario": self.scenario, "business_date": self.business_date.isoformat(),
                "status": self.status.value, "reason": self.reason, "rows": self.rows,
                "table_rows": self.table_rows, "duration_s": self.duration_s, "phases": self.phases}


def staging_schema(scenario: Scenario) -> str:
    """The schema a scenario's tables are built and checked in before they are published."""
    return f"{LAYER}__{scenario.id}"


def refresh_scenario(scenario: Scenario, *, warehouse: str, business_date: date, run_id: str,
                     gate: bool = True) -> RefreshResult:
    """Refresh `scenario` for `business_date`; return the published or skipped result.

    gate=False publishes without asking the quality gate (an audited override, see the stage layer).
    With the gate, the mart is built from exactly the input builds it approved: the build holds the
    inputs in SHARE mode and raises InputsChanged (retryable) if a newer build landed meanwhile.
    Raise MartBuildError (SQL failed) or MartChecksFailed (the new mart failed its checks) after
    recording the failure; WarehouseUnreachable (retryable) when the warehouse is down or busy.
    The published mart is untouched in every case but a publish.
    """
    started = datetime.now(UTC)
    clock = time.monotonic()
    try:
        with psycopg.connect(warehouse, autocommit=True) as conn:
            # One refresh per scenario at a time, even if a retry overlaps a zombie attempt.
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"scenario:{scenario.id}",))
            freshness = _inputs_freshness(conn, scenario)
            approved: dict[str, str] | None = None
            if gate:
                decision = check_gate(warehouse, scenario.gate_tables, business_date)
                approved = decision.builds
                if not decision.passed:
                    result = RefreshResult(scenario.id, business_date, Status.SKIPPED, "; ".join(decision.reasons),
                                           duration_s=round(time.monotonic() - clock, 3), inputs_freshness=freshness)
                    _record(conn, result, run_id, started)
                    log.warning("%s: skipped, the quality gate refused: %s", scenario.id, result.reason)
                    return result
            try:
                phase = time.monotonic()
                table_rows, builds = _build(conn, scenario, business_date, approved)
                phases = {"build": round(time.monotonic() - phase, 3)}
                phase = time.monotonic()
                failures = _check(scenario, warehouse)
                phases["check"] = round(time.monotonic() - phase, 3)
                if failures:
                    raise MartChecksFailed(scenario.id, failures)
                result = RefreshResult(scenario.id, business_date, Status.PUBLISHED, table_rows=table_rows,
                                       duration_s=round(time.monotonic() - clock, 3), inputs_freshness=freshness,
                                       phases=phases, inputs_builds=builds)
                with conn.transaction():
                    _publish(conn, scenario)
                    _record(conn, result, run_id, started)
            except (MartBuildError, MartChecksFailed) as exc:
                _drop_staging(conn, scenario)
                _record(conn, RefreshResult(scenario.id, business_date, Status.FAILED, str(exc),
                                            duration_s=round(time.monotonic() - clock, 3),
                                            inputs_freshness=freshness), run_id, started)
                raise
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable(f"scenario={scenario.id}", describe(warehouse), exc) from exc
    log.info("%s: published %s for business date %s in %.2fs", scenario.id,
             ", ".join(f"{t}={n}" for t, n in result.table_rows.items()), business_date, result.duration_s)
    return result


def _build(conn: psycopg.Connection, scenario: Scenario, business_date: date,
           approved: dict[str, str] | None) -> tuple[dict[str, int], dict[str, str]]:
    """Create every published table in the staging schema in one transaction; return rows per table and builds.

    The inputs are held in SHARE mode for the transaction (no build can swap or change them), and
    their builds must be the ones the gate `approved` (when it was asked).
    """
    stage = staging_schema(scenario)
    params = {**{k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in scenario.params.items()},
              "business_date": business_date}
    table_rows: dict[str, int] = {}
    table = scenario.tables[0]
    try:
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
            conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(
                sql.SQL(", ").join(sql.Identifier(*t.split(".")) for t in scenario.inputs)))
            builds = {t: b.build_id for t, b in current_builds(conn, scenario.inputs).items()}
            changed = sorted(t for t, build in (approved or {}).items() if builds.get(t, build) != build)
            if changed:
                raise InputsChanged(scenario.id, changed)
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(stage)))
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(stage)))
            # Later SELECTs of a scenario may read its earlier tables by bare name.
            conn.execute(sql.SQL("SET LOCAL search_path = {}, public").format(sql.Identifier(stage)))
            for qualified, table in zip(scenario.publishes, scenario.tables, strict=True):
                select = scenario.select(table).strip().rstrip(";")
                rows = conn.execute(sql.SQL("CREATE TABLE {} AS\n").format(sql.Identifier(stage, table))
                                    + sql.SQL(select), params).rowcount
                conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(stage, table)))
                table_rows[qualified] = rows
                log.info("%s: built %s.%s (%d rows)", scenario.id, stage, table, rows)
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise MartBuildError(scenario.id, table, str(scenario.sql_path), str(exc).strip()) from exc
    return table_rows, builds


def _check(scenario: Scenario, warehouse: str) -> list[str]:
    """Scan the staged tables with their SodaCL files; return the fail / error lines (warnings are logged)."""
    from smartops.quality.soda_scan import scan_file

    stage = staging_schema(scenario)
    failures = []
    for table in scenario.tables:
        check_file = CheckFile(layer=stage, table=table, path=scenario.check_path(table))
        results = scan_file(check_file, conninfo=warehouse, severity=scenario.severity, blocking=True,
                            variables={})
        for result in results:
            if result.outcome in (Outcome.FAIL, Outcome.ERROR):
                failures.append(f"ads.{table}: {result.describe()}")
            elif result.outcome is Outcome.WARN:
                log.warning("%s: %s", scenario.id, result.describe())
    return failures


def _publish(conn: psycopg.Connection, scenario: Scenario) -> None:
    """Swap the staged tables into ads (inside the caller's transaction) and drop the staging schema."""
    stage = staging_schema(scenario)
    for table in scenario.tables:
        swap_in(conn, staged=(stage, table), target=(LAYER, table), comment=f"{scenario.title}: {scenario.description}")
    conn.execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(stage)))


def _drop_staging(conn: psycopg.Connection, scenario: Scenario) -> None:
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(staging_schema(scenario))))


def _inputs_freshness(conn: psycopg.Connection, scenario: Scenario) -> dict[str, str | None]:
    """The last successful build (dwd/dws) or load (ods) of every input, as ISO timestamps (None: never)."""
    rows = conn.execute(named_sql(SQL_FILE, "inputs_freshness"), {"tables": scenario.inputs}).fetchall()
    found = dict(rows)
    now = datetime.now(UTC)
    for table in scenario.inputs:
        if found.get(table) is None or now - found[table] > scenario.freshness_sla_delta:
            log.warning("%s: input %s was last built or loaded at %s, longer ago than the scenario's freshness SLA "
                        "(%s); the mart will be as stale as it", scenario.id, table, found.get(table) or "never",
                        scenario.freshness_sla)
    return {table: found[table].isoformat() if found.get(table) else None for table in scenario.inputs}


def _record(conn: psycopg.Connection, result: RefreshResult, run_id: str, started: datetime) -> None:
    conn.execute(named_sql(SQL_FILE, "insert_refresh"), {
        "run_id": run_id, "scenario": result.scenario, "business_date": result.business_date,
        "status": result.status.value, "reason": result.reason,
        "rows": result.rows if result.status is Status.PUBLISHED else None,
        "table_rows": Jsonb(result.table_rows) if result.table_rows else None,
        "inputs_freshness": Jsonb(result.inputs_freshness), "started_at": started,
        "inputs_builds": Jsonb(result.inputs_builds) if result.inputs_builds else None,
        "duration_s": result.duration_s,
    })
