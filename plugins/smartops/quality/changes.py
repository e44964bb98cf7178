"""Scan the rows a build changed: a table's SodaCL file split by what each check needs to read.

Views in a scan schema of their own (`qscan_<scan>`), dropped afterwards, stand in for the table:
  rows     `<t>`           the changed rows — missing_count, invalid_count, `failed rows` with a
                           `fail condition`, schema: checks that judge each row on its own; and
                           missing_percent / invalid_percent: none of the changed rows is none of
                           the table (the rest passed clean), otherwise they run again whole;
  groups   `<t>__g<n>`     every row sharing the checked columns with a changed row — duplicate_count;
  exists   `<t>__x<n>`     one row of the table (after the section's filter) — `row_count > 0`;
  table    `<t>__all`      the whole table — every other check (freshness, percentages, other
                           thresholds), and `fail query` checks without a `changes query`.
A `failed rows` check may carry a `changes query:` beside its `fail query:`: the same failing rows
restricted to the changes, reading them as `${CHANGED}` (the rows view; for an ods table
`${CHANGED_SINCE}` is the time after which its rows count as changed, for reading other ods tables'
changes); it replaces the fail query in a changes scan and is dropped from a whole-table scan.
Results are stored under the real table.
"""

from __future__ import annotations

import copy
import re
import tempfile
import uuid
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import yaml
from psycopg import sql

from smartops.quality.model import SCAN_CHECK, CheckFile, CheckResult
from smartops.quality.scope import SQL, ScanPlan
from smartops.quality.soda_scan import scan_file
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

CHANGES_QUERY = "changes query"
_SECTION = re.compile(r"^checks for ([a-z_][a-z0-9_]*)(?: \[([a-z_][a-z0-9_]*)\])?$")
_FILTER = re.compile(r"^filter ([a-z_][a-z0-9_]*) \[([a-z_][a-z0-9_]*)\]$")
_COLUMNS = re.compile(r"^duplicate_count\(([^)]*)\)")
ROW_CHECKS = ("missing_count(", "invalid_count(")
PERCENT_CHECKS = ("missing_percent(", "invalid_percent(")


@dataclass
class SplitFile:
    """The derived SodaCL document and the views it reads (name -> SELECT over the real table)."""

    document: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)  # view -> columns shared with a changed row
    exists: dict[str, str | None] = field(default_factory=dict)  # view -> the section filter's condition
    counted: list[str] = field(default_factory=list)  # checks evaluated over changed rows or their groups
    # Percentages over the changed rows: 0 % of them is 0 % of the table (the rest was clean); else they
    # are evaluated again over the whole table (the share needs its row count): check -> (section filter, check).
    percent: dict[str, tuple[str | None, Any]] = field(default_factory=dict)


