"""
### scenario_refresh — 场景应用: publish the scenario marts in `ads`, gated by quality

Builds every scenario of `include/config/scenarios.yaml` (SQL in `include/sql/ads/`), one task
per scenario. Each task asks the quality gate about its inputs for the business date; if the gate
refuses, the task is **skipped**, the reason goes to `ops.scenario_refresh` and a `scenario` alert,
and the previous mart stays published. Otherwise the mart is built in a staging schema
(`ads__<scenario>`), checked with `include/soda/ads/<table>.yml`, and swapped into `ads` in one
transaction: dashboards see the old mart or the new one, never a partial one.

**Owner:** scenario-team · **Schedule:** on every `ops.quality_result` event from `quality_scan` ·
**Emits:** `ads.<table>` assets for each published scenario (rows and duration in `extra`).

**Manual trigger:** choose *scenarios* (empty = all), a *business date* (default: the scanned
date, else the day before the run), and *skip gate* only to republish after a known-good scan.

#### Triage (on call)
- *Skipped task?* The gate refused: `SELECT * FROM ops.scenario_latest` shows the reason (failed
  checks per input table). Fix the data upstream, re-run `quality_scan`, then clear the task.
  Which marts a broken table affects: `python -m smartops impact <layer.table>`.
- **MartChecksFailed** — the new mart failed its own checks and was not published; the log lists
  the failed checks. Inspect the inputs or the SQL, then re-run.
- **MartBuildError** — the scenario's SQL failed (log quotes the database error and the file).
- **WarehouseUnreachable** — connection refused or lock timeout; retries by itself.
- *Deadline missed* (grid marks the run; a `deadline_missed` item): the run was not done within
  alerting.yaml `deadlines.marts_within` of being queued — look for the task that is stuck or queued.
- Re-running is always safe: a refresh rebuilds the whole mart and publishes it atomically.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, Param

from smartops.assets import RESULTS_ASSET
from smartops.config.catalog import catalog
from smartops.operators.dag_defaults import (
    START_DATE,
    Tag,
    business_date_param,
    deadline_policy,
    deadline_within,
    default_args,
    override_params,
)
from smartops.operators.scenarios import ScenarioRefreshOperator

registry = catalog().scenarios

with DAG(
    dag_id="scenario_refresh",
    description="场景应用: gated, checked, atomic refresh of the ads scenario marts",
    doc_md=__doc__,
    schedule=[RESULTS_ASSET],
    deadline=deadline_within(deadline_policy().marts_within),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.SCENARIO, Tag.ADS],
    default_args=default_args("scenario-team", execution_timeout=timedelta(hours=1)),
    params={
        "scenarios": Param([], type="array", items={"type": "string", "enum": list(registry.by_id)},
                           title="Scenarios", description="Scenarios to refresh; empty means all."),
        **business_date_param(meaning="the newest date its inputs carry, else the day before the run"),
        "skip_gate": Param(False, type="boolean", title="Skip gate",
                           description="Publish without asking the quality gate (the mart checks still run); "
                                       "needs a reason, audited."),
        **override_params(),
    },
) as dag:
    for scenario in registry.scenarios:
        ScenarioRefreshOperator(task_id=scenario.id, scenario_id=scenario.id, publishes=scenario.publishes,
                                doc_md=f"{scenario.title}: {scenario.description}")
