"""The backflow table inventory (数据回流表清单): which Level-1 tables are copied into ods, and how."""

from __future__ import annotations

import os
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.config.loader import UnknownEntry, load_model
from smartops.config.pulse import PulsePolicy
from smartops.fields import Duration, Identifier, QualifiedName, parse_duration
from smartops.paths import CONFIG_DIR
from smartops.vocabulary import Severity

INVENTORY_PATH = CONFIG_DIR / "backflow_tables.yaml"
# Points at another inventory (the scale benchmark's generated one, a staging list); read at call time.
INVENTORY_PATH_ENV = "SMARTOPS_INVENTORY_PATH"


def inventory_path() -> Path:
    """The inventory in use: $SMARTOPS_INVENTORY_PATH if set, else include/config/backflow_tables.yaml."""
    return Path(os.environ.get(INVENTORY_PATH_ENV) or INVENTORY_PATH)


# Suffixes of the sync's own working tables (ods.<name>__loading, the models' <name>__build).
RESERVED_SUFFIXES = ("__loading", "__build")
# How far behind its watermark an incremental run may re-read (README: "lookback").
LOOKBACK_MIN, LOOKBACK_MAX = timedelta(minutes=1), timedelta(days=31)


class SyncMode(StrEnum):
    INCREMENTAL = "incremental"
    FULL = "full"


class DeleteDetection(StrEnum):
    NONE = "none"
    KEY_COMPARE = "key_compare"


class SchemaDriftPolicy(StrEnum):
    ADD_COLUMNS = "add_columns"
    FAIL = "fail"


