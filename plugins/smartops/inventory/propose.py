"""Propose a backflow inventory entry for one Level-1 table from its catalog (标准化指导)."""

from __future__ import annotations

import logging
import math
import re
from datetime import timedelta

from smartops.backflow.source import connect_source
from smartops.config.inventory import BackflowTable, SyncMode
from smartops.fields import parse_duration
from smartops.inventory import catalog, rules
from smartops.inventory.model import (
    PLACEHOLDER,
    Proposal,
    ProposalWarning,
    ProposedField,
    TableFacts,
    TableRef,
    WarningKind,
)

log = logging.getLogger(__name__)

DEFAULT_LOOKBACK = BackflowTable.model_fields["lookback"].default
DEFAULT_FRESHNESS_SLA = "26h"
# A measured commit lag is padded by half, so a slightly slower night still falls inside the lookback.
LAG_MARGIN = 1.5
_PLAIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def propose(source_conninfo: str, table: str) -> Proposal:
    """Read Level-1's catalog through a read-only session and propose an inventory entry for `table`.

    `table` is schema.table as PostgreSQL reads it ("quoted" parts keep their case). Raise
    TableNotFound listing the schema's tables, or ValueError for a name that is not schema.table.
    """
    ref = TableRef.parse(table)
    with connect_source(source_conninfo) as conn, conn.transaction():
        facts = catalog.read_facts(conn, ref)
        key = rules.choose_key(facts)
        cursor = rules.choose_cursor(facts, key)
        lag = (catalog.commit_lag(conn, ref, cursor.column.name, cursor.indexed is not None)
               if facts.readable and cursor.column is not None and cursor.column.base_type != "date"
               and not cursor.inserts_only else None)
    return decide(facts, lag)


def decide(facts: TableFacts, commit_lag: timedelta | None = None) -> Proposal:
    """Turn catalog facts (and a measured commit lag, if any) into an entry with reasons and warnings."""
    key = rules.choose_key(facts)
    cursor = rules.choose_cursor(facts, key)
    mode, mode_reason = rules.choose_mode(facts, key, cursor)
    deletes, deletes_reason = rules.choose_delete_detection(facts, mode)
    amounts, amounts_reason = rules.choose_amounts(facts)
    fields = [
        ProposedField("name", entry_name(facts.ref.table), f"ods.{entry_name(facts.ref.table)}: the table's name"),
        ProposedField("source", str(facts.ref), f"the Level-1 table ({_size(facts)})"),
        ProposedField("primary_key", key.columns, _key_reason(key)),
        ProposedField("cursor", cursor.column.name if cursor.column else None, _cursor_reason(facts, cursor)),
        ProposedField("mode", mode.value, mode_reason),
        ProposedField("delete_detection", deletes.value, deletes_reason),
        ProposedField("amount_columns", amounts, amounts_reason),
    ]
    lookback = _lookback(cursor, commit_lag)
    if lookback:
        fields.append(ProposedField("lookback", *lookback))
    fields += [
        ProposedField("owner", PLACEHOLDER, "fill in: the team alerted when the sync fails (e.g. finance-data)"),
        ProposedField("level1_owner", PLACEHOLDER, "fill in: the Level-1 team answering for the data, who gets the "
                      "一级协同 digest (alerting.yaml upstream.owners)"),
        ProposedField("severity", PLACEHOLDER, "fill in: critical | high | medium | low (how loudly it alerts)"),
        ProposedField("freshness_sla", DEFAULT_FRESHNESS_SLA,
                      "one nightly sync plus 2h; shorten (e.g. 6h) for tables synced several times a day"),
        ProposedField("description", facts.comment,
                      "Level-1's table comment" if facts.comment else "no table comment at Level-1: say what it is"),
    ]
    return Proposal(facts.ref, tuple(fields), tuple(_warnings(facts, key, cursor, mode, fields)), facts)


def entry_name(table: str) -> str:
    """The ods name for a Level-1 table name: lower-case, other characters as underscores, ≤ 63 characters."""
    name = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", table.lower())).strip("_") or "table"
    return (name if not name[0].isdigit() else f"t_{name}")[:63]


def _size(facts: TableFacts) -> str:
    if facts.estimated_rows is None:
        return "size unknown: never analyzed and not readable"
    if facts.rows_capped:
        return f"more than {catalog.COUNT_BOUND:,} rows"
    return f"~{facts.estimated_rows:,} rows"


def _key_reason(key: rules.KeyChoice) -> str:
    if key.is_primary:
        return f"Level-1's primary key {key.index.name}"
    if key.index is not None:
        return f"no primary key; the unique key {key.index.name}"
    return "no primary key and no unique key at Level-1: name the columns that identify a row"


