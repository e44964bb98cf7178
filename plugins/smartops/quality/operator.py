"""QualityScanOperator: the quality scan of the chosen warehouse tables as one Airflow task."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException

from smartops.assets import table_asset
from smartops.quality.model import ScanReport, Source
from smartops.warehouse.connections import WAREHOUSE_CONN_ID

RESULTS_ASSET = table_asset("ops", "quality_result")


class QualityScanOperator(BaseOperator):
    """Run the SodaCL checks of the run's `layer` / `table` params (empty: ods, dwd, dws); store the results.

    The business date is the `business_date` param, else the one the triggering dwd/dws asset
    events carry, else the day before the run (Asia/Shanghai). Scan errors and `fail`s on blocking
    tables fail without retry after the results are stored; an unreachable warehouse is retried.
    Every result goes to the alert path (smartops.alerting) before the run's verdict.
    Emits ops.quality_result with the outcome counts when all is well.
    """

    ui_color = "#fdf1d6"

    def __init__(self, *, warehouse_conn_id: str = WAREHOUSE_CONN_ID, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [RESULTS_ASSET])
        super().__init__(**kwargs)
        self.warehouse_conn_id = warehouse_conn_id

    def execute(self, context: Any) -> dict:
        from smartops.business_date import (
            InvalidBusinessDate,
            resolve_business_date,
            run_time,
            triggering_business_date,
        )
        from smartops.quality.checkfiles import discover, select
        from smartops.quality.exceptions import BlockingChecksFailed, ScanErrored, UnknownScanTarget
        from smartops.quality.runner import enforce, run_quality_scan
        from smartops.warehouse.connections import conninfo

        params = context["params"]
        try:
            files = select(discover(), layer=params.get("layer"), table=params.get("table"))
            business_date = resolve_business_date(
                params.get("business_date") or triggering_business_date(context), run_time(context))
            warehouse = conninfo(self.warehouse_conn_id)
            report = run_quality_scan(warehouse, files, run_id=context["run_id"], business_date=business_date)
            _alert(warehouse, report, context)
            enforce(report)
        except (UnknownScanTarget, InvalidBusinessDate, ScanErrored, BlockingChecksFailed) as exc:
            # Bad parameters, broken check files or failed data checks: retrying cannot help.
            raise AirflowFailException(str(exc)) from exc
        summary = report.summary()
        context["outlet_events"][RESULTS_ASSET].extra = summary
        return summary


def _alert(warehouse: str, report: ScanReport, context: Any) -> None:
    """Hand every result to the one alert path: fail/error alert, warn is recorded, pass resolves."""
    from smartops.alerting.checks import alert_check_results
    from smartops.alerting.models import Category

    ids = {"dag_id": context["dag"].dag_id, "run_id": context["run_id"], "task_id": context["task"].task_id,
           "business_date": report.business_date}
    for source, category in ((Source.SODA, Category.QUALITY), (Source.RECONCILIATION, Category.RECONCILIATION)):
        results = [r for r in report.results if r.source is source]
        alert_check_results(warehouse, results, stage="quality_scan", category=category, **ids)

