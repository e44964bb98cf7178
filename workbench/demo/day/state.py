"""The state of one simulated day: what Level-1 holds at its start, and what the day changed so far."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import psycopg
from psycopg import sql

from workbench.demo.calendar import (
    business_days_in_month,
    close_day,
    history_end_of,
    is_business_day,
    period_month,
    period_of,
)
from workbench.demo.documents.orgs import BankAccount, Org, pick_account
from workbench.demo.reference import ORG_CITIES, ORG_WEIGHTS, PRIMARY_KEYS, SCHEMA, SEASON, growth
from workbench.demo.values import DAY, cents, poisson, stochastic_round, ts_datetime, ts_of
from workbench.demo.vocab import DirtyKind, PeriodEvent, UnitStatus
from workbench.demo.writer import RowWriter
from workbench.paths import DEMO_SQL

DAY_SQL = "day.sql"
LEVEL1_SQL = "level1.sql"
VOUCHERS_AT_SCALE_1 = 9_000  # vouchers of a seeded history (HISTORY_DAYS long) at scale 1
DAY_OFF_SHARE = 0.15  # of a working day's documents keyed on a day off (only where a step allows it)
_NO_IDS = ("org_unit", "account", "accounting_period")  # keyed by codes, not by increasing ids


class Day:
    """Carry one simulated day: the Level-1 state it starts from, its randomness, and its changes.

    New rows go through ``out`` (ids continue from each table's maximum, so the rows a day inserted are
    exactly the ids from ``first_ids`` on; rows keyed by codes are recorded in ``added``); updates and
    deletes go through ``update`` and ``delete``, which record what changed for the day's summary.
    ``withhold`` takes back rows the day inserted (an incident: Level-1 delivered only part of the day).

    ``rare`` is a second random stream for the rare period events and the incidents, so that a day
    with or without them draws the same ``rng`` sequence and leaves everything else as it was.

    ``writable`` lists the periods whose vouchers the day's ordinary work may still change (see
    day/closes.py); ``writable_from`` is the first day of the earliest of them.
    """

    def __init__(self, cur: psycopg.Cursor, day: dt.date, seed: int, dirty_rate: float) -> None:
        self.cur = cur
        self.day = day
        self.ord = day.toordinal()
        self.period = period_of(self.ord)
        self.rng = random.Random(f"simulate|{seed}|{day.isoformat()}")
        self.rare = random.Random(f"rare|{seed}|{day.isoformat()}")
        self.seed = seed
        self.dirty_rate = dirty_rate
        self.business = is_business_day(self.ord)
        self.start_ts = self.ord * DAY
        self.start = ts_datetime(self.start_ts)
        self.updated: dict[str, set] = defaultdict(set)
        self.deleted: dict[str, set] = defaultdict(set)
        self.late: dict[str, set] = defaultdict(set)
        self.added: dict[str, set] = defaultdict(set)
        self.withheld: dict[str, set] = defaultdict(set)
        self.period_events: dict[PeriodEvent, list[str]] = {event: [] for event in PeriodEvent}
        self.closed_period_vouchers: list[int] = []
        # Documents withdrawn or voided today for a correction, to be entered again among the day's own.
        self.withdrawn_claims: list[tuple] = []  # deletable_claims rows without the key
        self.voided_invoices: list[tuple[tuple, int]] = []  # (voidable_invoices row, when voided)
        self.dirty: dict[DirtyKind, list[tuple[str, int]]] = {kind: [] for kind in DirtyKind}
        self._load_tables()
        self._load_orgs()
        self._load_writable()
        self.out = RowWriter(cur, self.first_ids)
        self.load_voucher_numbers(self.period)

    # ------------------------------------------------------------------ reading Level-1
    def one(self, name: str, params: dict | None = None, file: str = DAY_SQL) -> Any:
        """Run a named statement and return the first column of its first row (None without rows)."""
        row = self.cur.execute(DEMO_SQL.named(file, name), params).fetchone()
        return row[0] if row else None

    def all(self, name: str, params: dict | None = None) -> list[tuple]:
        """Run a named statement of day.sql and return its rows."""
        return self.cur.execute(DEMO_SQL.named(DAY_SQL, name), params).fetchall()

    def load_voucher_numbers(self, period: str) -> None:
        """Continue each org's voucher numbers of a period from the highest one Level-1 holds."""
        for org_id, last in self.all("voucher_numbers", {"period": period}):
            suffix = last.rsplit("-", 1)[-1]
            self.out.numbers.setdefault((org_id, period), int(suffix) if suffix.isdigit() else 0)

    def _load_tables(self) -> None:
        self.prev_max: dict[str, int | None] = {}
        self.first_ids: dict[str, int] = {}
        for table, pk in PRIMARY_KEYS.items():
            ident = sql.Identifier(SCHEMA, table)
            latest = self.cur.execute(sql.SQL("SELECT max(updated_at) FROM {}").format(ident)).fetchone()[0]
            self.prev_max[table] = None if latest is None else ts_of(latest)
            if table not in _NO_IDS:
                query = sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(pk), ident)
                self.first_ids[table] = (self.cur.execute(query).fetchone()[0] or 0) + 1
        go_live = self.one("go_live_date", file=LEVEL1_SQL)
        if go_live is None:
            raise RuntimeError("l1.bank_account is empty: seed Level-1 first")
        # Volumes follow the scale the history was seeded at (estimated from its size when not recorded),
        # so they do not compound as days are added.
        self.scale: float = self.one("seeded_scale", file=LEVEL1_SQL) or max(
            0.05, self.one("vouchers_up_to", {"day": history_end_of(go_live)}, file=LEVEL1_SQL) / VOUCHERS_AT_SCALE_1
        )
        self.growth = growth(self.day.year, go_live.year)

    def _load_orgs(self) -> None:
        self.orgs: dict[str, Org] = {
            org_id: Org(org_id, name, level, ORG_CITIES.get(org_id, "上海"), ORG_WEIGHTS.get(org_id, 0.5) or 0.5)
            for org_id, name, level in self.all("active_orgs")
        }
        for org_id, dept, name in self.all("staff"):
            if org_id in self.orgs:
                self.orgs[org_id].employees.setdefault(dept, []).append(name)
        for org in self.orgs.values():
            org.departments = sorted(org.employees)
            org.dept_weights = [1.0] * len(org.departments)
        self.bank_accounts: dict[int, BankAccount] = {}
        for account_id, org_id, bank, floor, opening, status in self.all("bank_accounts"):
            account = BankAccount(account_id, org_id, bank, cents(floor), cents(opening))
            self.bank_accounts[account_id] = account
            if status == UnitStatus.ACTIVE and org_id in self.orgs:
                self.orgs[org_id].accounts.append(account)
        self.doc_orgs = [o for o in self.orgs.values() if o.employees and o.accounts]
        self.doc_weights = [o.weight for o in self.doc_orgs]
        self.trading_orgs = [o for o in self.doc_orgs if o.trading]
        self.trading_weights = [o.weight for o in self.trading_orgs]
        self.trading_ids = {o.org_id for o in self.trading_orgs}

    def _load_writable(self) -> None:
        """Keep the periods never closed whose close day lies after the day, and the day's own one.

        A period closing today is left alone too: its close at 18:00 comes before the day's changes
        reach Level-2. A period without a row (Level-1 seeded before periods existed) counts as closed,
        except the day's own, whose row the day's period housekeeping adds.
        """
        ever_closed = dict(self.all("period_closes"))
        writable = {p for p, closed in ever_closed.items() if not closed and close_day(*period_month(p)) > self.ord}
        if self.period not in ever_closed:
            writable.add(self.period)
        self.writable: list[str] = sorted(writable)
        self.writable_from = dt.date(*period_month(self.writable[0]), 1)

    # ------------------------------------------------------------------ choices
    def at(self, low: int = 30600, high: int = 75600) -> int:
        """Return a moment of the day (local seconds), by default between 08:30 and 21:00."""
        return self.start_ts + self.rng.randint(low, high)

    def org(self, trading: bool = False) -> Org:
        """Pick an org that books documents, by business weight (a trading one if asked)."""
        if trading and self.trading_orgs:
            return self.rng.choices(self.trading_orgs, self.trading_weights)[0]
        return self.rng.choices(self.doc_orgs, self.doc_weights)[0]

    def account(self, org: Org) -> BankAccount:
        """Pick the account a document of the org is paid from or into."""
        return pick_account(self.rng, org)

    def daily(self, monthly_rate: float, orgs_weights: list[float], minimum: int) -> int:
        """Turn a per-org-month rate into today's count (fewer on days off, never below minimum).

        As the history does (history/month.py): the month's season and the year's growth apply, and a
        month's documents fall on its working days at random, so a simulated day continues the history,
        its count spread around the mean as a day of the history is (Poisson).
        """
        year, month = self.day.year, self.day.month
        expected = monthly_rate * sum(orgs_weights) * self.scale * SEASON[month] * self.growth
        expected /= business_days_in_month(year, month)
        expected *= 1.0 if self.business else DAY_OFF_SHARE
        return max(minimum, poisson(self.rng, expected))

    def sample(self, rows: list, count: int) -> list:
        """Pick up to ``count`` of the rows at random."""
        return self.rng.sample(rows, min(count, len(rows)))

    def sample_keys(self, rows: list, per_scale: float, minimum: int = 1) -> list:
        """Pick about per_scale × scale (at least ``minimum``) of the candidate rows; return their keys sorted."""
        count = max(minimum, stochastic_round(self.rng, per_scale * self.scale))
        return sorted(r[0] for r in self.sample(rows, count))

    def random_keys(
        self, table: str, statement: str, count: int, params: dict, oversample: int = 20, low: int = 1
    ) -> list:
        """Pick up to ``count`` random keys of rows older than the day that a named statement accepts.

        The statement filters ``%(probes)s``, random keys from ``low`` to below the table's maximum before
        the day.
        """
        max_id = self.first_ids[table] - 1
        if max_id - low < 1 or count <= 0:
            return []
        probes = sorted({self.rng.randint(low, max_id - 1) for _ in range(count * oversample)})
        rows = self.all(statement, {**params, "probes": probes})
        return sorted(self.rng.sample([r[0] for r in rows], min(count, len(rows))))

    # ------------------------------------------------------------------ changes
    def inserted(self, table: str) -> range:
        """Return the keys of the rows the day inserted into a table so far."""
        if table in _NO_IDS:
            return range(0)
        return range(self.first_ids[table], self.out.next_ids[table])

    def update(self, table: str, key: Any, ts: int, **values: Any) -> None:
        """Update a row and stamp it ``ts``; a row older than the day counts as updated (late if ``ts`` is
        at or below the table's max(updated_at) before the day)."""
        assignments = [sql.SQL("{} = %s").format(sql.Identifier(col)) for col in values]
        assignments.append(sql.SQL("updated_at = %s"))
        self.cur.execute(
            sql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
                sql.Identifier(SCHEMA, table), sql.SQL(", ").join(assignments), sql.Identifier(PRIMARY_KEYS[table])
            ),
            [*values.values(), ts_datetime(ts), key],
        )
        if key in self.inserted(table):
            return
        self.updated[table].add(key)
        previous = self.prev_max[table]
        if previous is not None and ts <= previous:
            self.late[table].add(key)

    def delete(self, table: str, keys: list) -> None:
        """Hard-delete rows by key."""
        if keys:
            self._delete(table, keys)
            self.deleted[table].update(keys)

    def withhold(self, table: str, keys: list) -> None:
        """Take back rows the day inserted, as if Level-1 had never received them (not counted as deleted)."""
        if keys:
            self._delete(table, keys)
            self.withheld[table].update(keys)

    def _delete(self, table: str, keys: list) -> None:
        self.cur.execute(
            sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(SCHEMA, table), sql.Identifier(PRIMARY_KEYS[table])
            ),
            [keys],
        )
