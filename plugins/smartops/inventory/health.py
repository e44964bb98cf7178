"""The inventory's live health, recorded: what the daily check found per entry, for the console and the report."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from smartops.inventory.model import EntryHealth
from smartops.sqlfiles import named_sql

SQL = "inventory/health.sql"


def record_health(warehouse: str, results: list[EntryHealth], *, run_id: str) -> None:
    """Store one row per entry (its worst status and every finding), all in one transaction."""
    with psycopg.connect(warehouse) as conn, conn.transaction():
        for health in results:
            conn.execute(named_sql(SQL, "record"), {
                "run_id": run_id, "table_name": health.table, "source": health.source,
                "status": health.status.value,
                "findings": Jsonb([{"check": f.check.value, "status": f.status.value, "reason": f.reason,
                                    "category": f.category.value} for f in health.findings])})


def latest_health(conn: psycopg.Connection, tables: list[str]) -> list[dict[str, Any]]:
    """Each inventory entry's newest recorded health, in inventory order (never checked: None)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = {row["table_name"]: row for row in cur.execute(named_sql(SQL, "latest"))}
    return [rows.get(table) or {"table_name": table, "status": None, "findings": [], "checked_at": None}
            for table in tables]
