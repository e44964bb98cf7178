"""ScenarioRefreshOperator: one scenario mart's gated, checked, atomic refresh as an Airflow task."""

from __future__ import annotations

from datetime import date
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from smartops.assets import table_asset
from smartops.warehouse.connections import WAREHOUSE_CONN_ID

STAGE = "scenario_refresh"


def scenario_assets(publishes: list[str]) -> list:
    """The ads table assets a scenario emits when it publishes."""
    return [table_asset(*qualified.split(".")) for qualified in publishes]


class ScenarioRefreshOperator(BaseOperator):
    """Refresh scenario `scenario_id` for the run's business date and emit its ads assets.

    The business date is the `business_date` param, else the one the triggering quality scan
    carries, else the day before the run (Asia/Shanghai). The task is skipped (not failed) when
    the run's `scenarios` param leaves this scenario out, or when the quality gate refuses its
    inputs — then the reason is logged, stored in ops.scenario_refresh and raised as a `scenario`
    alert, and the published mart stays in place. Failed SQL or mart checks fail without retry.
    """

    ui_color = "#e8e1f5"

    def __init__(self, *, scenario_id: str, publishes: list[str], warehouse_conn_id: str = WAREHOUSE_CONN_ID,
                 **kwargs: Any) -> None:
        kwargs.setdefault("outlets", scenario_assets(publishes))
        super().__init__(**kwargs)
        self.scenario_id = scenario_id
        self.publishes = publishes
        self.warehouse_conn_id = warehouse_conn_id

    def execute(self, context: Any) -> dict:
        from smartops.business_date import (
            InvalidBusinessDate,
            resolve_business_date,
            run_time,
            triggering_business_date,
        )
        from smartops.scenarios.exceptions import MartBuildError, MartChecksFailed
        from smartops.scenarios.refresh import Status, refresh_scenario
        from smartops.scenarios.registry import load_scenarios
        from smartops.warehouse.connections import conninfo

        params = context["params"]
        chosen = params.get("scenarios") or []
        if chosen and self.scenario_id not in chosen:
            raise AirflowSkipException(f"scenario {self.scenario_id} was not chosen in this run ({', '.join(chosen)})")
        scenario = load_scenarios().get(self.scenario_id)
        warehouse = conninfo(self.warehouse_conn_id)
        try:
            business_date = resolve_business_date(params.get("business_date") or triggering_business_date(context),
                                                  run_time(context))
            result = refresh_scenario(scenario, warehouse=warehouse, business_date=business_date,
                                      run_id=context["run_id"], gate=not params.get("skip_gate", False))
        except (InvalidBusinessDate, MartBuildError, MartChecksFailed) as exc:
            # A bad date, bad SQL or a mart failing its checks: retrying cannot help.
            raise AirflowFailException(str(exc)) from exc
        if result.status is Status.SKIPPED:
            _raise_skip_alert(warehouse, scenario, result.reason or "", business_date, context)
            raise AirflowSkipException(f"scenario {scenario.id}: quality gate refused, the published mart stays: "
                                       f"{result.reason}")
        from smartops.alerting import resolve_passing

        resolve_passing(warehouse, stage=STAGE, object=scenario.id, check="quality_gate",
                        business_date=business_date)
        summary = result.summary()
        for asset in scenario_assets(scenario.publishes):
            context["outlet_events"][asset].extra = summary
        return summary


def _raise_skip_alert(warehouse: str, scenario: Any, reason: str, business_date: date, context: Any) -> None:
    """Raise the `scenario` alert of a refresh the gate refused (one alert path: smartops.alerting)."""
    from smartops.alerting import Alert, Category, raise_alert

    ti = context["ti"]
    raise_alert(warehouse, Alert(
        stage=STAGE, object=scenario.id, check="quality_gate", category=Category.SCENARIO,
        severity=scenario.severity, owner=scenario.owner, scenarios=(scenario.id,),
        title=f"{scenario.title_zh} ({scenario.id}) not refreshed: inputs failed the quality gate",
        details=reason, hint="The previous mart is still published. Fix the failing input checks, re-run "
                             "quality_scan, then clear this task.",
        dag_id=ti.dag_id, run_id=ti.run_id, task_id=ti.task_id, business_date=business_date))

