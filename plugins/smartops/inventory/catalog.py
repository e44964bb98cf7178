"""Read what Level-1's catalog knows about one table, plus the few bounded reads a proposal needs."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import psycopg
from psycopg import sql

from smartops.inventory.exceptions import TableNotFound
from smartops.inventory.model import Column, Index, TableFacts, TableRef
from smartops.sqlfiles import named_sql
from smartops.warehouse.connections import describe

log = logging.getLogger(__name__)

_SQL = "inventory/catalog.sql"
# A count stops here: past it the table is "huge" and the exact number does not change any advice.
COUNT_BOUND = 1_000_000
# Rows read to learn the values of a status column.
STATUS_SAMPLE_ROWS = 10_000
_STATUS_NAME = re.compile(r"^(.*_)?(status|state)$")


def read_facts(conn: psycopg.Connection, ref: TableRef, *, probe: bool = True) -> TableFacts:
    """Return the catalog facts of `ref`; raise TableNotFound listing the schema's tables.

    With `probe` (and the role allowed to read the table), count the rows up to COUNT_BOUND when the
    planner has no estimate, and sample status-like columns (STATUS_SAMPLE_ROWS rows).
    """
    params = {"schema": ref.schema, "table": ref.table}
    row = conn.execute(named_sql(_SQL, "table"), params).fetchone()
    if row is None:
        others = [r[0] for r in conn.execute(named_sql(_SQL, "tables_in_schema"), params)]
        raise TableNotFound(str(ref), describe(conn.info.dsn), others)
    oid, reltuples, comment, schema_usage, can_select, role, deleted_rows, update_trigger = row
    columns = tuple(Column(*r) for r in conn.execute(named_sql(_SQL, "columns"), {"oid": oid}))
    indexes = tuple(Index(name, primary, unique, partial, tuple(cols))
                    for name, primary, unique, partial, cols in conn.execute(named_sql(_SQL, "indexes"),
                                                                            {"oid": oid}))
    readable = schema_usage and can_select and probe
    # -1: never analyzed; 0 may be an estimate taken before the table was filled: count instead.
    estimated, capped = (reltuples, False) if reltuples > 0 else (None, False)
    if estimated is None and readable:
        estimated = count_rows(conn, ref)
        capped = estimated > COUNT_BOUND
    status_values: tuple[str, ...] = ()
    if readable:
        status_values = tuple(sorted({v for c in columns if _STATUS_NAME.match(c.name.lower())
                                      and c.base_type in ("text", "varchar", "bpchar")
                                      for v in status_sample(conn, ref, c.name)}))
    return TableFacts(ref=ref, role=role, schema_usage=schema_usage, can_select=can_select,
                      comment=" ".join(comment.split()), columns=columns, indexes=indexes,
                      estimated_rows=estimated, rows_capped=capped, deleted_rows=deleted_rows,
                      update_trigger=update_trigger, status_values=status_values)


def count_rows(conn: psycopg.Connection, ref: TableRef, bound: int = COUNT_BOUND) -> int:
    """Count the table's rows up to bound + 1 (more than `bound` means "at least that many")."""
    log.info("%s: no planner estimate (never analyzed); counting up to %d rows", ref, bound)
    return conn.execute(sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT %(limit)s) s")
                        .format(ref.identifier), {"limit": bound + 1}).fetchone()[0]


def status_sample(conn: psycopg.Connection, ref: TableRef, column: str,
                  rows: int = STATUS_SAMPLE_ROWS) -> list[str]:
    """The distinct lower-cased values of `column` among `rows` rows (at most 50 values)."""
    return [r[0] for r in conn.execute(
        sql.SQL("SELECT DISTINCT lower(v) FROM (SELECT {c}::text AS v FROM {t} LIMIT %(rows)s) s "
                "WHERE v IS NOT NULL LIMIT 50").format(c=sql.Identifier(column), t=ref.identifier),
        {"rows": rows})]


def tracks_commit_time(conn: psycopg.Connection) -> bool:
    """Whether Level-1 records commit timestamps (the only way to measure commit lag)."""
    return bool(conn.execute(named_sql(_SQL, "commit_timestamps")).fetchone()[0])


def sample(ref: TableRef, cursor: str | None, indexed: bool, rows: int) -> sql.Composed:
    """A bounded sample of the table as a subquery: the newest `rows` rows by cursor when it is indexed.

    Descending order puts NULL cursors first, so the sample also holds the rows no window can read.
    Without an index the first `rows` rows in storage order are taken (no sort of the whole table).
    """
    order = (sql.SQL(" ORDER BY {} DESC").format(sql.Identifier(cursor)) if cursor and indexed else sql.SQL(""))
    return sql.SQL("(SELECT xmin AS _xmin, * FROM {t}{order} LIMIT {rows}) AS sample").format(
        t=ref.identifier, order=order, rows=sql.Literal(rows))


def commit_lag(conn: psycopg.Connection, ref: TableRef, cursor: str, indexed: bool,
               rows: int = STATUS_SAMPLE_ROWS) -> timedelta | None:
    """The longest gap between a row's cursor value and its commit, over a bounded sample.

    None when Level-1 does not track commit timestamps or no sampled row has one (frozen rows).
    """
    if not tracks_commit_time(conn):
        return None
    return conn.execute(
        sql.SQL("SELECT max(pg_xact_commit_timestamp(_xmin) - {c}::timestamptz) FROM {sample}").format(
            c=sql.Identifier(cursor), sample=sample(ref, cursor, indexed, rows))).fetchone()[0]