def _cursor_reason(facts: TableFacts, cursor: rules.CursorChoice) -> str:
    passed = f"; not used: {', '.join(cursor.passed_over)} (not named like a change time)" if cursor.passed_over else ""
    if cursor.column is None:
        return "no timestamp named like a change time (updated_at, modified …) and no increasing id" + passed
    column = cursor.column
    traits = [column.type, "NOT NULL" if column.not_null else "nullable",
              f"indexed by {cursor.indexed.name}" if cursor.indexed else "no index"]
    if cursor.inserts_only:
        return f"an increasing id ({', '.join(traits)}): new rows only, updates are not seen{passed}"
    trigger = "; a BEFORE UPDATE trigger may maintain it" if facts.update_trigger else ""
    return f"named like a change time ({', '.join(traits)}){trigger}{passed}"


def _lookback(cursor: rules.CursorChoice, lag: timedelta | None) -> tuple[str, str] | None:
    """A lookback other than the default: a day for date cursors, the measured commit lag padded."""
    if cursor.column is None or cursor.inserts_only:
        return None
    if cursor.column.base_type == "date":
        return "1d", f"{cursor.column.name} is a date: re-read the whole previous day"
    default = parse_duration(DEFAULT_LOOKBACK)
    if lag is not None and lag * LAG_MARGIN > default:
        hours = math.ceil(lag.total_seconds() * LAG_MARGIN / 3600)
        return f"{hours}h", (f"rows become visible up to {lag} after their {cursor.column.name} (commit times, "
                             f"bounded sample); {LAG_MARGIN}× that")
    return None


def _warnings(facts: TableFacts, key: rules.KeyChoice, cursor: rules.CursorChoice, mode: SyncMode,
              fields: list[ProposedField]) -> list[ProposalWarning]:
    ref, out = facts.ref, []
    if not facts.readable:
        missing = "USAGE on schema " + ref.schema if not facts.schema_usage else "SELECT"
        out.append(ProposalWarning(WarningKind.NO_SELECT_GRANT, (
            f"role {facts.role} lacks {missing} on {ref}: the sync fails until Level-1 runs GRANT USAGE ON SCHEMA "
            f"… / GRANT SELECT ON {ref} TO {facts.role}")))
    if not key.columns:
        out.append(ProposalWarning(WarningKind.NO_KEY, (
            f"{ref} has no primary or unique key: the entry is not valid until primary_key names the columns "
            "that identify a row; ask Level-1 for a primary key, then validate: python -m smartops inventory check")))
    elif not key.is_primary:
        out.append(ProposalWarning(WarningKind.NO_PRIMARY_KEY, (
            f"{ref} has no primary key: only mode full is proposed, keyed by unique key {key.index.name} "
            f"({', '.join(key.columns)}); ask Level-1 for a primary key to sync incrementally")))
    if cursor.column is None:
        out.append(ProposalWarning(WarningKind.NO_CURSOR, (
            f"{ref} has no usable cursor: only mode full is possible; ask Level-1 for an updated_at column "
            "bumped on every change (NOT NULL, indexed)")))
    elif mode is SyncMode.INCREMENTAL and cursor.indexed is None:
        out.append(ProposalWarning(WarningKind.NO_CURSOR_INDEX, (
            f"no index on {cursor.column.name}: every run's window query is a sequential scan of this production "
            f"table ({_size(facts)}); ask Level-1: CREATE INDEX ON {ref} ({cursor.column.name})")))
    if mode is SyncMode.INCREMENTAL and cursor.inserts_only:
        out.append(ProposalWarning(WarningKind.INSERTS_ONLY_CURSOR, (
            f"cursor {cursor.column.name} is an increasing id: updates and deletions at Level-1 are never seen; "
            "right only for append-only tables, else ask Level-1 for an updated_at")))
    if mode is SyncMode.FULL and rules.is_huge(facts):
        out.append(ProposalWarning(WarningKind.HUGE_FULL_TABLE, (
            f"mode full reloads {_size(facts)} every run: ask Level-1 for a primary key and an indexed updated_at "
            "so the table can sync incrementally")))
    odd = [f"{f.name}={v}" for f in fields if f.name in ("primary_key", "cursor", "amount_columns")
           for v in (f.value if isinstance(f.value, list) else [f.value]) if v and not _PLAIN.match(v)]
    if not ref.is_plain or odd:
        names = ([f"source={ref}"] if not ref.is_plain else []) + odd
        out.append(ProposalWarning(WarningKind.NOT_PLAIN_NAME, (
            f"{', '.join(names)}: the inventory takes only plain lower-case identifiers; ask Level-1 for a view "
            "with lower-case names (CREATE VIEW … AS SELECT \"Line ID\" AS line_id, …) and propose that view")))
    return out
