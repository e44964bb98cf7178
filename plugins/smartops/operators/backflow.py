"""backflow_sync's tasks: one inventory table's sync — or a batch of small tables' — and the inventory's live check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartops.assets import batch_alias, table_asset
from smartops.backflow import SOURCE_SESSIONS
from smartops.operators.base import StageOperator, StageRun
from smartops.vocabulary import Layer

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage


class BackflowSyncOperator(StageOperator):
    """Sync `ods.<table>` for each of `table_names` from Level-1 (smartops.backflow.sync).

    One table: its errors are the task's. A batch (smartops.backflow.batch): each table in its own
    transaction and ledger row; the task fails naming every failed table, a retry skips the tables
    this run already loaded. Each table's ods asset event carries that table's summary. Reads the run's
    params: `tables` (empty = all; a task with none of its tables chosen skips), `full_reload`, `resync_from`.
    """

    ui_color = "#d8ecf7"
    selection_param = "tables"
    business_date_param = None  # a sync stands for the day before its run

    def __init__(self, *, table_names: list[str], **kwargs: Any) -> None:
        # A batch declares an alias, not every table: a run that loads some of them (the form chose them, or
        # the others failed) must not announce the others as updated to the DAGs scheduled on them.
        outlets = [batch_alias(kwargs["task_id"])] if len(table_names) > 1 else [table_asset(Layer.ODS, table_names[0])]
        kwargs.setdefault("outlets", outlets)
        kwargs.setdefault("pool_slots", SOURCE_SESSIONS)  # the pool counts Level-1 connections
        super().__init__(items=table_names, **kwargs)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.backflow.batch import sync_batch
        from smartops.backflow.bounds import parse_resync_from
        from smartops.backflow.sync import sync_table
        from smartops.config.catalog import catalog

        resync_from = parse_resync_from(run.params.get("resync_from"))  # refused before anything runs
        inventory = catalog().inventory
        tables = [inventory.get(name) for name in run.items]  # a table gone from the inventory: refused first
        options = {"source": run.source, "warehouse": run.warehouse, "run_id": run.run_id,
                   "full_reload": bool(run.params.get("full_reload")), "resync_from": resync_from,
                   "business_date": run.business_date}
        if len(self.items) == 1:
            return sync_table(tables[0], **options).summary()
        summaries = sync_batch(tables, task_id=run.task_id, **options)
        return {"tables": summaries, "business_date": run.business_date.isoformat()}

    def lineage(self, run: StageRun, summary: dict[str, Any]) -> OperatorLineage:
        """Level-1 table -> ods.<name> for each table the run loaded (a batch: the ones its summary holds)."""
        from smartops.config.catalog import catalog
        from smartops.operators.lineage import Database, sync_lineage

        inventory = catalog().inventory
        loaded = list(summary["tables"]) if "tables" in summary else run.items
        return sync_lineage([inventory.get(name) for name in loaded], source=Database.of(run.source),
                            warehouse=Database.of(run.warehouse))

    def emit(self, outlet_events: Any, summary: dict[str, Any]) -> None:
        if "tables" not in summary:  # one table: the summary is its own
            return super().emit(outlet_events, summary)
        alias = self.outlets[0]
        for table, extra in summary["tables"].items():  # the tables this run loaded (an earlier try's too)
            outlet_events[alias].add(table_asset(Layer.ODS, table), extra=extra)


class InventoryCheckOperator(StageOperator):
    """Check the chosen inventory entries live against Level-1 (smartops.inventory.check), before the loads.

    Cheap (catalog reads and bounded samples, a statement timeout per entry); never fails for what it finds:
    each amber or red finding is a backlog item, each green one resolves its item, and every entry's health
    is recorded for the console's Inventory health page. Only Level-1 or the warehouse unreachable fail it
    (retried); the loads run either way.
    """

    ui_color = "#eef6fb"
    selection_param = "tables"
    business_date_param = None

    def __init__(self, *, table_names: list[str], **kwargs: Any) -> None:
        super().__init__(items=table_names, **kwargs)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.inventory import alert_inventory_health
        from smartops.config.catalog import catalog
        from smartops.inventory.check import check
        from smartops.inventory.health import record_health

        inventory = catalog().inventory
        results = check(run.source, [inventory.get(name) for name in run.items if name in inventory.by_name])
        record_health(run.warehouse, results, run_id=run.run_id)
        raised = alert_inventory_health(run.alerts, results, run_id=run.run_id, dag_id=run.dag_id)
        return {"checked": len(results), "findings": raised,
                "status": {health.table: health.status.value for health in results}}
