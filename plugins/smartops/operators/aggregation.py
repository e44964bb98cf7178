"""ModelBuildOperator: one aggregation model's build as an Airflow task."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from smartops.assets import table_asset
from smartops.operators.base import StageOperator, StageRun

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage

# The aggregation form's switch for an explicit full rebuild of every model (backfills).
FULL_REBUILD_PARAM = "full_rebuild"


class ModelBuildOperator(StageOperator):
    """Build model `model_name` (e.g. dwd.voucher_line) for the business date; emit its table asset.

    Fact models with an incremental scope are updated from the day's changes unless the form asks
    for a full rebuild (smartops.aggregation.plan decides and records why).
    """

    ui_color = "#e3f1dc"

    def __init__(self, *, model_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [table_asset(*model_name.split("."))])
        super().__init__(item=model_name, **kwargs)
        self.model_name = model_name

    def published_through(self, run: StageRun) -> date | None:
        return run.scalar("model_published", item=self.model_name)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.aggregation.build import build_model
        from smartops.config.catalog import catalog

        registry = catalog().models
        result = build_model(registry.get(self.model_name), registry=registry, warehouse=run.warehouse,
                             business_date=run.business_date, run_id=run.run_id,
                             full_rebuild=bool(run.params.get(FULL_REBUILD_PARAM)))
        return result.summary()

    def lineage(self, run: StageRun, summary: dict[str, Any]) -> OperatorLineage:
        from smartops.config.catalog import catalog
        from smartops.operators.lineage import Database, model_lineage

        return model_lineage(catalog().models.get(self.model_name), warehouse=Database.of(run.warehouse))
