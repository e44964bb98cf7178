"""Alerting and the optimization backlog: one alert path for every stage.

    context = open_context(warehouse)                 alerting.yaml and the inventory, guarded once
    raise_alert(context, Alert(...))                  record, count, route, suppress, deliver
    resolve(context, stage=, targets=[...])           close the items that pass again
    (the task callbacks that call these live in smartops.operators.callbacks)
"""

from smartops.alerting.context import AlertContext
from smartops.alerting.models import Alert, AlertOutcome, Category, Decision, ItemStatus
from smartops.alerting.service import open_context, raise_alert, resolve

__all__ = ["Alert", "AlertContext", "AlertOutcome", "Category", "Decision", "ItemStatus", "open_context",
           "raise_alert", "resolve"]
