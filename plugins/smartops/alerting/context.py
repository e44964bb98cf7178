"""The alert context: what one callback, watchdog run or stage run raises alerts with.

Built once per run by `smartops.alerting.service.open_context` (alerting.yaml and the inventory
guarded once) and passed explicitly to everything of the alert path: no getter opens warehouse
connections behind the caller's back.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import Inventory


@dataclass(frozen=True)
class AlertContext:
    """The warehouse the backlog lives in, and the alerting config and inventory to route and describe with."""

    warehouse: str
    config: AlertingConfig
    inventory: Inventory | None = None

    def owner_of(self, table: str) -> str | None:
        """The inventory owner of a table (`layer.name` or a bare name), if the table is in the inventory."""
        entry = self.inventory.entry_of(table) if self.inventory else None
        return entry.owner if entry else None
