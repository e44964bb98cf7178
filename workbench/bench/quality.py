"""Benchmark: the Soda scan of the largest table against one hand-written single-pass SQL query."""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable

import psycopg

from smartops.config.catalog import load_policy
from smartops.config.inventory import load_inventory
from smartops.quality.checkfiles import discover, select
from smartops.quality.model import CheckResult
from smartops.quality.soda_scan import scan_file
from workbench.paths import BENCH_SQL

log = logging.getLogger(__name__)

LARGEST_TABLE = "ods.gl_voucher_line"
REPEATS = 3
# Soda check name -> column of the hand-written query measuring the same thing.
SAME_METRICS = {
    "has rows": "row_count",
    "line_id unique": "duplicate_line_id",
    "voucher_id present": "missing_voucher_id",
    "account_code present": "missing_account_code",
    "currency is CNY": "invalid_currency",
    "line is debit or credit, not both": "debit_and_credit",
    "voucher lines reference a voucher": "orphan_lines",
    "account_code in chart of accounts": "unknown_account",
}


def _median_time(run: Callable[[], object]) -> tuple[float, object]:
    """Run `run` REPEATS times; return the median wall time and the last result."""
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4), result


def bench_scan(warehouse: str) -> dict:
    """Time the Soda scan of ods.gl_voucher_line against one SQL query computing the same metrics.

    Both run REPEATS times in this call (median reported); `metrics_match` says whether the
    query's values equal Soda's. per_table lists the Soda scan time of every ods check file.
    Target: ratio = scan_s / sql_s <= 2.
    """
    policy, inventory = load_policy(), load_inventory()

    def scan(qualified: str) -> list[CheckResult]:
        (check_file,) = select(discover(), table=qualified)
        severity = policy.severity(qualified, inventory)
        sla = policy.freshness_sla(qualified, inventory)
        return scan_file(check_file, conninfo=warehouse, severity=severity, blocking=policy.is_blocking(severity),
                         variables={"FRESHNESS_SLA": sla} if sla else {})

    def query() -> dict:
        with psycopg.connect(warehouse) as conn:
            cur = conn.execute(BENCH_SQL.named("quality.sql", "gl_voucher_line_metrics"))
            return dict(zip([c.name for c in cur.description], cur.fetchone(), strict=True))

    scan_s, results = _median_time(lambda: scan(LARGEST_TABLE))
    sql_s, metrics = _median_time(query)
    soda_values = {r.check_name: r.measured_value for r in results}
    mismatches = {name: (soda_values.get(name), metrics[column]) for name, column in SAME_METRICS.items()
                  if soda_values.get(name) != float(metrics[column])}
    per_table = []
    for check_file in select(discover(), layer="ods"):
        started = time.perf_counter()
        checks = scan(check_file.qualified)
        per_table.append({"table": check_file.qualified, "scan_s": round(time.perf_counter() - started, 4),
                          "checks": len(checks) - 1})
    result = {"table": LARGEST_TABLE, "rows": metrics["row_count"], "scan_s": scan_s, "sql_s": sql_s,
              "ratio": round(scan_s / sql_s, 2) if sql_s else None, "metrics_match": not mismatches,
              "mismatches": mismatches, "per_table": per_table}
    log.info("Soda scan of %s (%s rows): %.3fs vs one SQL query %.3fs (ratio %s, metrics match: %s)",
             LARGEST_TABLE, metrics["row_count"], scan_s, sql_s, result["ratio"], not mismatches)
    return result