class BackflowTable(BaseModel):
    """One Level-1 table copied into `ods.<name>`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Identifier
    source: QualifiedName
    primary_key: list[Identifier] = Field(min_length=1)
    # Required for incremental tables; a full table without one takes its load time as watermark.
    cursor: Identifier | None = None
    mode: SyncMode = SyncMode.INCREMENTAL
    delete_detection: DeleteDetection = DeleteDetection.NONE
    schema_drift: SchemaDriftPolicy = SchemaDriftPolicy.ADD_COLUMNS
    # Re-read this far behind the watermark to catch rows committed late with older cursors.
    lookback: Duration = "2h"
    # Columns whose sums are reconciled between Level-1 and ods after each load.
    amount_columns: list[Identifier] = []
    # Every run reconciles the rows of its window; the whole table (and key_compare's deletions) on
    # this cadence: daily (the first sync of each business date: the nightly run), weekly, or "every N runs".
    full_reconcile: str = Field(default="daily", pattern=r"^(daily|weekly|every [1-9][0-9]* runs?)$")
    # Small tables sharing a batch name sync in one task (`batch_<name>`), one after the other, each in
    # its own transaction with its own ledger row: a task's start-up costs more than a small table's sync.
    batch: Identifier | None = None
    owner: str
    # The Level-1 team answering for the table's data (一级协同): problems caused upstream are theirs too.
    level1_owner: str | None = None
    severity: Severity
    freshness_sla: Duration
    # Columns never shown in full (samples, alerts, the report, the console): a bank account number, an id card.
    sensitive_columns: list[Identifier] = []
    # How the data's pulse judges the table (smartops.pulse): volume against comparable days, freshness.
    pulse: PulsePolicy = PulsePolicy()
    description: str = ""

    @model_validator(mode="after")
    def _names_and_bounds(self) -> BackflowTable:
        reserved = next((suffix for suffix in RESERVED_SUFFIXES if self.name.endswith(suffix)), None)
        if reserved:
            raise ValueError(f"name={self.name!r} ends in {reserved!r}, which the sync uses for the table it builds "
                             f"before swapping it in (a full load of {self.name[:-len(reserved)]!r} would drop it); "
                             "choose another name")
        lookback = parse_duration(self.lookback)
        if not LOOKBACK_MIN <= lookback <= LOOKBACK_MAX:
            raise ValueError(f"lookback={self.lookback!r} is outside {LOOKBACK_MIN} … {LOOKBACK_MAX}: it must re-read "
                             "rows committed late (at least a minute), and a longer window re-reads most of the table "
                             "every night (use mode: full, or full_reconcile, instead)")
        return self

    @model_validator(mode="after")
    def _cursor_for_incremental(self) -> BackflowTable:
        if self.cursor is None and self.mode is SyncMode.INCREMENTAL:
            raise ValueError("'cursor' is required for mode 'incremental' (the column whose increase marks a "
                             "change, e.g. updated_at); a table without one can be loaded with mode 'full'")
        return self

    @property
    def target(self) -> str:
        return f"ods.{self.name}"

    @property
    def source_schema(self) -> str:
        return self.source.split(".")[0]

    @property
    def source_table(self) -> str:
        return self.source.split(".")[1]

    @property
    def lookback_delta(self) -> timedelta:
        return parse_duration(self.lookback)

    @property
    def full_reconcile_cadence(self) -> timedelta | int:
        """Business dates between whole-table reconciliations, or (every N runs) the run count."""
        if self.full_reconcile.startswith("every"):
            return int(self.full_reconcile.split()[1])
        return timedelta(days=7 if self.full_reconcile == "weekly" else 1)

    @property
    def freshness_sla_delta(self) -> timedelta:
        return parse_duration(self.freshness_sla)


BATCH_TASK_PREFIX = "batch_"


class Inventory(BaseModel):
    """The whole inventory file: shared defaults merged into every table entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: dict[str, Any] = {}
    tables: list[BackflowTable] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("tables"), list):
            defaults = data.get("defaults") or {}
            if not isinstance(defaults, dict):
                raise ValueError("'defaults' must be a mapping of field: value")
            data = {**data, "tables": [
                {**defaults, **entry} if isinstance(entry, dict) else entry for entry in data["tables"]
            ]}
        return data

    @model_validator(mode="after")
    def _unique_names(self) -> Inventory:
        seen: set[str] = set()
        for index, table in enumerate(self.tables):
            if table.name in seen:
                raise ValueError(
                    f"entry {table.name!r} (#{index + 1}), field 'name': duplicate table name {table.name!r}"
                )
            seen.add(table.name)
        sources: dict[str, str] = {}
        for index, table in enumerate(self.tables):
            if table.source in sources:
                raise ValueError(f"entry {table.name!r} (#{index + 1}), field 'source': {table.source} is already "
                                 f"copied by entry {sources[table.source]!r}; a Level-1 table has one entry")
            sources[table.source] = table.name
        clash = seen & {f"{BATCH_TASK_PREFIX}{t.batch}" for t in self.tables if t.batch}
        if clash:
            raise ValueError(f"table name(s) {', '.join(sorted(clash))} clash with the task id of a batch: "
                             "rename the table entry or the batch")
        return self

    def sync_tasks(self) -> list[tuple[str, list[BackflowTable]]]:
        """backflow_sync's tasks in inventory order: (task id, its tables) — a table alone, or a batch."""
        tasks: dict[str, list[BackflowTable]] = {}
        for table in self.tables:
            tasks.setdefault(f"{BATCH_TASK_PREFIX}{table.batch}" if table.batch else table.name, []).append(table)
        return list(tasks.items())

    @cached_property
    def by_name(self) -> dict[str, BackflowTable]:
        return {t.name: t for t in self.tables}

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def entry_of(self, table: str) -> BackflowTable | None:
        """The entry of a warehouse table named `layer.name` (as alerts and checks name it) or bare, if any."""
        return self.by_name.get(table.rsplit(".", 1)[-1])

    def get(self, name: str) -> BackflowTable:
        """Return the entry for `name`, or raise UnknownEntry listing the valid names."""
        try:
            return self.by_name[name]
        except KeyError:
            raise UnknownEntry(
                f"table {name!r} is not in the backflow inventory {inventory_path().name}; "
                f"valid tables: {', '.join(self.names)}"
            ) from None


def load_inventory(path: Path | None = None) -> Inventory:
    """Load and validate the backflow inventory (default: `inventory_path()`); raise ConfigError naming file,
    entry and field."""
    return load_model(path or inventory_path(), Inventory, list_key="tables")
