"""Run a quality scan: Soda over the chosen check files, reconciliation evidence, stored results."""

from __future__ import annotations

import logging
import uuid
from datetime import date

import psycopg

from smartops.config.catalog import catalog
from smartops.errors import WarehouseUnreachable
from smartops.quality import store
from smartops.quality.exceptions import BlockingChecksFailed, ScanErrored
from smartops.quality.gate import current_builds, record_scan_builds
from smartops.quality.model import CheckFile, CheckResult, Outcome, ScanReport
from smartops.quality.soda_scan import scan_file
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
) -> ScanReport:
    """Scan `files` with Soda, add the ods tables' reconciliation results, store all in one transaction.

    Every result is logged as one line as it comes. Raises WarehouseUnreachable (nothing stored) when the
    warehouse cannot be reached; check failures and scan errors are returned, not raised: see enforce().
    Severities and freshness SLAs come from the catalog's quality policy and inventory.
    """
    policy, inventory = catalog().policy, catalog().inventory
    report = ScanReport(scan_id=str(uuid.uuid4()), run_id=run_id, business_date=business_date)
    try:
        conn = psycopg.connect(warehouse)
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable("quality_scan: no checks ran and no results were stored", describe(warehouse),
                                   exc) from exc
    severities = {f.qualified: policy.severity(f.qualified, inventory) for f in files}
    with conn:
        # Read before scanning: a build swapped in during the scan is never covered by it.
        builds = current_builds(conn, [f.qualified for f in files])
        for check_file in files:
            severity = severities[check_file.qualified]
            sla = policy.freshness_sla(check_file.qualified, inventory)
            log.info("Scanning %s (%s, severity %s)", check_file.qualified, check_file.display_path, severity.value)
            results = scan_file(check_file, conninfo=warehouse, severity=severity,
                                blocking=policy.is_blocking(severity),
                                variables={"FRESHNESS_SLA": sla} if sla else {})
            _log_results(results)
            report.results.extend(results)
        with conn.transaction():
            store.save(conn, report)
            record_scan_builds(conn, report.scan_id, builds)
            for check_file in (f for f in files if f.layer == "ods"):
                severity = severities[check_file.qualified]
                imported = store.import_reconciliation(conn, report, check_file, severity,
                                                       policy.is_blocking(severity))
                _log_results(imported)
                report.results.extend(imported)
    log.info("Quality scan %s for business date %s stored: %s", report.scan_id, business_date, report.summary())
    return report


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
