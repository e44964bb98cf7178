"""Several small tables in one task (an inventory `batch`): each its own transaction, ledger row and verdict.

A task's start-up costs more than a small table's sync, so small tables share a task. One table's
failure does not stop the others; the batch then raises BatchFailed naming every failed table
(retryable when any failure is). A retry of the task skips the tables this run already loaded.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from smartops.backflow.exceptions import BatchFailed
from smartops.backflow.ledger import tables_loaded_in_run
from smartops.backflow.sync import sync_table
from smartops.config.inventory import BackflowTable

log = logging.getLogger(__name__)


def sync_batch(tables: list[BackflowTable], *, task_id: str, source: str, warehouse: str, run_id: str,
               full_reload: bool = False, resync_from: datetime | None = None,
               business_date: date | None = None) -> dict[str, dict[str, Any]]:
    """Sync `tables` one after the other; return each table's summary, or raise BatchFailed after the last."""
    loaded = tables_loaded_in_run(warehouse, run_id)  # by an earlier try of this task
    summaries: dict[str, dict[str, Any]] = {}
    failures: dict[str, BaseException] = {}
    for position, table in enumerate(tables, 1):
        progress = f"{table.name} ({position}/{len(tables)})"
        if table.name in loaded:
            log.info("%s: already loaded by an earlier try of this run; skipped", progress)
            summaries[table.name] = {"table": table.name, "loaded_by_earlier_try": True,
                                     "business_date": business_date.isoformat() if business_date else None}
            continue
        try:
            summaries[table.name] = sync_table(table, source=source, warehouse=warehouse, run_id=run_id,
                                               full_reload=full_reload, resync_from=resync_from,
                                               business_date=business_date).summary()
            log.info("%s: %s", progress, summaries[table.name])
        except Exception as exc:  # recorded in the ledger; the batch goes on
            log.exception("%s failed", progress)
            failures[table.name] = exc
    if failures:
        raise BatchFailed(task_id, failures, len(tables))
    return summaries
