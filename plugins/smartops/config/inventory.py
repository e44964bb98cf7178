"""The backflow table inventory (数据回流表清单): which Level-1 tables are copied into ods, and how."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from smartops.config.loader import load_model
from smartops.paths import CONFIG_DIR

INVENTORY_PATH = CONFIG_DIR / "backflow_tables.yaml"

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class SyncMode(StrEnum):
    INCREMENTAL = "incremental"
    FULL = "full"


class DeleteDetection(StrEnum):
    NONE = "none"
    KEY_COMPARE = "key_compare"


class SchemaDriftPolicy(StrEnum):
    ADD_COLUMNS = "add_columns"
    FAIL = "fail"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def _identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise ValueError(
            f"{value!r} is not a plain SQL identifier (lower-case letters, digits, underscore; "
            "starting with a letter or underscore; at most 63 characters)"
        )
    return value


def _qualified(value: str) -> str:
    parts = value.split(".")
    if len(parts) != 2:
        raise ValueError(f"{value!r} must be schema.table, e.g. l1.gl_voucher_line")
    for part in parts:
        _identifier(part)
    return value


def parse_duration(value: str) -> timedelta:
    """Parse '90s', '30m', '6h' or '2d' into a timedelta."""
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30m, 6h or 2d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _duration(value: str) -> str:
    parse_duration(value)
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
QualifiedName = Annotated[str, AfterValidator(_qualified)]
Duration = Annotated[str, AfterValidator(_duration)]


class BackflowTable(BaseModel):
    """One Level-1 table copied into `ods.<name>`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Identifier
    source: QualifiedName
    primary_key: list[Identifier] = Field(min_length=1)
    cursor: Identifier
    mode: SyncMode = SyncMode.INCREMENTAL
    delete_detection: DeleteDetection = DeleteDetection.NONE
    schema_drift: SchemaDriftPolicy = SchemaDriftPolicy.ADD_COLUMNS
    # Re-read this far behind the watermark to catch rows committed late with older cursors.
    lookback: Duration = "2h"
    # Columns whose sums are reconciled between Level-1 and ods after each load.
    amount_columns: list[Identifier] = []
    owner: str
    severity: Severity
    freshness_sla: Duration
    description: str = ""

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
    def freshness_sla_delta(self) -> timedelta:
        return parse_duration(self.freshness_sla)


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
        return self

    @cached_property
    def by_name(self) -> dict[str, BackflowTable]:
        return {t.name: t for t in self.tables}

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def get(self, name: str) -> BackflowTable:
        """Return the entry for `name`, or raise KeyError listing the valid names."""
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(
                f"table {name!r} is not in the backflow inventory {INVENTORY_PATH.name}; "
                f"valid tables: {', '.join(self.names)}"
            ) from None


def load_inventory(path: Path = INVENTORY_PATH) -> Inventory:
    """Load and validate the backflow inventory; raise ConfigError naming file, entry and field."""
    return load_model(path, Inventory, list_key="tables")
