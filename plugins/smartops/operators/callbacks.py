"""Callbacks: task failures raise alerts, successes resolve them, missed deadlines raise alerts.

    default_args={"on_failure_callback": task_failure_alert, "on_success_callback": task_success_resolve}
    DAG(deadline=DeadlineAlert(..., callback=AsyncCallback(deadline_missed)))  (via dag_defaults)

The error is classified by its taxonomy attributes (smartops.errors.classify), never by importing
the stages' exception classes. Callbacks can be missed (a killed task fires none), so the watchdog
also looks for failed tasks without an alert event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import psycopg

from smartops.alerting.airflow_api import ui_base_url
from smartops.alerting.context import AlertContext
from smartops.alerting.links import run_links
from smartops.alerting.models import Alert, AlertOutcome
from smartops.alerting.service import open_context, raise_alert, resolve
from smartops.alerting.spool import offline_config, send_and_spool
from smartops.business_date import BUSINESS_TZ, resolve_business_date, run_time
from smartops.errors import cause_chain, classify
from smartops.notify import words
from smartops.vocabulary import Category, Severity
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo, describe

if TYPE_CHECKING:
    from airflow.sdk import Context

log = logging.getLogger(__name__)

DEFAULT_TASK_SEVERITY = Severity.HIGH


def failure_alerts(context: Context, alert_context: AlertContext) -> list[Alert]:
    """The alerts of a failed task: one, or one per failed item when the error lists them (a batch of tables).

    None when the stage already raised one alert per problem (a quality scan's failed checks): the
    task's failure is those items, not one more.
    """
    error = context.get("exception")
    error = error if isinstance(error, BaseException) else None
    if any(getattr(exc, "alerted", False) for exc in cause_chain(error)):
        return []
    per_item = next((exc.failures for exc in cause_chain(error) if getattr(exc, "failures", None)), None)
    if not per_item:
        return [failure_alert(context, alert_context, context["ti"].task_id, error)]
    return [failure_alert(context, alert_context, item, item_error) for item, item_error in per_item.items()]


def failure_alert(context: Context, alert_context: AlertContext, item: str, error: BaseException | None) -> Alert:
    """Build the alert of one failed item (the task, or a table of its batch); severity from the inventory."""
    ti = context["ti"]
    config, inventory = alert_context.config, alert_context.inventory
    category, error_class = classify(error)
    table = inventory.by_name.get(item) if inventory else None
    run_url, task_url = run_links(config.base_url, ti.dag_id, ti.run_id, ti.task_id)
    return Alert(
        stage=ti.dag_id, object=item, check=error_class, category=category,
        severity=table.severity if table else DEFAULT_TASK_SEVERITY,
        title=words.stage_text("task_failed", config.language, item=item, error_class=error_class).title,
        details=str(error or ""), owner=getattr(context.get("task"), "owner", None),
        dag_id=ti.dag_id, run_id=ti.run_id, task_id=ti.task_id, try_number=getattr(ti, "try_number", None),
        run_url=run_url, task_url=task_url, business_date=_business_date(context),
    )


def _business_date(context: Context) -> date | None:
    """The business date the failed or succeeded run stands for (None if the context has no run)."""
    try:
        return resolve_business_date(None, run_time(context))
    except (KeyError, AttributeError):
        return None


def task_failure_alert(context: Context) -> list[AlertOutcome]:
    """on_failure_callback: raise the classified alert(s) of the failed task through raise_alert.

    A batch task's failure raises one alert per failed table, as separate tasks would. A broken
    alerting.yaml or inventory does not stop it: the last known good copies are used (and the
    broken file is alerted too).
    """
    return _raise_or_spool(lambda alert_context: failure_alerts(context, alert_context))


def _raise_or_spool(alerts_of: Callable[[AlertContext], list[Alert]]) -> list[AlertOutcome]:
    """Raise the alerts through the alert path; when the warehouse is down, send them directly and spool them."""
    warehouse = conninfo(WAREHOUSE_CONN_ID)
    try:
        alert_context = open_context(warehouse, base_url=ui_base_url())
    except psycopg.OperationalError as exc:  # nobody would be told: send directly, keep it for the backlog
        offline = AlertContext(warehouse, offline_config().with_base_url(ui_base_url()))
        reason = f"warehouse {describe(warehouse)} unreachable ({type(exc).__name__})"
        send_and_spool(alerts_of(offline), offline.config, reason)
        return []
    return [raise_alert(alert_context, alert) for alert in alerts_of(alert_context)]


async def deadline_missed(context: dict[str, Any]) -> str:
    """A Deadline Alert's callback (run by the triggerer): raise the late run's alert through the alert path.

    Airflow marks the run in the grid itself; this makes the miss reach people and the backlog. A run
    created after its deadline (the scheduler was down, or first started, past it) could not have met it:
    that is the watchdog's missed_run, not a late run, so it is only logged. The alert path blocks
    (database, HTTP), so it runs in a thread beside the triggerer's event loop.
    """
    run, deadline_time = context["dag_run"], _as_datetime(context["deadline"]["deadline_time"])
    if run.get("queued_at") and _as_datetime(run["queued_at"]) >= deadline_time:
        log.info("%s run %s was queued after its deadline %s: not alerted", run["dag_id"], run["dag_run_id"],
                 deadline_time.isoformat())
        return "queued after its deadline"
    outcomes = await asyncio.to_thread(_raise_or_spool, lambda alert_context: [deadline_alert(context, alert_context)])
    return ", ".join(f"item {o.item_id}: {o.decision.value}" for o in outcomes) or "sent directly and spooled"


def deadline_alert(context: dict[str, Any], alert_context: AlertContext) -> Alert:
    """The alert of a run that missed its deadline: one item per DAG (stage = object = the DAG), high severity."""
    run, deadline = context["dag_run"], context["deadline"]
    dag_id, run_id = run["dag_id"], run["dag_run_id"]
    deadline_time = _as_datetime(deadline["deadline_time"])
    config = alert_context.config
    text = words.stage_text("deadline_missed", config.language, dag_id=dag_id, run_id=run_id,
                            deadline=deadline_time.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M"))
    run_url, _ = run_links(config.base_url, dag_id, run_id)
    run_after = _as_datetime(run.get("logical_date") or run["run_after"])
    return Alert(stage=dag_id, object=dag_id, check="deadline_missed", category=Category.FRESHNESS,
                 severity=Severity.HIGH, title=text.title, hint=text.hint,
                 details=f"run {run_id} ({run.get('run_type')}) state {run.get('state')} at its deadline",
                 dag_id=dag_id, run_id=run_id, run_url=run_url,
                 business_date=resolve_business_date(None, run_after))


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def task_success_resolve(context: Context) -> list[int]:
    """on_success_callback: resolve the items this task's failures opened (`<dag>:<item>:<error>`), per item
    for a task serving several (a batch of tables) — in one transaction whatever the batch's size."""
    ti = context["ti"]
    items = getattr(context.get("task"), "items", None) or []
    objects = [ti.task_id, *items] if len(items) > 1 else [ti.task_id]  # a batch: the task and each table
    alert_context = open_context(conninfo(WAREHOUSE_CONN_ID), base_url=ui_base_url())
    return resolve(alert_context, stage=ti.dag_id, targets=objects,
                   note=f"task {ti.task_id} succeeded in run {ti.run_id}", business_date=_business_date(context))
