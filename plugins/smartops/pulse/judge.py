"""Judge one business date: every inventory table's volume and freshness, closed-period changes, applied drift.

The stage entry of the data's pulse (the `data_pulse` DAG, `python -m smartops pulse judge`): it reads
what business date D's runs knew from the warehouse — the per-date volumes of ops.sync_ledger (and,
once per table, a cold-start profile counted from ods by the table's activity column), the rows D's
syncs wrote to period-guarded tables, the accounting periods and their close/reopen history, the
schema changes D's syncs applied — hands them to the pure judges and stores every verdict in
ops.pulse_verdict, replacing an earlier judgement of D. Nothing here reads the clock: a replay of D
judges what D's runs loaded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import psycopg
from psycopg import sql

from smartops.calendar import BusinessCalendar
from smartops.config.calendar import GuardedTable, Periods
from smartops.config.inventory import BackflowTable, Inventory
from smartops.errors import ConfigError
from smartops.pulse import history, store
from smartops.pulse.freshness import FreshnessVerdict, judge_freshness, newest_activity
from smartops.pulse.integrity import Change, IntegrityFinding, Period, PeriodStatus, Reopen, judge_integrity
from smartops.pulse.model import RowChange
from smartops.pulse.volume import VolumePoint, VolumeVerdict, judge_volume
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Category

log = logging.getLogger(__name__)

SQL = "pulse/judge.sql"
# How far back the volume history is read: a year of comparable days covers every kind of day.
HISTORY = timedelta(days=400)


@dataclass(frozen=True)
class Drift:
    """A schema change D's sync applied (a column added at Level-1 and absorbed): a notice, not a failure."""

    table: str
    business_date: date
    column: str
    change: str
    source_type: str | None

    @property
    def text_en(self) -> str:
        return f"{self.table}: column {self.column} {self.change} at Level-1 ({self.source_type}) and applied to ods"

    @property
    def text_zh(self) -> str:
        return f"{self.table}：一级平台新增列 {self.column}（{self.source_type}），已同步到 ods"


@dataclass
class PulseReport:
    """Everything one judging run decided about business date D."""

    business_date: date
    volume: list[VolumeVerdict] = field(default_factory=list)
    freshness: list[FreshnessVerdict] = field(default_factory=list)
    integrity: list[IntegrityFinding] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    judged: dict[Category, list[str]] = field(default_factory=dict)  # tables judged per category

    @property
    def findings(self) -> list[VolumeVerdict | FreshnessVerdict | IntegrityFinding]:
        return [v for v in [*self.integrity, *self.volume, *self.freshness] if v.finding is not None]

    def summary(self) -> dict:
        return {"business_date": self.business_date.isoformat(),
                "findings": [f"{v.finding.value} {v.table}" for v in self.findings],
                "drift": [f"{d.table}.{d.column}" for d in self.drift],
                "judged": {c.value: len(t) for c, t in self.judged.items()}}


def judge_day(warehouse: str, day: date, *, run_id: str, inventory: Inventory, calendar: BusinessCalendar,
              periods: Periods | None) -> PulseReport:
    """Judge business date `day` and store the verdicts (one transaction); return what was found."""
    report = PulseReport(day)
    with psycopg.connect(warehouse) as conn, conn.transaction():
        conn.execute("SET LOCAL TimeZone = 'Asia/Shanghai'")  # a timestamp's date is its business date
        series = _volume_series(conn, day, inventory)
        for table in inventory.tables:
            points = series.get(table.name, [])
            volume = judge_volume(table.name, day, points, calendar, table.pulse.volume)
            fresh = judge_freshness(table.name, day, newest_activity(points, day), calendar, table.pulse.freshness)
            store.replace_verdicts(conn, run_id=run_id, business_date=day, table=table.name,
                                   category=Category.VOLUME, verdicts=volume)
            store.replace_verdicts(conn, run_id=run_id, business_date=day, table=table.name,
                                   category=Category.FRESHNESS, verdicts=[fresh] if fresh else [])
            report.volume += volume
            report.freshness += [fresh] if fresh else []
            report.judged.setdefault(Category.VOLUME, []).extend([table.name] if volume else [])
            report.judged.setdefault(Category.FRESHNESS, []).extend([table.name] if fresh else [])
        if periods is not None and _ods_exists(conn, periods.tables.table):  # periods not loaded yet: not judged
            report.integrity = _judge_periods(conn, day, run_id, inventory, periods)
            report.judged[Category.INTEGRITY] = [g.table for g in periods.guarded]
        report.drift = [Drift(*row) for row in conn.execute(named_sql(SQL, "applied_drift"), {"day": day})]
        report.judged[Category.DRIFT] = inventory.names
    log.info("pulse %s: %d volume, %d freshness verdicts; findings: %s; drift: %s", day, len(report.volume),
             len(report.freshness), ", ".join(report.summary()["findings"]) or "none",
             ", ".join(report.summary()["drift"]) or "none")
    return report


