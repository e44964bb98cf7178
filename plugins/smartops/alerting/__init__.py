"""Alerting and the optimization backlog: one alert path for every stage.

    raise_alert(warehouse, Alert(...))            record, count, route, suppress, deliver
    resolve_passing(warehouse, stage=, object=, check=)   close items that pass again
    (the task callbacks that call these live in smartops.operators.callbacks)
"""

from smartops.alerting.models import Alert, AlertOutcome, Category, Decision, ItemStatus
from smartops.alerting.service import raise_alert, resolve_passing

__all__ = ["Alert", "AlertOutcome", "Category", "Decision", "ItemStatus", "raise_alert", "resolve_passing"]
