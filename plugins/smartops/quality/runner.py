"""Run a quality scan: Soda over the chosen check files, reconciliation evidence, stored results."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import date

import psycopg
import yaml

from smartops.config.catalog import catalog
from smartops.config.inventory import Inventory, SyncMode
from smartops.config.models import Model
from smartops.config.policy import QualityPolicy
from smartops.errors import WarehouseUnreachable
from smartops.quality import store
from smartops.quality.changes import scan_changes, scan_whole, split
from smartops.quality.exceptions import BlockingChecksFailed, ScanErrored
from smartops.quality.gate import Build, current_builds, record_scan_builds
from smartops.quality.model import CheckFile, CheckResult, Outcome, ScanReport
from smartops.quality.scope import ScanPlan, ScanScope, base_was_clean, plan_scan
from smartops.vocabulary import Severity
from smartops.warehouse.connections import describe

log = logging.getLogger(__name__)

_LOG_LEVEL = {Outcome.PASS: logging.INFO, Outcome.WARN: logging.WARNING,
              Outcome.FAIL: logging.ERROR, Outcome.ERROR: logging.ERROR}


def run_quality_scan(
    warehouse: str,
    files: list[CheckFile],
    *,
    run_id: str,
    business_date: date,
    policy: QualityPolicy | None = None,
) -> ScanReport:
    """Scan `files` with Soda, add the ods tables' reconciliation results, store all in one transaction.

    Each table's scan reads its current build's changes when an earlier clean scan allows, else the
    whole table (smartops.quality.scope); ops.quality_scan_scope records which and why.

    Every result is logged as one line as it comes. Raises WarehouseUnreachable (nothing stored) when the
    warehouse cannot be reached; check failures and scan errors are returned, not raised: see enforce().
    Severities, freshness SLAs and the full-scan cadence come from the catalog's quality policy (or `policy`)
    and inventory.
    """
    policy, inventory = policy or catalog().policy, catalog().inventory
    report = ScanReport(scan_id=str(uuid.uuid4()), run_id=run_id, business_date=business_date)
    try:
        conn = psycopg.connect(warehouse)
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable("quality_scan: no checks ran and no results were stored", describe(warehouse),
                                   exc) from exc
    severities = {f.qualified: policy.severity(f.qualified, inventory) for f in files}
    incremental = {m.name: m for m in catalog().models.models if m.incremental}
    scopes = []
    with conn:
        # Read before scanning: a build swapped in during the scan is never covered by it.
        builds = current_builds(conn, [f.qualified for f in files])
        for check_file in files:
            severity = severities[check_file.qualified]
            sla = policy.freshness_sla(check_file.qualified, inventory)
            plan = _plan(conn, check_file, builds[check_file.qualified], business_date, policy, inventory,
                         incremental)
            log.info("Scanning %s (%s, severity %s): %s, %s", check_file.qualified, check_file.display_path,
                     severity.value, plan.scope.value, plan.reason)
            model = incremental.get(check_file.qualified)
            results, rows = scan_table(check_file, plan, conninfo=warehouse, severity=severity,
                                       blocking=policy.is_blocking(severity),
                                       variables={"FRESHNESS_SLA": sla} if sla else {},
                                       key=model.key if model else None)
            scopes.append((plan, rows))
            _log_results(results)
            report.results.extend(results)
        with conn.transaction():
            store.save(conn, report)
            record_scan_builds(conn, report.scan_id, builds)
            for plan, rows in scopes:
                store.save_scope(conn, report, plan, rows)
            for check_file in (f for f in files if f.layer == "ods"):
                severity = severities[check_file.qualified]
                imported = store.import_reconciliation(conn, report, check_file, severity,
                                                       policy.is_blocking(severity))
                _log_results(imported)
                report.results.extend(imported)
    log.info("Quality scan %s for business date %s stored: %s", report.scan_id, business_date, report.summary())
    return report


def _plan(conn: psycopg.Connection, check_file: CheckFile, build: Build, business_date: date,
          policy: QualityPolicy, inventory: Inventory, incremental: dict[str, Model]) -> ScanPlan:
    """The scan plan of one table: its build's changes when an earlier clean scan allows, else whole."""
    entry = inventory.by_name.get(check_file.table) if check_file.layer == "ods" else None
    plan = plan_scan(conn, check_file, build, business_date=business_date,
                     cadence=policy.full_scan_cadence(check_file.qualified),
                     reloaded_in_full=entry is not None and entry.mode is SyncMode.FULL,
                     models_with_deltas=set(incremental))
    if plan.scope is ScanScope.CHANGES:
        try:
            counted = split(yaml.safe_load(check_file.path.read_text(encoding="utf-8")) or {},
                            check_file.table).counted
        except (yaml.YAMLError, AttributeError, KeyError, TypeError):  # malformed: Soda names the error
            return replace(plan, scope=ScanScope.TABLE, reason="the check file does not parse")
        unclean = base_was_clean(plan, counted)
        if unclean:
            return replace(plan, scope=ScanScope.TABLE, reason=unclean)
    return plan


def scan_table(check_file: CheckFile, plan: ScanPlan, *, conninfo: str, severity: Severity, blocking: bool,
               variables: dict[str, str], key: list[str] | None = None) -> tuple[list[CheckResult], int | None]:
    """Scan one table as `plan` says; return its results and (changes scope) the changed rows read.

    key: the key columns of a dwd/dws model (its changes are keys in ops.model_delta).
    """
    if plan.scope is ScanScope.CHANGES:
        return scan_changes(check_file, plan, conninfo=conninfo, severity=severity, blocking=blocking,
                            variables=variables, key=key)
    return scan_whole(check_file, conninfo=conninfo, severity=severity, blocking=blocking,
                      variables=variables), None


def _log_results(results: list[CheckResult]) -> None:
    """Log one line per result, at a level matching its outcome."""
    for result in results:
        log.log(_LOG_LEVEL[result.outcome], "%s", result.describe())


def enforce(report: ScanReport) -> None:
    """Raise ScanErrored for any `error`, else BlockingChecksFailed for `fail`s on blocking tables."""
    if report.errors:
        raise ScanErrored(report.errors)
    if report.blocking_failures:
        raise BlockingChecksFailed(report.blocking_failures)