def _volume_series(conn: psycopg.Connection, day: date, inventory: Inventory) -> dict[str, list[VolumePoint]]:
    """Each table's per-date volume up to `day`: its cold-start profile, then its syncs' (ledger)."""
    ledger = history.read_all_volume_series(conn, day - HISTORY, day)
    series: dict[str, list[VolumePoint]] = {}
    for table in inventory.tables:
        points = ledger.get(table.name, [])
        profile = _profile(conn, table, before=min((p.business_date for p in points), default=day))
        series[table.name] = [*(p for p in profile if p.business_date >= day - HISTORY), *points]
    return series


def _profile(conn: psycopg.Connection, table: BackflowTable, *, before: date) -> list[VolumePoint]:
    """The table's cold-start profile: rows per activity date before its syncs began, counted once from ods.

    Counted the first time it is asked for and kept (ops.volume_profile), so a replay reads the same history.
    """
    column = table.pulse.activity_column
    if column is None:
        return []
    rows = conn.execute(named_sql(SQL, "profile"), {"table": table.name}).fetchall()
    if not rows and _ods_exists(conn, table.name):
        conn.execute(sql.SQL(
            "INSERT INTO ops.volume_profile (table_name, business_date, rows_inserted) "
            "SELECT {name}, {column}::date, count(*) FROM {ods} WHERE {column}::date < {before} "
            "GROUP BY {column}::date"
        ).format(name=sql.Literal(table.name), column=sql.Identifier(column),
                 ods=sql.Identifier("ods", table.name), before=sql.Literal(before)))
        rows = conn.execute(named_sql(SQL, "profile"), {"table": table.name}).fetchall()
    return [VolumePoint(day, inserted) for day, inserted in rows]


def _ods_exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute(named_sql(SQL, "ods_table_exists"), {"table": table}).fetchone()[0]


def _judge_periods(conn: psycopg.Connection, day: date, run_id: str, inventory: Inventory,
                   periods: Periods) -> list[IntegrityFinding]:
    """Changes D's syncs brought to rows of closed periods, per guarded table (verdicts stored)."""
    for name in [periods.tables.table, *[g.table for g in periods.guarded],
                 *[g.parent_table for g in periods.guarded if g.parent_table]]:
        if name not in inventory.by_name:
            raise ConfigError(f"calendar.yaml: periods name table {name!r}, which is not in the backflow "
                              f"inventory; valid tables: {', '.join(inventory.names)}")
    known = _periods(conn, periods)
    own_period = {g.table: g.period_column for g in periods.guarded if g.period_column}
    findings = []
    for guarded in (g for g in periods.guarded if _ods_exists(conn, g.table)):
        if guarded.parent_table and guarded.parent_table not in own_period:
            raise ConfigError(f"calendar.yaml: periods.guarded {guarded.table!r} takes its period from "
                              f"{guarded.parent_table!r}, which needs its own guarded entry with a period_column")
        cursor = inventory.by_name[guarded.table].cursor
        if cursor is None:
            raise ConfigError(f"calendar.yaml: periods.guarded {guarded.table!r} has no cursor in the inventory; "
                              "a change's time is its cursor value")
        changes = _changes(conn, day, guarded, own_period.get(guarded.parent_table or ""), cursor)
        found = judge_integrity(guarded.table, day, changes, known)
        store.replace_verdicts(conn, run_id=run_id, business_date=day, table=guarded.table,
                               category=Category.INTEGRITY, verdicts=found)
        findings += found
    return findings


