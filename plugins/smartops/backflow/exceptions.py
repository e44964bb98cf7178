"""One exception per way a table's sync can fail; each message names the table and the fix."""

from __future__ import annotations

from dataclasses import dataclass

from smartops.errors import SmartopsError, is_retryable
from smartops.vocabulary import Category, ChangeKind


class BackflowError(SmartopsError):
    """Base class: the table's sync failed and nothing of this run became visible."""

    category = Category.SYNC


class SourceTableMissing(BackflowError):
    def __init__(self, table: str, source: str) -> None:
        super().__init__(
            f"table={table}: Level-1 table {source} does not exist or is not readable by the "
            "level1_source connection; check the inventory's 'source' and the grants at Level-1"
        )


class CursorColumnMissing(BackflowError):
    category = Category.CONFIG

    def __init__(self, table: str, cursor: str, source: str, columns: list[str]) -> None:
        super().__init__(
            f"table={table}: cursor column {cursor!r} is not a column of {source}; columns are: "
            f"{', '.join(columns)}. Fix the entry's 'cursor' in backflow_tables.yaml."
        )


class ColumnMissing(BackflowError):
    """A column the inventory names (a key or amount column) is not a column of the Level-1 table."""

    def __init__(self, table: str, field: str, column: str, source: str, columns: list[str]) -> None:
        super().__init__(
            f"table={table}: {field} column {column!r} is not a column of {source}; columns are: "
            f"{', '.join(columns)}. Fix the entry's {field!r} in backflow_tables.yaml (or the Level-1 grant)."
        )


class DuplicateKeys(BackflowError):
    """Level-1 holds the same primary key more than once: no ods table can hold that; nothing was loaded."""

    def __init__(self, table: str, key: list[str], detail: str) -> None:
        super().__init__(
            f"table={table}: Level-1 has duplicate values of the primary key ({', '.join(key)}): {detail}. "
            "Nothing was loaded. Ask Level-1 to fix the rows, or correct the entry's primary_key."
        )


class ReadOnlyConflict(BackflowError):
    category = Category.CONFIG

    def __init__(self, attrs: str) -> None:
        super().__init__(
            f"connection level1_source: target_session_attrs={attrs} asks for a writable server, but every "
            "Level-1 session is read-only (default_transaction_read_only=on), so libpq would refuse it. "
            "Fix: set target_session_attrs to any, read-only, standby or prefer-standby in the connection's extra."
        )


@dataclass(frozen=True)
class ColumnChange:
    column: str
    change: ChangeKind
    source_type: str | None
    ods_type: str | None

    def __str__(self) -> str:
        if self.change is ChangeKind.ADDED:
            return f"+ {self.column} {self.source_type}"
        if self.change is ChangeKind.DROPPED:
            return f"- {self.column} {self.ods_type}"
        return f"~ {self.column} {self.ods_type} -> {self.source_type}"


class SchemaDriftError(BackflowError):
    category = Category.DRIFT

    def __init__(self, table: str, changes: list[ColumnChange], policy: str) -> None:
        self.changes = changes
        diff = "\n".join(f"    {c}" for c in changes)
        super().__init__(
            f"table={table}: Level-1 columns differ from ods.{table} and policy schema_drift={policy} "
            f"does not allow it; nothing was loaded. Column diff (Level-1 vs ods):\n{diff}\n"
            "Fix: align the ods table by a warehouse migration (or run a full reload once the change "
            "is agreed), or set schema_drift: add_columns for purely additive changes."
        )


class ReconciliationMismatch(BackflowError):
    category = Category.RECONCILIATION

    def __init__(self, table: str, mismatches: list[str]) -> None:
        super().__init__(
            f"table={table}: Level-1 and ods disagree after the load ({'; '.join(mismatches)}). "
            "The load was committed; check for hard deletes on a table with delete_detection: none, "
            "or run a full reload of the table."
        )


class ManualBoundInvalid(BackflowError):
    """A manual bound of the form (e.g. `resync_from`) that cannot be honoured; nothing ran."""

    category = Category.CONFIG

    def __init__(self, param: str, value: object, rule: str) -> None:
        super().__init__(f"{param}={value!r}: {rule}. Nothing was read and the watermark is unchanged.")


class BatchFailed(BackflowError):
    """Some tables of a batch task failed (the others are loaded and recorded): one line per table.

    Retryable when any failure is (the retry syncs only the tables without a committed load in this
    run); its category is the first failure's.
    """

    def __init__(self, task_id: str, failures: dict[str, BaseException], total: int) -> None:
        self.failures = failures
        first = next(iter(failures.values()))
        self.category = getattr(first, "category", self.category)
        self.retryable = any(is_retryable(error) for error in failures.values())
        lines = "; ".join(f"{table}: {type(error).__name__}: {error}" for table, error in failures.items())
        super().__init__(f"{task_id}: {len(failures)} of {total} tables failed (the others are loaded): {lines}")
