"""Benchmark the aggregation: build every model once on an already loaded warehouse."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from smartops.aggregation.build import build_model
from smartops.aggregation.registry import load_models
from smartops.business_date import resolve_business_date

log = logging.getLogger(__name__)


def bench_aggregation(warehouse: str, *, business_date: date | None = None) -> list[dict]:
    """Build every model in dependency order on `warehouse`; return [{model, rows, seconds}].

    business_date defaults to the day before today (Asia/Shanghai), as a scheduled run would use.
    """
    day = business_date or resolve_business_date(None, datetime.now(UTC))
    results = []
    for model in load_models().ordered:
        result = build_model(model, warehouse=warehouse, business_date=day, run_id="bench")
        log.info("bench %s: %d rows in %.2fs", model.name, result.rows, result.duration_s)
        results.append({"model": model.name, "rows": result.rows, "seconds": result.duration_s})
    return results
