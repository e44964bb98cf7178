"""Validate every inventory entry live against Level-1, cheaply: catalog reads and bounded samples."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from datetime import timedelta

import psycopg
from psycopg import sql

from smartops.backflow.source import connect_source
from smartops.config.inventory import BackflowTable, Inventory, SyncMode
from smartops.inventory import catalog
from smartops.inventory.exceptions import TableNotFound
from smartops.inventory.model import CheckName, EntryHealth, Finding, HealthStatus, TableFacts, TableRef
from smartops.vocabulary import Category

log = logging.getLogger(__name__)

# Rows read per table by the data checks: the newest by cursor when it is indexed.
SAMPLE_ROWS = 100_000
# Clocks of Level-1's application servers may run a little ahead of the database's.
FUTURE_TOLERANCE = timedelta(minutes=5)
STATEMENT_TIMEOUT = "30s"
LAG_MARGIN = 1.5

GREEN, AMBER, RED = HealthStatus.GREEN, HealthStatus.AMBER, HealthStatus.RED
CONFIG, SYNC = Category.CONFIG, Category.SYNC


def check(source_conninfo: str, inventory: Inventory | Sequence[BackflowTable], *,
          sample_rows: int = SAMPLE_ROWS) -> list[EntryHealth]:
    """Check every entry of `inventory` (or the entries given) against Level-1 (read-only); one EntryHealth
    per entry, in order.

    Each entry is checked in its own read-only transaction with a statement timeout
    (STATEMENT_TIMEOUT); data checks read at most `sample_rows` rows of its table.
    """
    with connect_source(source_conninfo) as conn:
        results = []
        for table in inventory.tables if isinstance(inventory, Inventory) else inventory:
            with conn.transaction():
                conn.execute("SELECT set_config('statement_timeout', %s, true)", [STATEMENT_TIMEOUT])
                results.append(EntryHealth(table.name, table.source, tuple(_check_entry(conn, table, sample_rows))))
            log.info("%s: %s", table.name, results[-1].status.value)
        return results


def _check_entry(conn: psycopg.Connection, table: BackflowTable, rows: int) -> list[Finding]:
    ref = TableRef(table.source_schema, table.source_table)
    try:
        facts = catalog.read_facts(conn, ref, probe=False)
    except TableNotFound as exc:
        return [Finding(CheckName.TABLE, RED, f"{exc} Or remove the entry if Level-1 dropped the table.", CONFIG)]
    findings = [Finding(CheckName.TABLE, GREEN, f"{ref} exists")]
    if not facts.readable:
        findings.append(Finding(CheckName.GRANT, RED, (
            f"role {facts.role} may not read {ref}: the sync fails; Level-1 runs GRANT USAGE ON SCHEMA "
            f"{ref.schema} and GRANT SELECT ON {ref} TO {facts.role}"), SYNC))
    else:
        findings.append(Finding(CheckName.GRANT, GREEN, f"role {facts.role} may read it"))
    findings += _key(conn, facts, table, rows)
    findings += _cursor(conn, facts, table, rows)
    findings.append(_amounts(facts, table))
    return findings


def _bounded(conn: psycopg.Connection, name: CheckName, work: Callable[[], list[Finding]]) -> list[Finding]:
    """Run data checks in a savepoint; a timeout becomes an amber finding instead of failing the rest."""
    try:
        with conn.transaction():
            return work()
    except psycopg.errors.QueryCanceled:
        return [Finding(name, AMBER, f"timed out after {STATEMENT_TIMEOUT}; run the check again off-peak", SYNC)]


def _key(conn: psycopg.Connection, facts: TableFacts, table: BackflowTable, rows: int) -> list[Finding]:
    missing = [c for c in table.primary_key if facts.column(c) is None]
    if missing:
        return [Finding(CheckName.KEY_COLUMNS, RED, (
            f"primary_key column(s) {', '.join(missing)} not in {facts.ref}; columns: "
            f"{', '.join(c.name for c in facts.columns)}; fix 'primary_key'"), CONFIG)]
    found = [Finding(CheckName.KEY_COLUMNS, GREEN, f"{', '.join(table.primary_key)} exist")]
    enforced = facts.unique_over(table.primary_key)
    if enforced is not None:
        return [*found, Finding(CheckName.KEY_UNIQUE, GREEN, f"kept unique by Level-1's {enforced.name}")]
    if not facts.readable:
        return found
    cursor = table.cursor if table.cursor and facts.column(table.cursor) else None
    keys = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))

    def duplicates() -> list[Finding]:
        repeated = conn.execute(sql.SQL(
            "SELECT {keys}, count(*) FROM {sample} GROUP BY {keys} HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 3"
        ).format(keys=keys, sample=catalog.sample(facts.ref, cursor, bool(cursor and facts.indexed(cursor)), rows)
                 )).fetchall()
        if repeated:
            examples = ", ".join(f"({', '.join(map(str, r[:-1]))}) ×{r[-1]}" for r in repeated)
            return [Finding(CheckName.KEY_UNIQUE, RED, (
                f"key ({', '.join(table.primary_key)}) repeats among {rows:,} sampled rows: {examples}; rows would "
                "overwrite each other in ods: fix 'primary_key' (columns Level-1 keeps unique)"), CONFIG)]
        return [Finding(CheckName.KEY_UNIQUE, AMBER, (
            f"unique among {rows:,} sampled rows, but no unique constraint at Level-1 guarantees it: ask Level-1 "
            f"for one (ALTER TABLE {facts.ref} ADD PRIMARY KEY ({', '.join(table.primary_key)}))"), SYNC)]

    return [*found, *_bounded(conn, CheckName.KEY_UNIQUE, duplicates)]


def _cursor(conn: psycopg.Connection, facts: TableFacts, table: BackflowTable, rows: int) -> list[Finding]:
    if table.cursor is None:
        return [Finding(CheckName.CURSOR_COLUMN, GREEN, "no cursor: a full load takes its load time as watermark")]
    column = facts.column(table.cursor)
    if column is None or not (column.is_time or column.is_integer):
        problem = "is not a column" if column is None else f"is {column.type}, neither a timestamp nor an integer"
        return [Finding(CheckName.CURSOR_COLUMN, RED, (
            f"cursor {table.cursor} {problem} of {facts.ref}; fix 'cursor' (a column Level-1 bumps on every "
            "change, e.g. updated_at)"), CONFIG)]
    incremental = table.mode is SyncMode.INCREMENTAL
    # A bad cursor loses rows only when it drives a window; a full table just gets an odd watermark.
    bad = RED if incremental else AMBER
    index = facts.indexed(column.name)
    findings = [Finding(CheckName.CURSOR_COLUMN, GREEN, f"{column.name} is {column.type}")]
    if index is not None or not incremental:
        findings.append(Finding(CheckName.CURSOR_INDEXED, GREEN, f"indexed by {index.name}" if index else
                                "not needed: mode full reads the whole table"))
    else:
        findings.append(Finding(CheckName.CURSOR_INDEXED, AMBER, (
            f"no index on {column.name}: every run's window query is a sequential scan of {facts.ref}; ask "
            f"Level-1: CREATE INDEX ON {facts.ref} ({column.name})"), SYNC))
    if not facts.readable:
        return findings
    target = sql.Identifier(column.name)
    sample = catalog.sample(facts.ref, column.name, index is not None, rows)

    def nulls_and_future() -> list[Finding]:
        future_test = (sql.SQL("max({c})::timestamptz > now() + {tolerance}").format(
            c=target, tolerance=sql.Literal(FUTURE_TOLERANCE)) if column.is_time else sql.SQL("false"))
        nulls, newest, future = conn.execute(sql.SQL(
            "SELECT count(*) FILTER (WHERE {c} IS NULL), max({c})::text, {future} FROM {sample}").format(
            c=target, future=future_test, sample=sample)).fetchone()
        out = [Finding(CheckName.CURSOR_NOT_NULL, GREEN, "NOT NULL at Level-1") if column.not_null else
               Finding(CheckName.CURSOR_NOT_NULL, bad, (
                   f"{nulls} of the newest {rows:,} rows have no {column.name}: no window ever reads them; "
                   f"Level-1 fills them and sets {column.name} NOT NULL"), SYNC) if nulls else
               Finding(CheckName.CURSOR_NOT_NULL, GREEN, f"nullable, but no NULL among {rows:,} sampled rows")]
        out.append(Finding(CheckName.CURSOR_NOT_FUTURE, bad, (
            f"max({column.name}) = {newest} is in the future: the watermark would jump there and later changes be "
            f"missed; Level-1 corrects those rows (a clock or data error)"), SYNC) if future else
            Finding(CheckName.CURSOR_NOT_FUTURE, GREEN, (
                "an id cursor has no clock to run ahead of" if not column.is_time
                else f"newest {column.name} = {newest}" if newest else "the table is empty")))
        return out

    findings += _bounded(conn, CheckName.CURSOR_NOT_FUTURE, nulls_and_future)
    if incremental and column.is_time:
        findings += _bounded(conn, CheckName.LOOKBACK, lambda: [_lookback(conn, facts, table, index is not None)])
    return findings


def _lookback(conn: psycopg.Connection, facts: TableFacts, table: BackflowTable, indexed: bool) -> Finding:
    column = facts.column(table.cursor)
    if column.base_type == "date" and table.lookback_delta < timedelta(days=1):
        return Finding(CheckName.LOOKBACK, AMBER, (
            f"{column.name} is a date but lookback is {table.lookback}: rows dated the previous day that arrive "
            "late are missed; set lookback: 1d"), CONFIG)
    lag = catalog.commit_lag(conn, facts.ref, column.name, indexed)
    if lag is None:
        return Finding(CheckName.LOOKBACK, GREEN, "commit lag not measurable (Level-1 does not track commit "
                                                  "timestamps); skipped")
    if lag > table.lookback_delta:
        hours = math.ceil(lag.total_seconds() * LAG_MARGIN / 3600)
        return Finding(CheckName.LOOKBACK, AMBER, (
            f"rows become visible up to {lag} after their {column.name}, longer than lookback {table.lookback}: "
            f"rows committed late are missed; set lookback: {hours}h"), CONFIG)
    return Finding(CheckName.LOOKBACK, GREEN, f"lookback {table.lookback} covers the observed commit lag {lag}")


def _amounts(facts: TableFacts, table: BackflowTable) -> Finding:
    missing = [c for c in table.amount_columns if facts.column(c) is None]
    odd = [f"{c} ({facts.column(c).type})" for c in table.amount_columns
           if facts.column(c) is not None and not facts.column(c).is_numeric]
    if missing or odd:
        problems = ([f"not columns: {', '.join(missing)}"] if missing else []) + (
            [f"not numeric: {', '.join(odd)}"] if odd else [])
        return Finding(CheckName.AMOUNT_COLUMNS, RED, (
            f"amount_columns {'; '.join(problems)}; reconciliation would fail: fix 'amount_columns'"), CONFIG)
    return Finding(CheckName.AMOUNT_COLUMNS, GREEN, "numeric" if table.amount_columns else "none to reconcile")
