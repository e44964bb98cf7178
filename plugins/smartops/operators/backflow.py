"""BackflowSyncOperator: one inventory table's sync — or a batch of small tables' — as an Airflow task."""

from __future__ import annotations

import logging
from typing import Any

from smartops.assets import table_asset
from smartops.backflow import SOURCE_SESSIONS
from smartops.operators.base import StageOperator, StageRun
from smartops.vocabulary import Layer

log = logging.getLogger(__name__)


class BackflowSyncOperator(StageOperator):
    """Sync `ods.<table>` for each of `table_names` from Level-1 (smartops.backflow.engine.sync_table).

    One table: its errors are the task's. A batch: each table in its own transaction and ledger row,
    one after the other; a failure does not stop the others, and the task then fails naming every
    failed table (BatchFailed). A retry skips the tables this run already loaded. Each table's ods
    asset event carries that table's summary. Reads the run's params: `tables` (empty = all; a task
    with none of its tables chosen skips), `full_reload`, `resync_from`.
    """

    ui_color = "#d8ecf7"
    selection_param = "tables"
    business_date_param = None  # a sync stands for the day before its run

    def __init__(self, *, table_names: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [table_asset(Layer.ODS, name) for name in table_names])
        kwargs.setdefault("pool_slots", SOURCE_SESSIONS)  # the pool counts Level-1 connections
        super().__init__(items=table_names, **kwargs)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.backflow.bounds import parse_resync_from
        from smartops.backflow.exceptions import BatchFailed
        from smartops.backflow.ledger import tables_loaded_in_run
        from smartops.config.inventory import load_inventory

        resync_from = parse_resync_from(run.params.get("resync_from"))  # refused before anything runs
        inventory = load_inventory()  # once per task, not per table of a batch
        if len(self.items) == 1:
            return self._sync(run, inventory.get(run.items[0]), resync_from)
        loaded = tables_loaded_in_run(run.warehouse, run.run_id)  # by an earlier try of this task
        summaries: dict[str, Any] = {}
        failures: dict[str, BaseException] = {}
        for position, name in enumerate(run.items, 1):
            if name in loaded:
                log.info("%s (%d/%d): already loaded by an earlier try of this run; skipped", name, position,
                         len(run.items))
                summaries[name] = {"table": name, "business_date": run.business_date.isoformat(),
                                   "loaded_by_earlier_try": True}
                continue
            try:
                summaries[name] = self._sync(run, inventory.get(name), resync_from)
                log.info("%s (%d/%d): %s", name, position, len(run.items), summaries[name])
            except Exception as exc:  # recorded in the ledger; the batch goes on
                log.exception("%s (%d/%d) failed", name, position, len(run.items))
                failures[name] = exc
        if failures:
            raise BatchFailed(run.task_id, failures, len(run.items))
        return {"tables": summaries, "business_date": run.business_date.isoformat()}

    def outlet_extra(self, asset: Any, summary: dict[str, Any]) -> dict[str, Any]:
        if "tables" not in summary:  # one table: the summary is its own
            return summary
        table = asset.name.split(".", 1)[1]
        return summary["tables"].get(table, {"table": table, "skipped": "not chosen"})

    @staticmethod
    def _sync(run: StageRun, table: Any, resync_from: Any) -> dict[str, Any]:
        from smartops.backflow.engine import sync_table

        return sync_table(
            table, source=run.source, warehouse=run.warehouse, run_id=run.run_id,
            full_reload=bool(run.params.get("full_reload")), resync_from=resync_from,
            business_date=run.business_date,
        ).summary()
