"""一级协同: which backlog items Level-1 caused, by rule, and which Level-1 team answers for them.

An item is upstream when its table names a `level1_owner` in the inventory and the problem is one
Level-1 causes: the rows it sent broke a check on ods (dirty rows), its table or columns changed or
went missing, its keys repeat, a reconciliation gap on a table whose hard deletes nobody detects, a
closed period that changed, data that stopped or arrived short (the pulse), a cursor in the future
or NULL. Everything else — our SQL, our warehouse, our marts — stays ours. An upstream item opens
awaiting Level-1 (its own clock); triage can take it back (`resume`) or hand it again.
"""

from __future__ import annotations

from smartops.alerting.models import Alert
from smartops.config.inventory import BackflowTable, DeleteDetection, Inventory
from smartops.inventory.model import CheckName
from smartops.vocabulary import Layer

# Error classes of a failed sync whose cause is Level-1's table (smartops.backflow.exceptions).
LEVEL1_ERRORS = frozenset({"SchemaDriftError", "DuplicateKeys", "SourceTableMissing", "CursorColumnMissing",
                           "ColumnMissing"})
# Without delete detection a reconciliation gap is most likely rows hard-deleted at Level-1.
UNDETECTED_DELETES_ERROR = "ReconciliationMismatch"
# Live inventory checks that find Level-1's data wrong (not the entry).
LEVEL1_FINDINGS = frozenset({CheckName.KEY_UNIQUE, CheckName.CURSOR_NOT_FUTURE, CheckName.CURSOR_NOT_NULL})

BACKFLOW_STAGE = "backflow_sync"
QUALITY_STAGE = "quality_scan"
PULSE_STAGE = "data_pulse"
INVENTORY_STAGE = "inventory_check"


def level1_owner(alert: Alert, inventory: Inventory | None) -> str | None:
    """The Level-1 team the alert's cause belongs to; None when the cause is ours or the table names no owner."""
    table = inventory.entry_of(alert.object) if inventory else None
    if table is None or table.level1_owner is None:
        return None
    return table.level1_owner if caused_upstream(alert, table) else None


def caused_upstream(alert: Alert, table: BackflowTable) -> bool:
    """True when the rules say Level-1 caused `alert` about `table`."""
    if alert.stage == BACKFLOW_STAGE:
        return alert.check in LEVEL1_ERRORS or (alert.check == UNDETECTED_DELETES_ERROR
                                                and table.delete_detection is DeleteDetection.NONE)
    if alert.stage == QUALITY_STAGE:
        return alert.object.startswith(f"{Layer.ODS.value}.")  # ods holds the rows as Level-1 sent them
    if alert.stage == PULSE_STAGE:
        return True  # closed-period changes, stopped or short days, columns Level-1 added
    if alert.stage == INVENTORY_STAGE:
        return alert.check in LEVEL1_FINDINGS
    return False
