"""Benchmark the scenario refresh: refresh every scenario once on a warehouse whose dwd/dws are built."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from smartops.business_date import resolve_business_date
from smartops.config.catalog import load_scenarios
from smartops.scenarios.refresh import refresh_scenario

log = logging.getLogger(__name__)


def bench_scenarios(warehouse: str, *, business_date: date | None = None) -> list[dict]:
    """Refresh every scenario (gate not asked) on `warehouse`; return [{scenario, rows, seconds, ...}].

    Each entry also holds `build_seconds` (the SQL) and `check_seconds` (the Soda checks of the new
    mart). business_date defaults to the day before today (Asia/Shanghai), as a scheduled run would use.
    """
    day = business_date or resolve_business_date(None, datetime.now(UTC))
    results = []
    for scenario in load_scenarios().scenarios:
        result = refresh_scenario(scenario, warehouse=warehouse, business_date=day, run_id="bench", gate=False)
        log.info("bench %s: %d rows in %.2fs (build %.2fs, check %.2fs)", scenario.id, result.rows,
                 result.duration_s, result.phases["build"], result.phases["check"])
        results.append({"scenario": scenario.id, "rows": result.rows, "seconds": result.duration_s,
                        "build_seconds": result.phases["build"], "check_seconds": result.phases["check"]})
    return results
