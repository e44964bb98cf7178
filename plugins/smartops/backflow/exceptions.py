"""One exception per way a table's sync can fail; each message names the table and the fix."""

from __future__ import annotations

from dataclasses import dataclass


class BackflowError(RuntimeError):
    """Base class: the table's sync failed and nothing of this run became visible."""

    retryable = False


class SourceTableMissing(BackflowError):
    def __init__(self, table: str, source: str) -> None:
        super().__init__(
            f"table={table}: Level-1 table {source} does not exist or is not readable by the "
            "level1_source connection; check the inventory's 'source' and the grants at Level-1"
        )


@dataclass(frozen=True)
class ColumnChange:
    column: str
    change: str  # added | dropped | retyped
    source_type: str | None
    ods_type: str | None

    def __str__(self) -> str:
        if self.change == "added":
            return f"+ {self.column} {self.source_type}"
        if self.change == "dropped":
            return f"- {self.column} {self.ods_type}"
        return f"~ {self.column} {self.ods_type} -> {self.source_type}"


class SchemaDriftError(BackflowError):
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
    def __init__(self, table: str, mismatches: list[str]) -> None:
        super().__init__(
            f"table={table}: Level-1 and ods disagree after the load ({'; '.join(mismatches)}). "
            "The load was committed; check for hard deletes on a table with delete_detection: none, "
            "or run a full reload of the table."
        )
