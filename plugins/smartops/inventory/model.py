"""The inventory assistant's values: table names, catalog facts, proposals and health findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from psycopg import sql

from smartops.vocabulary import Category

# What an entry placeholder says until someone fills it in: the owner and severity are the team's call.
PLACEHOLDER = "TODO"
_QUOTED_OR_PLAIN = re.compile(r'"((?:[^"]|"")+)"|([^".]+)')


@dataclass(frozen=True)
class TableRef:
    """A Level-1 table by its exact catalog names (case and spaces kept)."""

    schema: str
    table: str

    @classmethod
    def parse(cls, name: str) -> TableRef:
        """Parse `schema.table` as PostgreSQL does: unquoted parts fold to lower case, "quoted" parts are exact.

        Raise ValueError when `name` is not two dot-separated parts.
        """
        parts: list[str] = []
        rest = name.strip()
        while rest:
            match = _QUOTED_OR_PLAIN.match(rest)
            if not match:
                break
            quoted, plain = match.groups()
            parts.append(quoted.replace('""', '"') if quoted is not None else plain.strip().lower())
            rest = rest[match.end():]
            if rest.startswith("."):
                rest = rest[1:]
                if not rest:
                    break
            elif rest:
                break
        if rest or len(parts) != 2 or not all(parts):
            raise ValueError(f"table={name!r} is not schema.table (e.g. l1.gl_voucher_line, or "
                             '"Finance"."GL Lines" for names with capitals or spaces)')
        return cls(parts[0], parts[1])

    @property
    def identifier(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.table)

    @property
    def is_plain(self) -> bool:
        """Whether both names are plain lower-case identifiers, as the inventory's `source` requires."""
        return all(re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", part) for part in (self.schema, self.table))

    def __str__(self) -> str:
        return ".".join(p if re.fullmatch(r"[a-z_][a-z0-9_]*", p) else '"' + p.replace('"', '""') + '"'
                        for p in (self.schema, self.table))


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # format_type(): e.g. numeric(18,2), timestamp with time zone
    base_type: str  # pg_type.typname: numeric, timestamptz, int8, …
    not_null: bool
    generated_id: bool  # filled from a sequence or an identity

    @property
    def is_time(self) -> bool:
        return self.base_type in ("timestamptz", "timestamp", "date")

    @property
    def is_integer(self) -> bool:
        return self.base_type in ("int2", "int4", "int8")

    @property
    def is_numeric(self) -> bool:
        return self.base_type in ("numeric", "int2", "int4", "int8", "float4", "float8", "money")


@dataclass(frozen=True)
class Index:
    name: str
    is_primary: bool
    is_unique: bool
    partial: bool
    columns: tuple[str | None, ...]  # None: an expression

    @property
    def is_key(self) -> bool:
        """Whether the index guarantees its plain columns unique over the whole table."""
        return self.is_unique and not self.partial and None not in self.columns


@dataclass(frozen=True)
class TableFacts:
    """What Level-1's catalog (and bounded reads where granted) says about one table."""

    ref: TableRef
    role: str
    schema_usage: bool
    can_select: bool
    comment: str
    columns: tuple[Column, ...]
    indexes: tuple[Index, ...]
    estimated_rows: int | None  # None: not analyzed and not readable
    rows_capped: bool  # the count stopped at its bound: at least estimated_rows
    deleted_rows: int  # rows deleted since Level-1's statistics were reset
    update_trigger: bool
    status_values: tuple[str, ...] = ()  # distinct values of status-like columns in a bounded sample

    @property
    def readable(self) -> bool:
        return self.schema_usage and self.can_select

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def indexed(self, column: str) -> Index | None:
        """The first index whose leading column is `column` (what a range scan on it needs)."""
        return next((i for i in self.indexes if i.columns and i.columns[0] == column), None)

    def unique_over(self, key: list[str]) -> Index | None:
        """An index that keeps `key` unique: a unique index over a subset of its columns."""
        return next((i for i in self.indexes if i.is_key and set(i.columns) <= set(key)), None)


@dataclass(frozen=True)
class ProposedField:
    """One inventory field with its value and the one-line reason it was chosen."""

    name: str
    value: Any
    reason: str


class WarningKind(StrEnum):
    """What a proposal warns about."""

    NO_CURSOR_INDEX = "no_cursor_index"
    NO_PRIMARY_KEY = "no_primary_key"
    NO_KEY = "no_key"
    HUGE_FULL_TABLE = "huge_full_table"
    NO_SELECT_GRANT = "no_select_grant"
    NO_CURSOR = "no_cursor"
    INSERTS_ONLY_CURSOR = "inserts_only_cursor"
    NOT_PLAIN_NAME = "not_plain_name"


@dataclass(frozen=True)
class ProposalWarning:
    """One warning of a proposal: its kind and a one-line message with the fix."""

    kind: WarningKind
    message: str


@dataclass(frozen=True)
class Proposal:
    """An inventory entry proposed from Level-1's catalog, with a reason per field and warnings."""

    source: TableRef
    fields: tuple[ProposedField, ...]
    warnings: tuple[ProposalWarning, ...]
    facts: TableFacts

    @property
    def entry(self) -> dict[str, Any]:
        """The entry as the inventory file holds it, in the inventory's field order."""
        return {f.name: f.value for f in self.fields}

    @property
    def reasons(self) -> dict[str, str]:
        return {f.name: f.reason for f in self.fields}

    def warned(self, kind: WarningKind) -> bool:
        return any(w.kind is kind for w in self.warnings)


class HealthStatus(StrEnum):
    """How healthy an inventory entry is against live Level-1, worst last."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return list(HealthStatus).index(self)


class CheckName(StrEnum):
    """The live checks of one inventory entry."""

    TABLE = "table"
    GRANT = "grant"
    KEY_COLUMNS = "key_columns"
    KEY_UNIQUE = "key_unique"
    CURSOR_COLUMN = "cursor_column"
    CURSOR_INDEXED = "cursor_indexed"
    CURSOR_NOT_FUTURE = "cursor_not_future"
    CURSOR_NOT_NULL = "cursor_not_null"
    AMOUNT_COLUMNS = "amount_columns"
    LOOKBACK = "lookback"


# Who fixes a finding: the inventory entry (config) or Level-1 / the sync (sync).
FINDING_CATEGORIES = (Category.CONFIG, Category.SYNC)


@dataclass(frozen=True)
class Finding:
    """One check's verdict: the reason says what was seen and the fix."""

    check: CheckName
    status: HealthStatus
    reason: str
    category: Category = Category.CONFIG

    def __post_init__(self) -> None:
        if self.category not in FINDING_CATEGORIES:
            raise ValueError(f"category={self.category!r}: a finding is fixed in the inventory (config) or at "
                             "Level-1 / in the sync (sync)")


@dataclass(frozen=True)
class EntryHealth:
    """The live health of one inventory entry: the worst of its findings."""

    table: str
    source: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def status(self) -> HealthStatus:
        return max((f.status for f in self.findings), key=lambda s: s.rank, default=HealthStatus.GREEN)

    @property
    def problems(self) -> list[Finding]:
        """The findings that are not green, worst first."""
        return sorted((f for f in self.findings if f.status is not HealthStatus.GREEN),
                      key=lambda f: -f.status.rank)
