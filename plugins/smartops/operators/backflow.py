"""BackflowSyncOperator: one inventory table's sync as an Airflow task."""

from __future__ import annotations

from typing import Any

from smartops.assets import table_asset
from smartops.operators.base import StageOperator, StageRun
from smartops.vocabulary import Layer


class BackflowSyncOperator(StageOperator):
    """Sync `ods.<table_name>` from Level-1 (smartops.backflow.engine.sync_table); emit its ods asset.

    Reads the run's params: `tables` (empty = all; others skip), `full_reload`, `resync_from`.
    """

    ui_color = "#d8ecf7"
    selection_param = "tables"
    business_date_param = None  # a sync stands for the day before its run

    def __init__(self, *, table_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [table_asset(Layer.ODS, table_name)])
        super().__init__(item=table_name, **kwargs)
        self.table_name = table_name

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.backflow.bounds import parse_resync_from
        from smartops.backflow.engine import sync_table
        from smartops.config.inventory import load_inventory

        resync_from = parse_resync_from(run.params.get("resync_from"))  # refused before anything runs
        result = sync_table(
            load_inventory().get(self.table_name), source=run.source, warehouse=run.warehouse, run_id=run.run_id,
            full_reload=bool(run.params.get("full_reload")),
            resync_from=resync_from,
            business_date=run.business_date,
        )
        return result.summary()
