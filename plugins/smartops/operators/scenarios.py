"""ScenarioRefreshOperator: one scenario mart's gated, checked, atomic refresh as an Airflow task."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from smartops.assets import table_asset
from smartops.operators.base import Override, StageOperator, StageRun, StageSkipped

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage

GATE_CHECK = "quality_gate"


class ScenarioRefreshOperator(StageOperator):
    """Refresh scenario `scenario_id` for the business date and emit its ads assets.

    Skipped when the run's `scenarios` param leaves it out, or when the quality gate refuses its
    inputs: then the reason is stored in ops.scenario_refresh and raised as a `scenario` alert,
    and the published mart stays in place. Publishing resolves the scenario's gate item.
    """

    ui_color = "#e8e1f5"
    selection_param = "scenarios"

    def __init__(self, *, scenario_id: str, publishes: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [table_asset(*qualified.split(".")) for qualified in publishes])
        super().__init__(item=scenario_id, **kwargs)
        self.scenario_id = scenario_id

    def published_through(self, run: StageRun) -> date | None:
        return run.scalar("scenario_published", item=self.scenario_id)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting import Alert, Category, raise_alert, resolve
        from smartops.config.catalog import catalog
        from smartops.notify import words
        from smartops.scenarios.refresh import Status, refresh_scenario

        scenario = catalog().scenarios.get(self.scenario_id)
        skip_gate = bool(run.params.get("skip_gate"))
        if skip_gate:
            run.record_override(Override.SKIP_GATE, f"published {scenario.id} without the quality gate",
                                run.business_date)
        result = refresh_scenario(scenario, warehouse=run.warehouse, business_date=run.business_date,
                                  run_id=run.run_id, gate=not skip_gate)
        if result.status is Status.SKIPPED:
            text = words.stage_text("gate_refused", run.alerts.config.language, title_zh=scenario.title_zh,
                                    title_en=scenario.title_en, scenario=scenario.id)
            raise_alert(run.alerts, Alert(
                stage=run.dag_id, object=scenario.id, check=GATE_CHECK, category=Category.SCENARIO,
                severity=scenario.severity, owner=scenario.owner, scenarios=(scenario.id,), title=text.title,
                details=result.reason or "", hint=text.hint, dag_id=run.dag_id, run_id=run.run_id,
                task_id=run.task_id, business_date=run.business_date))
            raise StageSkipped(f"scenario {scenario.id}: quality gate refused, the published mart stays: "
                               f"{result.reason}")
        if not skip_gate:  # a publish without the gate says nothing about the gate's findings: they stay open
            resolve(run.alerts, stage=run.dag_id, targets=[(scenario.id, GATE_CHECK)],
                    business_date=run.business_date)
        return result.summary()

    def lineage(self, run: StageRun, summary: dict[str, Any]) -> OperatorLineage:
        from smartops.config.catalog import catalog
        from smartops.operators.lineage import Database, scenario_lineage

        return scenario_lineage(catalog().scenarios.get(self.scenario_id), warehouse=Database.of(run.warehouse))
