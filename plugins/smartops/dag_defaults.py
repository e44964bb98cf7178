"""The default_args every DAG of the project starts from: owner, retries, and the alert route."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from smartops.alerting.callbacks import task_failure_alert, task_success_resolve


def default_args(owner: str, *, retries: int = 2, retry_delay: timedelta = timedelta(minutes=5),
                 **overrides: Any) -> dict[str, Any]:
    """Return default_args with the house alert route: failures alert, successes resolve their items.

    Keyword overrides (pool, execution_timeout, …) are added as given.
    """
    return {
        "owner": owner,
        "retries": retries,
        "retry_delay": retry_delay,
        "on_failure_callback": task_failure_alert,
        "on_success_callback": task_success_resolve,
        **overrides,
    }
