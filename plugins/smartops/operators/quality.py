"""QualityScanOperator: the quality scan of the chosen warehouse tables as one Airflow task."""

from __future__ import annotations

from datetime import date
from typing import Any

from smartops.assets import RESULTS_ASSET
from smartops.operators.base import StageOperator, StageRun


class QualityScanOperator(StageOperator):
    """Run the SodaCL checks of the run's `layer` / `table` params (empty: ods, dwd, dws); store the results.

    Every result goes to the alert path before the verdict: scan errors and `fail`s on blocking
    tables then fail the task (after the results are stored). Emits ops.quality_result.
    """

    ui_color = "#fdf1d6"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [RESULTS_ASSET])
        super().__init__(**kwargs)

    def published_through(self, run: StageRun) -> date | None:
        return run.scalar("scan_published")

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.checks import alert_check_results
        from smartops.quality.checkfiles import discover, select
        from smartops.quality.model import Source
        from smartops.quality.runner import enforce, run_quality_scan
        from smartops.vocabulary import Category

        files = select(discover(), layer=run.params.get("layer"), table=run.params.get("table"))
        report = run_quality_scan(run.warehouse, files, run_id=run.run_id, business_date=run.business_date)
        for source, category in ((Source.SODA, Category.QUALITY), (Source.RECONCILIATION, Category.RECONCILIATION)):
            alert_check_results(run.alerts, [r for r in report.results if r.source is source],
                                stage=run.dag_id, category=category, dag_id=run.dag_id, run_id=run.run_id,
                                task_id=run.task_id, business_date=report.business_date)
        enforce(report)
        return report.summary()
