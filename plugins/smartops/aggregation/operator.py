"""ModelBuildOperator: one aggregation model's build as an Airflow task."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException

from smartops.assets import table_asset
from smartops.warehouse.connections import WAREHOUSE_CONN_ID


class ModelBuildOperator(BaseOperator):
    """Rebuild model `model_name` (e.g. dwd.voucher_line) and emit its table asset with the row count.

    The business date is the run's `business_date` param, or the day before the run (Asia/Shanghai).
    SQL errors and a bad business date fail without retry; connection errors are retried.
    """

    ui_color = "#e3f1dc"

    def __init__(self, *, model_name: str, warehouse_conn_id: str = WAREHOUSE_CONN_ID, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [table_asset(*model_name.split("."))])
        super().__init__(**kwargs)
        self.model_name = model_name
        self.warehouse_conn_id = warehouse_conn_id

    def execute(self, context: Any) -> dict:
        from smartops.aggregation.build import build_model
        from smartops.aggregation.exceptions import ModelBuildError
        from smartops.business_date import InvalidBusinessDate, resolve_business_date, run_time
        from smartops.aggregation.registry import load_models
        from smartops.warehouse.connections import conninfo

        model = load_models().get(self.model_name)
        try:
            business_date = resolve_business_date(context["params"].get("business_date"),
                                                  run_time(context))
            result = build_model(model, warehouse=conninfo(self.warehouse_conn_id),
                                 business_date=business_date, run_id=context["run_id"])
        except (InvalidBusinessDate, ModelBuildError) as exc:
            # A bad date or bad SQL: retrying cannot help.
            raise AirflowFailException(str(exc)) from exc
        summary = {"model": result.model, "business_date": result.business_date.isoformat(),
                   "rows": result.rows, "duration_s": result.duration_s}
        context["outlet_events"][table_asset(model.layer, model.table)].extra = summary
        return summary
