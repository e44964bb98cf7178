"""
### aggregation — 数据汇聚: ods → dwd unified data view → dws subject aggregates

Builds every model of `include/config/models.yaml` (SQL in `include/sql/dwd/`, `include/sql/dws/`),
one task per model, in the order of the models' declared inputs. Dimension models are rebuilt in
full into `<table>__build` and swapped in atomically; fact models with an incremental scope
(dwd.reject's ledger checks, dwd.voucher_line, dws.gl_balance) delete and re-insert the keys
changed since their last build in one transaction, and rebuild in full on *Full rebuild*, a
changed model SQL, a rewind or changed master data (ops.model_run.mode / reason say which and
why); `dwd.reject` lists every ods row kept out of the facts with its rule and reason (rules:
`docs/cleaning_rules.md`).

**Owner:** finance-data · **Schedule:** when *all* ods tables the models read have new data
(one event each from `backflow_sync`), so the models always see one complete daily load ·
**Emits:** `dwd.<table>` / `dws.<table>` assets with the row count in `extra`.

**Manual trigger:** optionally set *business date* (YYYY-MM-DD, not in the future); empty means
the day before the run (Asia/Shanghai). Documents dated after it are left out; overdue days and
cash balances are computed as of it.

#### Triage (on call)
- *Did not run today?* A `backflow_sync` table failed, so not every input asset updated: fix and
  re-run that table, or trigger this DAG by hand.
- **ModelBuildError** — the model's SQL failed (log quotes the database error and the file); the
  previous table is still published. A "cannot drop … other objects depend on it" error means
  someone created a view on the table: move it into a model.
- **WarehouseUnreachable** — connection refused or lock timeout; retries by itself. Check PostgreSQL
  and the `level2_warehouse` connection.
- **InvalidBusinessDate** — fix the trigger form's date. Every re-run is safe (atomic, idempotent).
- *Numbers look stale or wrong after a manual fix in ods?* Trigger with **Full rebuild** on.
- History: `ops.model_run` (rows, duration, errors per model); rejects: `dwd.reject`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, AssetAll, Param, TaskGroup

from smartops.assets import table_asset
from smartops.config.catalog import catalog
from smartops.config.models import LAYERS
from smartops.operators.aggregation import FULL_REBUILD_PARAM, ModelBuildOperator
from smartops.operators.dag_defaults import START_DATE, Tag, business_date_param, default_args, override_params

registry = catalog().models

with DAG(
    dag_id="aggregation",
    description="数据汇聚: rebuild the dwd unified data view and dws aggregates from ods",
    doc_md=__doc__,
    schedule=AssetAll(*(table_asset("ods", table) for table in registry.ods_inputs)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.AGGREGATION, Tag.DWD, Tag.DWS],
    default_args=default_args("finance-data", execution_timeout=timedelta(hours=1)),
    params={
        **business_date_param(),
        FULL_REBUILD_PARAM: Param(False, type="boolean", title="Full rebuild",
                                  description="Rebuild every model from all of ods (backfills, model fixes); "
                                              "off = fact models are updated from the changes since their last build."),
        **override_params(),
    },
) as dag:
    groups = {layer: TaskGroup(group_id=layer) for layer in LAYERS}
    tasks = {}
    for model in registry.ordered:
        with groups[model.layer]:
            tasks[model.name] = ModelBuildOperator(task_id=model.table, model_name=model.name,
                                                   doc_md=model.description)
    for model in registry.models:
        for upstream in registry.upstream_models(model.name):
            tasks[upstream] >> tasks[model.name]
