"""Task callbacks for every DAG's default_args: failures raise alerts, successes resolve them.

    default_args={"on_failure_callback": task_failure_alert, "on_success_callback": task_success_resolve}

The error is classified by its taxonomy attributes (smartops.errors.classify), never by importing
the stages' exception classes. Callbacks can be missed (a killed task fires none), so the watchdog
also looks for failed tasks without an alert event.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from smartops.alerting.links import run_links
from smartops.alerting.models import Alert, AlertOutcome
from smartops.alerting.service import current_config, current_inventory, raise_alert, resolve_passing
from smartops.business_date import resolve_business_date, run_time
from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import Inventory
from smartops.errors import cause_chain, classify
from smartops.vocabulary import Severity
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo

log = logging.getLogger(__name__)

DEFAULT_TASK_SEVERITY = Severity.HIGH


def failure_alerts(context: Any, config: AlertingConfig, inventory: Inventory | None) -> list[Alert]:
    """The alerts of a failed task: one, or one per failed item when the error lists them (a batch of tables)."""
    error = context.get("exception")
    error = error if isinstance(error, BaseException) else None
    per_item = next((exc.failures for exc in cause_chain(error) if getattr(exc, "failures", None)), None)
    if not per_item:
        return [failure_alert(context, config, inventory, context["ti"].task_id, error)]
    return [failure_alert(context, config, inventory, item, item_error) for item, item_error in per_item.items()]


def failure_alert(context: Any, config: AlertingConfig, inventory: Inventory | None, item: str,
                  error: BaseException | None) -> Alert:
    """Build the alert of one failed item (the task, or a table of its batch); severity from the inventory."""
    ti = context["ti"]
    category, error_class = classify(error)
    table = inventory.by_name.get(item) if inventory else None
    run_url, task_url = run_links(config.airflow_base_url, ti.dag_id, ti.run_id, ti.task_id)
    words = {"zh": "任务失败", "en": "task failed"}[config.language.value]
    return Alert(
        stage=ti.dag_id, object=item, check=error_class, category=category,
        severity=table.severity if table else DEFAULT_TASK_SEVERITY,
        title=f"{item} {words}: {error_class}",
        details=str(error or ""), owner=getattr(context.get("task"), "owner", None),
        dag_id=ti.dag_id, run_id=ti.run_id, task_id=ti.task_id, run_url=run_url, task_url=task_url,
        business_date=_business_date(context),
    )


def _business_date(context: Any) -> date | None:
    """The business date the failed or succeeded run stands for (None if the context has no run)."""
    try:
        return resolve_business_date(None, run_time(context))
    except (KeyError, AttributeError):
        return None


def task_failure_alert(context: Any) -> list[AlertOutcome]:
    """on_failure_callback: raise the classified alert(s) of the failed task through raise_alert.

    A batch task's failure raises one alert per failed table, as separate tasks would. A broken
    alerting.yaml or inventory does not stop it: the last known good copies are used (and the
    broken file is alerted too).
    """
    warehouse = conninfo(WAREHOUSE_CONN_ID)
    config = current_config(warehouse)
    inventory = current_inventory(warehouse, config)
    return [raise_alert(warehouse, alert, config=config) for alert in failure_alerts(context, config, inventory)]


def task_success_resolve(context: Any) -> list[int]:
    """on_success_callback: resolve the items this task's failures opened (`<dag>:<item>:<error>`), per item
    for a task serving several (a batch of tables)."""
    ti = context["ti"]
    items = getattr(context.get("task"), "items", None) or []
    objects = [ti.task_id, *items] if len(items) > 1 else [ti.task_id]  # a batch: the task and each table
    warehouse = conninfo(WAREHOUSE_CONN_ID)
    return [resolved for item in objects
            for resolved in resolve_passing(warehouse, stage=ti.dag_id, object=item,
                                            note=f"task {ti.task_id} succeeded in run {ti.run_id}",
                                            business_date=_business_date(context))]
