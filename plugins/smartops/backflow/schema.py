"""Read table columns from the catalog and compare Level-1 with ods."""

from __future__ import annotations

import psycopg

from smartops.backflow.exceptions import ColumnChange
from smartops.sqlfiles import named_sql
from smartops.vocabulary import ChangeKind

# Load metadata carried by every ods row; never part of the Level-1 comparison.
LOADED_AT = "_loaded_at"
RUN_ID = "_run_id"
DELETED_AT = "_deleted_at"
METADATA_COLUMNS = (LOADED_AT, RUN_ID, DELETED_AT)
_SQL = "backflow/catalog.sql"

def read_columns(conn: psycopg.Connection, schema: str, table: str) -> dict[str, str]:
    """Return {column: type} in column order; empty when the table does not exist."""
    rows = conn.execute(named_sql(_SQL, "table_columns"), {"schema": schema, "table": table}).fetchall()
    return {name: type_ for name, type_ in rows if name not in METADATA_COLUMNS}


def diff_columns(source: dict[str, str], ods: dict[str, str]) -> list[ColumnChange]:
    """List the differences between Level-1 and ods columns (names and types)."""
    changes = [ColumnChange(c, ChangeKind.ADDED, t, None) for c, t in source.items() if c not in ods]
    changes += [ColumnChange(c, ChangeKind.DROPPED, None, t) for c, t in ods.items() if c not in source]
    changes += [
        ColumnChange(c, ChangeKind.RETYPED, t, ods[c]) for c, t in source.items() if c in ods and ods[c] != t
    ]
    return changes