def _header(check: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(check, dict):
        header, config = next(iter(check.items()))
        return str(header), dict(config or {})
    return str(check), {}


def _name(header: str, config: dict[str, Any]) -> str:
    return str(config.get("name") or header)


def strip_changes_queries(document: dict[str, Any]) -> dict[str, Any]:
    """The document without `changes query` entries (what Soda reads in a whole-table scan)."""
    return {key: [_without_changes_query(c) for c in value] if _SECTION.match(key) else value
            for key, value in document.items()}


def _without_changes_query(check: Any) -> Any:
    header, config = _header(check)
    if CHANGES_QUERY not in config:
        return check
    return {header: {k: v for k, v in config.items() if k != CHANGES_QUERY}}


def split(document: dict[str, Any], table: str) -> SplitFile:
    """Split a check file's document into the views of the module docstring (pure: no database)."""
    out = SplitFile()
    filters = {(m.group(1), m.group(2)): value for key, value in document.items() if (m := _FILTER.match(key))}

    def add(dataset: str, section_filter: str | None, check: Any) -> None:
        key = f"checks for {dataset}" + (f" [{section_filter}]" if section_filter else "")
        if section_filter:  # declared before its checks (Soda's rule); a copy each: no YAML anchors
            out.document.setdefault(f"filter {dataset} [{section_filter}]",
                                    copy.deepcopy(filters[(table, section_filter)]))
        out.document.setdefault(key, []).append(check)

    for key, checks in document.items():
        match = _SECTION.match(key)
        if not match:
            continue
        section_filter = match.group(2)
        for check in checks or []:
            header, config = _header(check)
            if header.startswith(ROW_CHECKS) or header == "schema" or (
                    header == "failed rows" and "fail condition" in config):
                add(table, section_filter, check)
                if header != "schema":
                    out.counted.append(_name(header, config))
            elif header.startswith(PERCENT_CHECKS):
                add(table, section_filter, check)
                out.counted.append(_name(header, config))
                out.percent[_name(header, config)] = (section_filter, check)
            elif header == "failed rows" and CHANGES_QUERY in config:
                changed = {k: v for k, v in config.items() if k not in (CHANGES_QUERY, "fail query")}
                add(table, None, {header: {**changed, "fail query": config[CHANGES_QUERY]}})
                out.counted.append(_name(header, config))
            elif columns := _COLUMNS.match(header):
                view = f"{table}__g{len(out.groups) + 1}"
                out.groups[view] = [c.strip() for c in columns.group(1).split(",")]
                add(view, section_filter, check)
                out.counted.append(_name(header, config))
            elif header.replace(" ", "") == "row_count>0":
                view = f"{table}__x{len(out.exists) + 1}"
                out.exists[view] = filters[(table, section_filter)]["where"] if section_filter else None
                add(view, None, check if "name" in config else {header: {"name": header}})
            else:
                add(f"{table}__all", section_filter, _without_changes_query(check))
    return out


def scan_changes(check_file: CheckFile, plan: ScanPlan, *, conninfo: str, severity: Severity, blocking: bool,
                 variables: dict[str, str], key: list[str] | None = None) -> tuple[list[CheckResult], int]:
    """Scan the changes `plan` names with `check_file`'s checks; return the results and the changed rows read.

    key: the model's key columns (dwd/dws; the changed keys come from ops.model_delta).
    """
    document = yaml.safe_load(check_file.path.read_text(encoding="utf-8")) or {}
    parts = split(document, check_file.table)
    schema = f"qscan_{uuid.uuid4().hex[:12]}"
    changed_view = sql.Identifier(schema, check_file.table)
    names = {"${CHANGED}": changed_view.as_string()}
    if plan.changed_since is not None:
        names["${CHANGED_SINCE}"] = sql.Literal(plan.changed_since).as_string()
    text = _dump(_substitute(parts.document, names))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        try:
            with conn.transaction():
                rows = _create_views(conn, schema, check_file, plan, parts, key)
            scan = partial(_scan_document, schema=schema, table=check_file.table, conninfo=conninfo,
                           severity=severity, blocking=blocking, variables=variables)
            results = scan(text)
            again = {r.check_name for r in results if r.check_name in parts.percent and r.measured_value}
            if again:  # a share of the changed rows is not the table's: those percentages whole
                document: dict[str, Any] = {}
                for name in again:
                    section_filter, check = parts.percent[name]
                    if section_filter:
                        document[f"filter {check_file.table}__all [{section_filter}]"] = parts.document[
                            f"filter {check_file.table} [{section_filter}]"]
                    key = f"checks for {check_file.table}__all" + (f" [{section_filter}]" if section_filter else "")
                    document.setdefault(key, []).append(check)
                whole = {r.check_name: r for r in scan(_dump(document)) if r.check_name in again}
                results = [whole.get(r.check_name, r) for r in results]
        finally:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    note = f"changes since {plan.base_build_id}: {rows} changed rows; row checks over them, the others whole"
    return [replace(r, table_name=check_file.qualified, check_file=check_file.display_path,
                    message=f"{r.message}; {note}" if r.check_name == SCAN_CHECK and r.message else r.message)
            for r in results], rows


def _substitute(value: Any, names: dict[str, str]) -> Any:
    """`value` with every `${NAME}` of `names` replaced in its strings (before dumping: quoting stays right)."""
    if isinstance(value, str):
        for name, text in names.items():
            value = value.replace(name, text)
        return value
    if isinstance(value, dict):
        return {key: _substitute(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, names) for item in value]
    return value


def _dump(document: dict[str, Any]) -> str:
    """SodaCL text of a derived document: short lists inline, long lines kept (Soda parses it faster)."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)


def _scan_document(text: str, *, schema: str, table: str, conninfo: str, severity: Severity, blocking: bool,
                   variables: dict[str, str]) -> list[CheckResult]:
    """Scan a derived SodaCL document against the scan schema's views."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{table}.yml"
        path.write_text(text, encoding="utf-8")
        return scan_file(CheckFile(layer=schema, table=table, path=path), conninfo=conninfo, severity=severity,
                         blocking=blocking, variables=variables)


def _create_views(conn: psycopg.Connection, schema: str, check_file: CheckFile, plan: ScanPlan,
                  parts: SplitFile, key: list[str] | None) -> int:
    """Create the scan schema's views; return the number of changed rows."""
    real = sql.Identifier(check_file.layer, check_file.table)
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    if plan.changed_since is not None:
        changes = sql.SQL("SELECT * FROM {} WHERE _loaded_at > {t} OR _deleted_at > {t}").format(
            real, t=sql.Literal(plan.changed_since))
    else:
        base, current = plan.model_runs
        types = dict(conn.execute(named_sql(SQL, "column_types"), {"table": real.as_string(conn)}))
        keys = sql.SQL(", ").join(sql.SQL("(row_data ->> {})::{} AS {}").format(
            sql.Literal(k), sql.SQL(types[k]), sql.Identifier(k)) for k in key)
        conn.execute(sql.SQL(
            "CREATE TABLE {} AS SELECT DISTINCT {} FROM ops.model_delta WHERE model = {} "
            "AND model_run_id > {} AND model_run_id <= {}").format(
            sql.Identifier(schema, "changed_keys"), keys, sql.Literal(plan.table), sql.Literal(base),
            sql.Literal(current)))
        listed = sql.SQL(", ").join(map(sql.Identifier, key))
        changes = sql.SQL("SELECT * FROM {} WHERE ({}) IN (SELECT * FROM {})").format(
            real, listed, sql.Identifier(schema, "changed_keys"))
    conn.execute(sql.SQL("CREATE VIEW {} AS ").format(sql.Identifier(schema, check_file.table)) + changes)
    conn.execute(sql.SQL("CREATE VIEW {} AS SELECT * FROM {}").format(
        sql.Identifier(schema, f"{check_file.table}__all"), real))
    for view, columns in parts.groups.items():
        listed = sql.SQL(", ").join(map(sql.Identifier, columns))
        conn.execute(sql.SQL("CREATE VIEW {} AS SELECT * FROM {} WHERE ({}) IN (SELECT {} FROM {})").format(
            sql.Identifier(schema, view), real, listed, listed, sql.Identifier(schema, check_file.table)))
    for view, condition in parts.exists.items():
        where = sql.SQL(" WHERE ") + sql.SQL(condition) if condition else sql.SQL("")
        conn.execute(sql.SQL("CREATE VIEW {} AS SELECT * FROM {}{} LIMIT 1").format(
            sql.Identifier(schema, view), real, where))
    return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
        sql.Identifier(schema, check_file.table))).fetchone()[0]


def scan_whole(check_file: CheckFile, *, conninfo: str, severity: Severity, blocking: bool,
               variables: dict[str, str]) -> list[CheckResult]:
    """Scan the whole table with the check file (its `changes query` entries left out)."""
    text = check_file.path.read_text(encoding="utf-8")
    if CHANGES_QUERY not in text:
        return scan_file(check_file, conninfo=conninfo, severity=severity, blocking=blocking, variables=variables)
    try:
        document = strip_changes_queries(yaml.safe_load(text) or {})
    except yaml.YAMLError:  # Soda reports the malformed file as the scan's error
        return scan_file(check_file, conninfo=conninfo, severity=severity, blocking=blocking, variables=variables)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / check_file.path.name
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        results = scan_file(replace(check_file, path=path), conninfo=conninfo, severity=severity, blocking=blocking,
                            variables=variables)
    return [replace(r, check_file=check_file.display_path) for r in results]
