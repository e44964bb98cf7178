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
from smartops.errors import classify
from smartops.vocabulary import Severity
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo

log = logging.getLogger(__name__)

DEFAULT_TASK_SEVERITY = Severity.HIGH


def failure_alert(context: Any, config: AlertingConfig, inventory: Inventory | None) -> Alert:
    """Build the alert of a failed task from its Airflow context (severity from the inventory for sync tasks)."""
    ti = context["ti"]
    error = context.get("exception")
    category, error_class = classify(error if isinstance(error, BaseException) else None)
    table = inventory.by_name.get(ti.task_id) if inventory else None
    run_url, task_url = run_links(config.airflow_base_url, ti.dag_id, ti.run_id, ti.task_id)
    words = {"zh": "任务失败", "en": "task failed"}[config.language.value]
    return Alert(
        stage=ti.dag_id, object=ti.task_id, check=error_class, category=category,
        severity=table.severity if table else DEFAULT_TASK_SEVERITY,
        title=f"{ti.task_id} {words}: {error_class}",
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


def task_failure_alert(context: Any) -> AlertOutcome:
    """on_failure_callback: raise the classified alert of the failed task through raise_alert.

    A broken alerting.yaml or inventory does not stop it: the last known good copies are used
    (and the broken file is alerted too).
    """
    warehouse = conninfo(WAREHOUSE_CONN_ID)
    config = current_config(warehouse)
    inventory = current_inventory(warehouse, config)
    return raise_alert(warehouse, failure_alert(context, config, inventory), config=config)


def task_success_resolve(context: Any) -> list[int]:
    """on_success_callback: resolve the items this task's failures opened (`<dag>:<task>:<error>`)."""
    ti = context["ti"]
    return resolve_passing(conninfo(WAREHOUSE_CONN_ID), stage=ti.dag_id, object=ti.task_id,
                           note=f"task succeeded in run {ti.run_id}", business_date=_business_date(context))
