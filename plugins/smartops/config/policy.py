"""The quality policy (`include/soda/policy.yaml`): table severities and which of them block a run."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.config.inventory import Inventory
from smartops.fields import Duration, QualifiedName
from smartops.paths import SODA_DIR
from smartops.vocabulary import Severity

POLICY_PATH = SODA_DIR / "policy.yaml"
# How often a table's checks read the whole table instead of its build's changes (smartops.quality.scope):
# daily (the first scan of each business date), weekly (every seventh business date) or "every N scans".
FULL_SCAN_PATTERN = r"^(daily|weekly|every [1-9][0-9]* scans?)$"


class TablePolicy(BaseModel):
    """Severity (and freshness SLA) of one table outside the backflow inventory."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: QualifiedName
    severity: Severity
    freshness_sla: Duration | None = None
    full_scan: str | None = Field(default=None, pattern=FULL_SCAN_PATTERN)


class QualityPolicy(BaseModel):
    """Which severities make a `fail` stop the run, and the severities of dwd/dws/ads tables.

    ods tables take severity and freshness SLA from the backflow inventory unless listed here.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    blocking: list[Severity] = Field(min_length=1)
    default_severity: Severity
    full_scan: str = Field(default="weekly", pattern=FULL_SCAN_PATTERN)
    tables: list[TablePolicy] = []

    @model_validator(mode="after")
    def _unique_names(self) -> QualityPolicy:
        names = [t.name for t in self.tables]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"field 'tables': duplicate table name(s) {', '.join(duplicates)}")
        return self

    @cached_property
    def by_name(self) -> dict[str, TablePolicy]:
        return {t.name: t for t in self.tables}

    def severity(self, qualified: str, inventory: Inventory) -> Severity:
        """Return the table's severity: policy entry, else inventory (ods), else the default."""
        layer, table = qualified.split(".", 1)
        if qualified in self.by_name:
            return self.by_name[qualified].severity
        if layer == "ods" and table in inventory.by_name:
            return inventory.by_name[table].severity
        return self.default_severity

    def freshness_sla(self, qualified: str, inventory: Inventory) -> str | None:
        """Return the table's freshness SLA (e.g. '6h'): policy entry, else inventory (ods)."""
        layer, table = qualified.split(".", 1)
        entry = self.by_name.get(qualified)
        if entry and entry.freshness_sla:
            return entry.freshness_sla
        if layer == "ods" and table in inventory.by_name:
            return inventory.by_name[table].freshness_sla
        return None

    def is_blocking(self, severity: Severity) -> bool:
        return severity in self.blocking

    def full_scan_cadence(self, qualified: str) -> timedelta | int:
        """Business dates between whole-table scans of the table, or (every N scans) the scan count."""
        entry = self.by_name.get(qualified)
        cadence = entry.full_scan if entry and entry.full_scan else self.full_scan
        if cadence.startswith("every"):
            return int(cadence.split()[1])
        return timedelta(days=7 if cadence == "weekly" else 1)
