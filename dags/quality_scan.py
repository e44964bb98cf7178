"""
### quality_scan — 数据质量: SodaCL checks on ods, dwd and dws, stored as evidence

Runs the SodaCL checks of `include/soda/<layer>/<table>.yml` (Soda Core, telemetry off) against
`level2_warehouse`, brings in the backflow's Level-1 ↔ ods reconciliation, and stores every
result (pass / warn / fail / error, measured value, threshold, failed-row samples) in
`ops.quality_result`. The quality gate (`smartops.quality.gate.check_gate`) answers from there.

**Owner:** data-quality · **Schedule:** when all checked `dwd`/`dws` tables have been rebuilt by
`aggregation` · **Emits:** `ops.quality_result` with the outcome counts.

**Manual trigger:** one *layer*, or one *table* (`layer.table`), or both empty for ods + dwd + dws
(the `ads` marts are checked by `scenario_refresh` before publishing; pick layer `ads` to re-check
them); optional *business date* (default: the date aggregation built, else the day before the run).

#### Triage (on call)
- *Which check?* Each result is one log line `FAIL ods.gl_voucher: voucher debit equals credit | value=…`;
  failed-row samples: `SELECT * FROM ops.quality_latest WHERE outcome <> 'pass'`.
- **BlockingChecksFailed** — a `fail` on a critical/high table (severity: inventory or
  `include/soda/policy.yaml`). The data is wrong: raise it with the table owner (Level-1 for ods);
  the scenario gate refuses these tables until a re-run passes. Warnings never fail the run.
- **ScanErrored** — Soda could not run a check file (YAML, unknown column, SQL error): the log
  names the file; fix it and re-run for that table. An error is never counted as a pass.
- **WarehouseUnreachable** — PostgreSQL or the `level2_warehouse` connection; retries by itself.
- Re-running is safe: each run appends a new scan; the latest result per check counts.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, AssetAll, Param

from smartops.assets import table_asset
from smartops.config.models import LAYERS as MODEL_LAYERS
from smartops.operators.dag_defaults import START_DATE, Tag, business_date_param, default_args, override_params
from smartops.operators.quality import QualityScanOperator
from smartops.quality.checkfiles import discover, layers_of

check_files = discover()

with DAG(
    dag_id="quality_scan",
    description="数据质量: SodaCL checks + reconciliation into ops.quality_result; gate for the marts",
    doc_md=__doc__,
    schedule=AssetAll(*(table_asset(f.layer, f.table) for f in check_files if f.layer in MODEL_LAYERS)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.QUALITY, Tag.ODS, Tag.DWD, Tag.DWS],
    default_args=default_args("data-quality", execution_timeout=timedelta(hours=1)),
    params={
        "layer": Param(None, type=["null", "string"], enum=[None, *layers_of(check_files)], title="Layer",
                       description="Scan only this layer's tables; empty = ods, dwd and dws."),
        "table": Param(None, type=["null", "string"], enum=[None, *(f.qualified for f in check_files)],
                       title="Table", description="Scan only this table (layer.table); empty = all."),
        **business_date_param(meaning="the newest date its inputs carry, else the day before the run"),
        **override_params(),
    },
) as dag:
    QualityScanOperator(task_id="scan", doc_md="Soda scan of the chosen tables; results to ops.quality_result.")
