"""Read table columns from the catalog and compare Level-1 with ods."""

from __future__ import annotations

import psycopg

from smartops.backflow.exceptions import ColumnChange

# Load metadata carried by every ods row; never part of the Level-1 comparison.
LOADED_AT = "_loaded_at"
RUN_ID = "_run_id"
DELETED_AT = "_deleted_at"
METADATA_COLUMNS = (LOADED_AT, RUN_ID, DELETED_AT)

_COLUMNS_SQL = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""


def read_columns(conn: psycopg.Connection, schema: str, table: str) -> dict[str, str]:
    """Return {column: type} in column order; empty when the table does not exist."""
    rows = conn.execute(_COLUMNS_SQL, (schema, table)).fetchall()
    return {name: type_ for name, type_ in rows if name not in METADATA_COLUMNS}


def diff_columns(source: dict[str, str], ods: dict[str, str]) -> list[ColumnChange]:
    """List the differences between Level-1 and ods columns (names and types)."""
    changes = [ColumnChange(c, "added", t, None) for c, t in source.items() if c not in ods]
    changes += [ColumnChange(c, "dropped", None, t) for c, t in ods.items() if c not in source]
    changes += [
        ColumnChange(c, "retyped", t, ods[c]) for c, t in source.items() if c in ods and ods[c] != t
    ]
    return changes
