"""BackflowSyncOperator: one inventory table's sync as an Airflow task."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from smartops.assets import table_asset
from smartops.warehouse.connections import LEVEL1_CONN_ID, WAREHOUSE_CONN_ID


class BackflowSyncOperator(BaseOperator):
    """Sync `ods.<table_name>` from Level-1 (see smartops.backflow.engine.sync_table).

    Reads the run's params: `tables` (empty = all; others skip), `full_reload`, `resync_from`.
    Data and config errors fail without retry; connection errors are retried.
    """

    ui_color = "#d8ecf7"

    def __init__(
        self,
        *,
        table_name: str,
        source_conn_id: str = LEVEL1_CONN_ID,
        warehouse_conn_id: str = WAREHOUSE_CONN_ID,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("outlets", [table_asset("ods", table_name)])
        super().__init__(**kwargs)
        self.table_name = table_name
        self.source_conn_id = source_conn_id
        self.warehouse_conn_id = warehouse_conn_id

    def execute(self, context: Any) -> dict:
        from smartops.backflow.engine import sync_table
        from smartops.backflow.exceptions import BackflowError
        from smartops.business_date import resolve_business_date, run_time
        from smartops.config.inventory import load_inventory
        from smartops.warehouse.connections import conninfo

        params = context["params"]
        selected = params.get("tables") or []
        if selected and self.table_name not in selected:
            raise AirflowSkipException(f"{self.table_name} not among the selected tables {selected}")
        table = load_inventory().get(self.table_name)
        resync_from = params.get("resync_from")
        try:
            result = sync_table(
                table,
                source=conninfo(self.source_conn_id),
                warehouse=conninfo(self.warehouse_conn_id),
                run_id=context["run_id"],
                full_reload=bool(params.get("full_reload")),
                resync_from=datetime.fromisoformat(resync_from) if resync_from else None,
                business_date=resolve_business_date(None, run_time(context)),
            )
        except BackflowError as exc:
            # Bad config, drift or a reconciliation mismatch: retrying cannot help.
            raise AirflowFailException(str(exc)) from exc
        summary = {
            "table": result.table, "mode": result.mode, "rows_read": result.rows_read,
            "rows_inserted": result.rows_inserted, "rows_updated": result.rows_updated,
            "rows_deleted": result.rows_deleted, "watermark": result.watermark_after,
            "duration_s": result.duration_s, "business_date": result.business_date.isoformat(),
        }
        context["outlet_events"][table_asset("ods", self.table_name)].extra = summary
        return summary