def _periods(conn: psycopg.Connection, config: Periods) -> dict[str, Period]:
    """The accounting periods as loaded in ods, with their reopen windows from the close/reopen log."""
    tables = config.tables
    rows = conn.execute(sql.SQL("SELECT {p}::text, {s}::text, {c} FROM {t} WHERE _deleted_at IS NULL").format(
        p=sql.Identifier(tables.period_column), s=sql.Identifier(tables.status_column),
        c=sql.Identifier(tables.closed_at_column), t=sql.Identifier("ods", tables.table))).fetchall()
    reopens: dict[str, list[Reopen]] = {}
    if tables.log_table:
        log_rows = conn.execute(sql.SQL(
            "SELECT {p}::text, {a}::text, {at} FROM {t} WHERE _deleted_at IS NULL ORDER BY {p}, {at}").format(
            p=sql.Identifier(tables.log_period_column), a=sql.Identifier(tables.log_action_column),
            at=sql.Identifier(tables.log_at_column), t=sql.Identifier("ods", tables.log_table))).fetchall()
        reopens = _reopen_windows(log_rows)
        # The period closed for the first time at its first close: the table's closed_at is the latest one.
        first_close = {}
        for period, action, at in log_rows:
            if action == "close":
                first_close.setdefault(period, at)
    else:
        first_close = {}
    return {period: Period(period, PeriodStatus(status), first_close.get(period, closed_at),
                           tuple(reopens.get(period, ())))
            for period, status, closed_at in rows}


def _reopen_windows(log_rows: list[tuple[str, str, datetime]]) -> dict[str, list[Reopen]]:
    """Pair each reopen with the close after it (None while still reopened)."""
    windows: dict[str, list[Reopen]] = {}
    open_since: dict[str, datetime] = {}
    for period, action, at in log_rows:
        if action == "reopen":
            open_since[period] = at
        elif action == "close" and period in open_since:
            windows.setdefault(period, []).append(Reopen(open_since.pop(period), at))
    for period, at in open_since.items():
        windows.setdefault(period, []).append(Reopen(at, None))
    return windows


def _changes(conn: psycopg.Connection, day: date, guarded: GuardedTable, parent_period: str | None,
             cursor: str) -> list[Change]:
    """The rows of `guarded` that D's syncs wrote or marked deleted, with their period and change time
    (the cursor's value: when Level-1 changed the row; the mark's time for a deletion)."""
    row = sql.Identifier("r")
    if guarded.parent_table:
        period = sql.SQL("(SELECT p.{pc}::text FROM {parent} AS p WHERE p.{key} = r.{key})").format(
            pc=sql.Identifier(parent_period), parent=sql.Identifier("ods", guarded.parent_table),
            key=sql.Identifier(guarded.parent_key))
        record = sql.SQL("r.{}::text").format(sql.Identifier(guarded.parent_key))
        line = sql.SQL("r.{}::text").format(sql.Identifier(guarded.id_column))
    else:
        period = sql.SQL("r.{}::text").format(sql.Identifier(guarded.period_column))
        record, line = sql.SQL("r.{}::text").format(sql.Identifier(guarded.id_column)), sql.SQL("NULL")
    amount = sql.SQL(" + ").join(sql.SQL("coalesce(r.{}, 0)").format(sql.Identifier(c))
                                 for c in guarded.amount_columns) if guarded.amount_columns else sql.SQL("NULL")
    statement = sql.SQL(
        "SELECT {record}, {line}, {period}, r._deleted_at IS NOT NULL, coalesce(r._deleted_at, r.{cursor}), "
        "{amount} FROM {table} AS {row} WHERE r._run_id = ANY(%(runs)s)"
    ).format(record=record, line=line, period=period, amount=amount, table=sql.Identifier("ods", guarded.table),
             row=row, cursor=sql.Identifier(cursor))
    runs = [r for (r,) in conn.execute(named_sql(SQL, "runs_of_day"), {"table": guarded.table, "day": day})]
    if not runs:
        return []
    return [Change(record_id=rec, period=per, kind=RowChange.DELETED if deleted else RowChange.WRITTEN,
                   changed_at=at, line_id=ln, amount=amt)
            for rec, ln, per, deleted, at, amt in conn.execute(statement, {"runs": runs}) if per is not None]

