"""Turn the inventory's live health into backlog items: each amber or red finding raises, a green one resolves.

One item per entry and check (`inventory_check:<table>:<check>`), fixed either in the inventory (category
config) or at Level-1 / in the sync (category sync). Red is high: the next sync of the table is likely to
fail or read wrong; amber is a low notice (an unindexed cursor costs Level-1 a scan every night).
"""

from __future__ import annotations

from smartops.alerting.context import AlertContext
from smartops.alerting.models import Alert
from smartops.alerting.service import deliver_pending, raise_alert, resolve
from smartops.inventory.model import EntryHealth, HealthStatus
from smartops.notify import words
from smartops.vocabulary import Severity

STAGE = "inventory_check"
SEVERITY = {HealthStatus.RED: Severity.HIGH, HealthStatus.AMBER: Severity.LOW}


def alert_inventory_health(context: AlertContext, results: list[EntryHealth], *, run_id: str | None = None,
                           dag_id: str | None = None) -> int:
    """Raise the entries' amber and red findings, resolve their green ones; return how many were raised."""
    raised = 0
    for health in results:
        entry = context.inventory.by_name.get(health.table) if context.inventory else None
        for finding in health.problems:
            text = words.stage_text("inventory_finding", context.config.language, table=health.table,
                                    check=finding.check.value, status=finding.status.value)
            raise_alert(context, Alert(
                stage=STAGE, object=health.table, check=finding.check.value, category=finding.category,
                severity=SEVERITY[finding.status], owner=entry.owner if entry else None, title=text.title,
                hint=text.hint, details=finding.reason, dag_id=dag_id, run_id=run_id), deliver=False)
            raised += 1
    cleared = [(h.table, f.check.value) for h in results for f in h.findings if f.status is HealthStatus.GREEN]
    resolve(context, stage=STAGE, targets=cleared, note="the inventory check passes again")
    deliver_pending(context)
    return raised
