"""Turn a stage's check results into alerts and auto-resolutions (quality scans, reconciliation, gates).

A stage calls `alert_check_results` after storing its results: `fail`/`error` raise an alert,
`warn` raises a quiet warning, `pass` resolves the item of the same check, so an item closes
by itself the first time its check passes again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from smartops.alerting.context import AlertContext
from smartops.alerting.models import Alert, Category
from smartops.alerting.service import deliver_pending, raise_alert, resolve
from smartops.notify import words
from smartops.vocabulary import Outcome, Severity


class CheckOutcome(Protocol):
    """What a check result must offer (smartops.quality.model.CheckResult does)."""

    table_name: str
    check_name: str
    outcome: str
    severity: Severity
    measured_value: float | None
    threshold: str | None
    message: str | None


def alert_check_results(
    context: AlertContext,
    results: Iterable[CheckOutcome],
    *,
    stage: str,
    category: Category = Category.QUALITY,
    owner: str | None = None,
    dag_id: str | None = None,
    run_id: str | None = None,
    task_id: str | None = None,
    run_url: str | None = None,
    business_date: date | None = None,
) -> Counter[str]:
    """Raise or resolve one backlog item per check (`stage:table:check`); return counts per outcome.

    The owner defaults to the inventory owner of the table (`<layer>.<name>` matched by name).
    The notifications of the whole batch are delivered at the end, so a burst folds into a digest.
    """
    results = list(results)
    language = context.config.language
    resolve(context, stage=stage, targets=[(r.table_name, r.check_name) for r in results if r.outcome == Outcome.PASS],
            note=f"check passed in run {run_id}", business_date=business_date)
    for result in (r for r in results if r.outcome != Outcome.PASS):
        outcome = str(result.outcome)
        measured = f"measured={result.measured_value:g}" if result.measured_value is not None else ""
        threshold = f"threshold: {result.threshold}" if result.threshold else ""
        title = words.stage_text("check", language, table=result.table_name, check=result.check_name,
                                 outcome=words.outcome(language, outcome)).title
        raise_alert(context, Alert(
            stage=stage, object=result.table_name, check=result.check_name, category=category,
            severity=result.severity, warning=outcome == "warn",
            owner=owner or context.owner_of(result.table_name), title=title,
            details=" · ".join(p for p in (measured, threshold, result.message or "") if p),
            dag_id=dag_id, run_id=run_id, task_id=task_id, run_url=run_url, business_date=business_date,
        ), deliver=False)
    deliver_pending(context)
    return Counter(str(r.outcome) for r in results)
