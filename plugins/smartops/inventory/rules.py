"""The proposal's decisions from catalog facts: key, cursor, mode, deletions, amounts (no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartops.config.inventory import DeleteDetection, SyncMode
from smartops.inventory.model import Column, Index, TableFacts

# Up to this many rows, a table whose cursor has no index is reloaded whole: the incremental window
# query would read every row anyway (a sequential scan), and a full reload also drops deleted rows.
SMALL_TABLE_ROWS = 100_000
# Past this many rows, reloading the whole table every run is worth a warning.
HUGE_TABLE_ROWS = 1_000_000
# Names of timestamp columns an application or trigger bumps on every change.
_MAINTAINED = re.compile(r"(updat|modif|chang|mtime|last_upd|last_mod)")
_AMOUNT = re.compile(r"(^|_)(amount|amt|balance|limit|value)(_|$)")
_SOFT_DELETE = {"deleted", "delete", "del", "removed"}
# NC-style ERPs flag deleted rows with a column named just `dr` (not a token: dr_amount is a debit).
_SOFT_DELETE_NAMES = {"dr"}
_DELETED_STATUS = re.compile(r"^(deleted?|removed|del)$")


def normalized(name: str) -> str:
    """A column name lower-cased with spaces and hyphens as underscores (for matching name hints)."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass(frozen=True)
class KeyChoice:
    columns: list[str]
    index: Index | None
    is_primary: bool


def choose_key(facts: TableFacts) -> KeyChoice:
    """The primary key, else the narrowest unique key over NOT NULL columns (else any unique key)."""
    primary = next((i for i in facts.indexes if i.is_primary), None)
    if primary is not None:
        return KeyChoice(list(primary.columns), primary, True)

    def not_null(index: Index) -> bool:
        return all((c := facts.column(name)) is not None and c.not_null for name in index.columns)

    keys = sorted((i for i in facts.indexes if i.is_key), key=lambda i: (not not_null(i), len(i.columns), i.name))
    return KeyChoice(list(keys[0].columns), keys[0], False) if keys else KeyChoice([], None, False)


@dataclass(frozen=True)
class CursorChoice:
    column: Column | None
    indexed: Index | None
    inserts_only: bool  # an increasing id: the window sees new rows, not updates
    passed_over: list[str]  # other time columns, not named like a maintained timestamp


def choose_cursor(facts: TableFacts, key: KeyChoice) -> CursorChoice:
    """A maintained timestamp (name hint, then NOT NULL, indexed, timestamp over date), else an increasing id."""
    times = [c for c in facts.columns if c.is_time]
    maintained = [c for c in times if _MAINTAINED.search(normalized(c.name))]
    others = [c.name for c in times if c not in maintained]
    if maintained:
        best = max(maintained, key=lambda c: (c.not_null, facts.indexed(c.name) is not None, c.base_type != "date"))
        return CursorChoice(best, facts.indexed(best.name), False, others)
    sole_key = key.columns if key.is_primary and len(key.columns) == 1 else []
    ids = [c for c in facts.columns if c.is_integer and (c.generated_id or c.name in sole_key)]
    if ids:
        best = max(ids, key=lambda c: (c.generated_id, facts.indexed(c.name) is not None))
        return CursorChoice(best, facts.indexed(best.name), True, others)
    return CursorChoice(None, None, False, others)


def is_small(facts: TableFacts) -> bool:
    return facts.estimated_rows is not None and not facts.rows_capped and facts.estimated_rows <= SMALL_TABLE_ROWS


def is_huge(facts: TableFacts) -> bool:
    return facts.rows_capped or (facts.estimated_rows or 0) > HUGE_TABLE_ROWS


def choose_mode(facts: TableFacts, key: KeyChoice, cursor: CursorChoice) -> tuple[SyncMode, str]:
    """Incremental where a key and an indexed, maintained cursor make it safe; else full, with the reason."""
    if not key.columns:
        return SyncMode.FULL, "no primary or unique key: nothing to upsert by (see the warning)"
    if not key.is_primary:
        return SyncMode.FULL, f"no primary key: the unique key {key.index.name} stands in, for full reloads only"
    if cursor.column is None:
        return SyncMode.FULL, "no usable cursor: only a full reload sees every change"
    name = cursor.column.name
    if cursor.indexed is None and is_small(facts):
        return SyncMode.FULL, (f"{name} has no index and the table is small (~{facts.estimated_rows} rows): a full "
                               "reload reads it once, as the window query's sequential scan would, and drops deletions")
    if cursor.inserts_only and is_small(facts):
        return SyncMode.FULL, (f"the only cursor, {name}, is an id that misses updates; the table is small "
                               f"(~{facts.estimated_rows} rows), so a full reload is cheap and complete")
    return SyncMode.INCREMENTAL, (f"primary key {key.index.name} and cursor {name}"
                                  + (" (indexed)" if cursor.indexed else " (NOT indexed: see the warning)"))


def soft_delete_column(facts: TableFacts) -> str | None:
    """A column that marks deleted rows (is_deleted, deleted_at, del_flag …), or a status with a deleted value."""
    for column in facts.columns:
        name = normalized(column.name)
        if name in _SOFT_DELETE_NAMES or _SOFT_DELETE & set(name.split("_")):
            return column.name
    deleted = [v for v in facts.status_values if _DELETED_STATUS.match(v)]
    return f"a status value {deleted[0]!r}" if deleted else None


def choose_delete_detection(facts: TableFacts, mode: SyncMode) -> tuple[DeleteDetection, str]:
    """key_compare when Level-1 likely deletes rows for real and the table loads incrementally."""
    if mode is SyncMode.FULL:
        return DeleteDetection.NONE, "a full reload drops rows deleted at Level-1 by itself"
    marker = soft_delete_column(facts)
    if marker:
        return DeleteDetection.NONE, (f"soft delete ({marker}): deletions arrive as updates — if the flag's change "
                                      "also bumps the cursor")
    seen = (f"; Level-1 has deleted {facts.deleted_rows} rows since its statistics were reset"
            if facts.deleted_rows else "")
    status = f" (status values seen: {', '.join(facts.status_values)})" if facts.status_values else ""
    return DeleteDetection.KEY_COMPARE, (f"no soft-delete column (is_deleted, deleted_at …) nor a deleted status"
                                         f"{status}: deletions are likely real, key_compare finds them (a key scan "
                                         f"only when counts differ){seen}")


def choose_amounts(facts: TableFacts) -> tuple[list[str], str]:
    """Numeric (decimal) columns named like amounts, with what was left out."""
    decimals = [c for c in facts.columns if c.base_type == "numeric"]
    chosen = [c.name for c in decimals if _AMOUNT.search(normalized(c.name))]
    left = [c.name for c in decimals if c.name not in chosen]
    if not decimals:
        return [], "no numeric column to reconcile"
    reason = (f"numeric and named like an amount: {', '.join(chosen)}" if chosen
              else "no numeric column is named like an amount (amount, amt, balance, limit, value)")
    return chosen, reason + (f"; other numeric columns left out: {', '.join(left)}" if left else "")
