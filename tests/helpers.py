"""Assertions shared by tests: compare Level-1 and ods by an ordered hash of live rows."""

from __future__ import annotations

import psycopg
from psycopg import sql

from smartops.backflow.schema import read_columns
from smartops.config.inventory import BackflowTable


def table_hash(conninfo: str, schema: str, table: str, columns: list[str], key: list[str], where: str = "") -> tuple:
    """Return (row count, md5 over all rows ordered by key) of the given columns."""
    with psycopg.connect(conninfo) as conn:
        return conn.execute(sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY {key}), '')) "
            "FROM (SELECT {columns} FROM {table} {where}) r"
        ).format(
            key=sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(k)) for k in key),
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            table=sql.Identifier(schema, table), where=sql.SQL(where),
        )).fetchone()


def assert_ods_equals_level1(level1: str, warehouse: str, table: BackflowTable) -> None:
    """ods.<table>'s live rows equal the Level-1 table, column for column."""
    with psycopg.connect(level1) as conn:
        columns = list(read_columns(conn, table.source_schema, table.source_table))
    source = table_hash(level1, table.source_schema, table.source_table, columns, table.primary_key)
    ods = table_hash(warehouse, "ods", table.name, columns, table.primary_key, "WHERE _deleted_at IS NULL")
    assert ods == source, f"ods.{table.name} differs from {table.source}: ods={ods} level1={source}"
