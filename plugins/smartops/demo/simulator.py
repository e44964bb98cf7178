"""Simulate one business day of changes on the demo Level-1 schema.

Each call mutates ``l1`` the way a shared-finance platform would during one
day, in one transaction: new documents with their vouchers and bank
transactions, status changes, voids, hard deletes (only where the platform
really deletes), late updates that land at or below a table's previous
``max(updated_at)``, a batch posting that stamps hundreds of voucher lines with
one ``updated_at``, and - at ``dirty_rate`` - deliberately dirty rows.

Activity volumes follow the size of the seeded history (the vouchers dated up
to 2026-11-28, about 9,000 per unit of seed scale), so they do not compound as
days are added, with minimums so that every kind of change happens every day.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

from smartops.demo.calendar import add_business_days, history_end_of, is_business_day, next_business_day
from smartops.demo.documents.bank import fee_voucher_lines
from smartops.demo.documents.budgets import budget_cents
from smartops.demo.documents.claims import Claim, claim_amount_cents, claim_voucher_lines
from smartops.demo.documents.funds import internal_transfer_voucher_lines, transfer_voucher_lines
from smartops.demo.documents.manual import allocation_batch_lines, allocation_voucher_lines, misc_voucher_lines
from smartops.demo.documents.payments import payment_voucher_lines
from smartops.demo.documents.payroll import payroll_payout_lines
from smartops.demo.documents.purchases import purchase_voucher_lines
from smartops.demo.documents.receivables import invoice_no, invoice_voucher_lines, receipt_voucher_lines
from smartops.demo.documents.vouchers import Line, voucher_no
from smartops.demo.names import clerk_names, company_name, person_name, supplier_name
from smartops.demo.reference import (
    CATEGORY_ACCOUNTS,
    CATEGORY_WEIGHTS,
    HQ_ORG_ID,
    ORG_CITIES,
    ORG_WEIGHTS,
    PAYROLL_BASE_C,
    PRIMARY_KEYS,
    RATES,
    SCHEMA,
    TABLE_COLUMNS,
)
from smartops.demo.values import SHANGHAI, doc_no, stochastic_round
from smartops.sqlfiles import named_sql

logger = logging.getLogger(__name__)

DIRTY_KINDS = ("null_required", "negative_amount", "orphan_reference", "unbalanced_voucher", "bad_currency")
BAD_CURRENCIES = ("RMB", "cny ", "人民币", "USD")
ORPHAN_ID_OFFSET = 10_000_000  # orphan references point this far beyond the parent's max id
LATE_UPDATE_TABLES = ("gl_voucher_line", "expense_claim", "ar_invoice")
VOUCHERS_AT_SCALE_1 = 9_000  # seeded vouchers (history up to HISTORY_END) at scale 1
BUSINESS_DAYS_PER_MONTH = 21.75


@dataclass(frozen=True)
class DaySummary:
    """What one simulated day changed, per table, plus the dirty rows it injected."""

    day: dt.date
    inserted: dict[str, int]
    updated: dict[str, int]
    deleted: dict[str, int]
    # rows whose new updated_at is at or below the table's max(updated_at) before the day
    late_updates: dict[str, int]
    dirty: dict[str, list]  # kind -> list of (table, primary key value)

    def as_dict(self) -> dict:
        """Return a JSON-serialisable dict."""
        return {
            "day": self.day.isoformat(),
            "inserted": dict(self.inserted),
            "updated": dict(self.updated),
            "deleted": dict(self.deleted),
            "late_updates": dict(self.late_updates),
            "dirty": {kind: [list(item) for item in items] for kind, items in self.dirty.items()},
        }


def _last_business_day_on_or_before(day: dt.date) -> int:
    ordinal = day.toordinal()
    while not is_business_day(ordinal):
        ordinal -= 1
    return ordinal


def _dec(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _cents(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


class _Day:
    """Carry the state of one simulated day and apply its changes."""

    def __init__(self, cur: psycopg.Cursor, day: dt.date, seed: int, dirty_rate: float) -> None:
        self.cur = cur
        self.day = day
        self.ord = day.toordinal()
        self.rng = random.Random(f"simulate|{seed}|{day.isoformat()}")
        self.dirty_rate = dirty_rate
        self.business = is_business_day(self.ord)
        self.start = dt.datetime.combine(day, dt.time(), SHANGHAI)
        self.inserted: dict[str, set] = defaultdict(set)
        self.updated: dict[str, set] = defaultdict(set)
        self.deleted: dict[str, set] = defaultdict(set)
        self.late: dict[str, set] = defaultdict(set)
        self.dirty: dict[str, list] = {kind: [] for kind in DIRTY_KINDS}
        self.pending: dict[str, list[tuple]] = defaultdict(list)
        self.voucher_seq: dict[str, int] = {}
        self.counts: dict[str, int] = defaultdict(int)  # new rows per kind today, for dirty rates
        self._load_state()

    # ------------------------------------------------------------------ state
    def _one(self, query: str | sql.Composable, params: Any = None) -> Any:
        self.cur.execute(query, params)
        row = self.cur.fetchone()
        return row[0] if row else None

    def _all(self, query: str | sql.Composable, params: Any = None) -> list[tuple]:
        self.cur.execute(query, params)
        return self.cur.fetchall()

    def _load_state(self) -> None:
        self.prev_max: dict[str, dt.datetime | None] = {}
        self.next_id: dict[str, int] = {}
        for table, pk in PRIMARY_KEYS.items():
            ident = sql.Identifier(SCHEMA, table)
            self.prev_max[table] = self._one(sql.SQL("SELECT max(updated_at) FROM {}").format(ident))
            if table not in ("org_unit", "account"):
                self.next_id[table] = (
                    self._one(sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(pk), ident)) or 0
                ) + 1
        seeded_end = history_end_of(self._one(named_sql("demo/level1.sql", "go_live_date")))
        history = self._one(named_sql("demo/level1.sql", "vouchers_up_to"), {"day": seeded_end})
        self.scale = max(0.05, history / VOUCHERS_AT_SCALE_1)
        self.orgs = [
            org
            for (org,) in self._all("SELECT org_id FROM l1.org_unit WHERE status = 'active' ORDER BY org_id")
        ]
        self.weights = [ORG_WEIGHTS.get(org, 0.5) or 0.5 for org in self.orgs]
        self.levels = dict(self._all("SELECT org_id, org_level FROM l1.org_unit ORDER BY org_id"))
        self.org_names = dict(self._all("SELECT org_id, org_name FROM l1.org_unit ORDER BY org_id"))
        self.staff: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for org, dept, name in self._all(
            "SELECT DISTINCT org_id, department, employee_name FROM l1.expense_claim "
            "WHERE org_id IS NOT NULL AND department IS NOT NULL AND employee_name IS NOT NULL "
            "ORDER BY 1, 2, 3"
        ):
            self.staff[org][dept].append(name)
        self.accounts: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for account_id, org, bank in self._all(
            "SELECT bank_account_id, org_id, bank_name FROM l1.bank_account "
            "WHERE status = 'active' ORDER BY bank_account_id"
        ):
            self.accounts[org].append((account_id, bank))
        for org, last in self._all(
            "SELECT org_id, max(voucher_no) FROM l1.gl_voucher WHERE period = %s "
            "AND org_id IS NOT NULL GROUP BY org_id ORDER BY org_id",
            (self.day.isoformat()[:7],),
        ):
            suffix = last.rsplit("-", 1)[-1]
            self.voucher_seq[org] = int(suffix) if suffix.isdigit() else 0
        self.doc_orgs = [o for o in self.orgs if self.staff.get(o) and self.accounts.get(o)]
        self.doc_weights = [ORG_WEIGHTS.get(o, 0.5) or 0.5 for o in self.doc_orgs]
        self.trading_orgs = [o for o in self.doc_orgs if self.levels.get(o) != 2]
        self.trading_weights = [ORG_WEIGHTS.get(o, 0.5) or 0.5 for o in self.trading_orgs]

    def _daily(self, monthly_rate: float, weights: list[float], minimum: int) -> int:
        """Turn a per-org-month rate into today's count (fewer on days off, never below minimum)."""
        expected = monthly_rate * sum(weights) * self.scale / BUSINESS_DAYS_PER_MONTH
        expected *= 1.0 if self.business else 0.15
        return max(minimum, stochastic_round(self.rng, expected))

    def _at(self, low: int = 30600, high: int = 75600) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.rng.randint(low, high))

    def _org(self, trading: bool = False) -> str:
        if trading and self.trading_orgs:
            return self.rng.choices(self.trading_orgs, self.trading_weights)[0]
        return self.rng.choices(self.doc_orgs, self.doc_weights)[0]

    def _account(self, org: str) -> tuple[int, str]:
        accounts = self.accounts[org]
        if len(accounts) == 1 or self.rng.random() < 0.55:
            return accounts[0]
        return self.rng.choice(accounts[1:])

    def _new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # ------------------------------------------------------------------ writes
    def _insert(self, table: str, row: tuple) -> None:
        self.pending[table].append(row)
        self.inserted[table].add(row[0])

    def flush(self) -> None:
        """COPY every pending inserted row."""
        for table, rows in self.pending.items():
            if not rows:
                continue
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(SCHEMA, table),
                sql.SQL(", ").join(map(sql.Identifier, TABLE_COLUMNS[table])),
            )
            with self.cur.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            rows.clear()

    def _update(self, table: str, key: Any, ts: dt.datetime, **values: Any) -> None:
        assignments = [sql.SQL("{} = %s").format(sql.Identifier(col)) for col in values]
        assignments.append(sql.SQL("updated_at = %s"))
        self.cur.execute(
            sql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
                sql.Identifier(SCHEMA, table),
                sql.SQL(", ").join(assignments),
                sql.Identifier(PRIMARY_KEYS[table]),
            ),
            [*values.values(), ts, key],
        )
        if key in self.inserted[table]:
            return
        self.updated[table].add(key)
        previous = self.prev_max[table]
        if previous is not None and ts <= previous:
            self.late[table].add(key)

    def _delete(self, table: str, keys: list) -> None:
        if not keys:
            return
        self.cur.execute(
            sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(SCHEMA, table), sql.Identifier(PRIMARY_KEYS[table])
            ),
            [keys],
        )
        self.deleted[table].update(keys)

    def _voucher(
        self,
        org: str,
        source_type: str,
        source_id: int | None,
        lines: list[Line],
        ts: dt.datetime,
        status: str = "posted",
        created_by: str | None = None,
        currency: str = "CNY",
    ) -> int:
        voucher_id = self._new_id("gl_voucher")
        period = self.day.isoformat()[:7]
        self.voucher_seq[org] = self.voucher_seq.get(org, 0) + 1
        clerk = created_by or clerk_names(org)[self.rng.random() < 0.4]
        self._insert(
            "gl_voucher",
            (
                voucher_id,
                voucher_no(org, period, self.voucher_seq[org]),
                org,
                period,
                self.day,
                source_type,
                source_id,
                status,
                clerk,
                ts,
            ),
        )
        for line_no, (account, debit, credit, summary) in enumerate(lines, 1):
            self._insert(
                "gl_voucher_line",
                (
                    self._new_id("gl_voucher_line"),
                    voucher_id,
                    line_no,
                    account,
                    _dec(debit),
                    _dec(credit),
                    currency,
                    summary,
                    ts,
                ),
            )
        self.counts["vouchers"] += 1
        self.counts["lines"] += len(lines)
        return voucher_id

    def _txn(
        self,
        account_id: int,
        org: str,
        ts: dt.datetime,
        direction: str,
        amount_c: int,
        counterparty: str | None,
        summary: str,
        ref_type: str | None = None,
        ref_id: int | None = None,
    ) -> int:
        txn_id = self._new_id("bank_transaction")
        self._insert(
            "bank_transaction",
            (
                txn_id,
                account_id,
                org,
                ts,
                direction,
                _dec(amount_c),
                counterparty,
                summary,
                ref_type,
                ref_id,
                ts,
            ),
        )
        return txn_id

    def _payment_order(
        self,
        org: str,
        payee: str,
        amount_c: int,
        ts: dt.datetime,
        pay_date: dt.date,
        source_type: str | None,
        source_id: int | None,
        currency: str = "CNY",
    ) -> int:
        payment_id = self._new_id("payment_order")
        account_id, _bank = self._account(org)
        self._insert(
            "payment_order",
            (
                payment_id,
                doc_no("FK", self.ord, payment_id),
                org,
                account_id,
                payee,
                _dec(amount_c),
                currency,
                pay_date,
                source_type,
                source_id,
                "pending",
                ts,
            ),
        )
        self.counts["payment_orders"] += 1
        return payment_id

    # ------------------------------------------------------------------ steps
    def run(self) -> None:
        """Apply every step of the day in a fixed order."""
        steps = (
            self.hard_deletes,
            self.customers_and_contracts,
            self.budgets,
            self.new_claims,
            self.voids,
            self.approve_claims,
            self.pay_orders,
            self.new_invoices,
            self.receipts,
            self.purchases,
            self.manual_vouchers,
            self.payroll,
            self.funds,
            self.batch_posting,
            self.inject_dirty,
            self.late_updates,
        )
        for step in steps:
            with self.cur.connection.pipeline():
                step()
            self.flush()

    # ---- hard deletes (only where the platform deletes)
    def _sample(self, rows: list, count: int) -> list:
        return self.rng.sample(rows, min(count, len(rows)))

    def hard_deletes(self) -> None:
        """Delete submitted claims, pending payment orders, draft vouchers, and re-key receipts."""
        claims = self._all(
            "SELECT claim_id FROM l1.expense_claim WHERE status = 'submitted' "
            "AND claim_id < (SELECT max(claim_id) FROM l1.expense_claim) ORDER BY claim_id"
        )
        self._delete("expense_claim", self._sample_keys(claims, 0.6))
        orders = self._all(
            "SELECT payment_id FROM l1.payment_order WHERE status = 'pending' "
            "AND payment_id < (SELECT max(payment_id) FROM l1.payment_order) ORDER BY payment_id"
        )
        self._delete("payment_order", self._sample_keys(orders, 0.3))
        drafts = self._all(
            "SELECT v.voucher_id FROM l1.gl_voucher v WHERE v.status = 'draft' "
            "AND v.voucher_id < (SELECT max(voucher_id) FROM l1.gl_voucher) "
            "AND NOT EXISTS (SELECT 1 FROM l1.gl_voucher_line l WHERE l.voucher_id = v.voucher_id "
            "AND l.line_id = (SELECT max(line_id) FROM l1.gl_voucher_line)) ORDER BY v.voucher_id"
        )
        doomed = self._sample_keys(drafts, 0.4)
        if doomed:
            line_ids = [
                r[0]
                for r in self._all(
                    "SELECT line_id FROM l1.gl_voucher_line WHERE voucher_id = ANY(%s) ORDER BY line_id",
                    [doomed],
                )
            ]
            self._delete("gl_voucher_line", line_ids)
            self._delete("gl_voucher", doomed)
        self._rekey_receipts(max(1, stochastic_round(self.rng, 0.2 * self.scale)))

    def _sample_keys(self, rows: list, per_scale: float) -> list:
        """Pick about per_scale × scale (at least one) of the candidate rows; return their keys sorted."""
        count = max(1, stochastic_round(self.rng, per_scale * self.scale))
        return sorted(r[0] for r in self._sample(rows, count))

    def _random_keys(
        self, table: str, condition: str, count: int, params: tuple = (), oversample: int = 20
    ) -> list:
        """Pick up to count random keys below the table's max id that satisfy a condition."""
        max_id = self.next_id[table] - 1
        if max_id < 2 or count <= 0:
            return []
        probes = sorted({self.rng.randint(1, max_id - 1) for _ in range(count * oversample)})
        pk = sql.Identifier(PRIMARY_KEYS[table])
        rows = self._all(
            sql.SQL("SELECT {pk} FROM {table} t WHERE {pk} = ANY(%s) AND ({cond}) ORDER BY {pk}").format(
                pk=pk, table=sql.Identifier(SCHEMA, table), cond=sql.SQL(condition)
            ),
            (probes, *params),
        )
        return sorted(self.rng.sample([r[0] for r in rows], min(count, len(rows))))

    def _rekey_receipts(self, count: int) -> None:
        """Delete receipts keyed against the wrong document number and enter them again."""
        keys = self._random_keys(
            "ar_receipt",
            "org_id IS NOT NULL AND EXISTS (SELECT 1 FROM l1.ar_invoice i WHERE i.invoice_id = t.invoice_id)",
            count,
        )
        if not keys:
            return
        receipts = self._all(
            "SELECT r.receipt_id, r.invoice_id, r.org_id, r.customer_id, r.receipt_date, r.amount, "
            "r.currency, r.bank_account_id, i.invoice_no, c.customer_name "
            "FROM l1.ar_receipt r JOIN l1.ar_invoice i ON i.invoice_id = r.invoice_id "
            "LEFT JOIN l1.customer c ON c.customer_id = r.customer_id "
            "WHERE r.receipt_id = ANY(%s) ORDER BY r.receipt_id",
            (keys,),
        )
        vouchers = self._all(
            "SELECT source_doc_id, voucher_id FROM l1.gl_voucher WHERE source_type = 'ar_receipt' "
            "AND source_doc_id = ANY(%s) AND status <> 'voided' ORDER BY voucher_id",
            (keys,),
        )
        txns = self._all(
            "SELECT ref_doc_id, txn_id FROM l1.bank_transaction WHERE ref_doc_type = 'ar_receipt' "
            "AND ref_doc_id = ANY(%s) ORDER BY txn_id",
            (keys,),
        )
        self._delete("ar_receipt", keys)
        for (
            old_id,
            invoice_id,
            org,
            customer_id,
            when,
            amount,
            currency,
            account_id,
            number,
            customer,
        ) in receipts:
            ts = self._at()
            new_id = self._new_id("ar_receipt")
            self._insert(
                "ar_receipt",
                (
                    new_id,
                    doc_no("SK", self.ord, new_id),
                    invoice_id,
                    org,
                    customer_id,
                    when,
                    amount,
                    currency,
                    account_id,
                    ts,
                ),
            )
            for voucher_id in [v for source, v in vouchers if source == old_id]:
                self._update("gl_voucher", voucher_id, ts, status="voided")
            self._voucher(
                org,
                "ar_receipt",
                new_id,
                receipt_voucher_lines(customer or "", number, _cents(amount)),
                ts + dt.timedelta(minutes=5),
            )
            for txn_id in [t for ref, t in txns if ref == old_id]:
                self._update("bank_transaction", txn_id, ts, ref_doc_id=new_id)

    # ---- master data
    def customers_and_contracts(self) -> None:
        """Close (and often renew) expired contracts, add new customers and adjust credit limits."""
        expired = self._all(
            "SELECT contract_id, org_id, customer_id, contract_type, amount FROM l1.contract "
            "WHERE status = 'active' AND end_date < %s ORDER BY contract_id",
            (self.day,),
        )
        for contract_id, org, customer_id, kind, amount in sorted(
            self._sample(expired, max(1, stochastic_round(self.rng, 2 * self.scale)))
        ):
            ts = self._at(30600, 36000)
            self._update("contract", contract_id, ts, status="closed")
            if org in self.trading_orgs and self.rng.random() < 0.6:
                self._new_contract(org, customer_id, kind, _cents(amount), ts + dt.timedelta(hours=2))
        for _ in range(stochastic_round(self.rng, 0.3 * self.scale)):
            self._new_customer()
        for _ in range(stochastic_round(self.rng, 0.1 * self.scale)):
            self._new_contract(
                self._org(trading=True), None, "purchase", self.rng.randint(20, 300) * 1_000_000, self._at()
            )
        customers = self._all(
            "SELECT customer_id, credit_limit FROM l1.customer WHERE status = 'active' "
            "AND customer_name IS NOT NULL ORDER BY customer_id"
        )
        for customer_id, limit in self._sample(customers, stochastic_round(self.rng, 0.3 * self.scale)):
            new_limit = _cents(limit) + self.rng.choice((-50, 50, 100)) * 1_000_000
            self._update("customer", customer_id, self._at(), credit_limit=_dec(max(new_limit, 10_000_000)))

    def _new_contract(
        self, org: str, customer_id: int | None, kind: str, amount_c: int, ts: dt.datetime
    ) -> int:
        contract_id = self._new_id("contract")
        end = self.day + dt.timedelta(days=round(self.rng.choice((12, 24)) * 30.44) - 1)
        amount_c = int(amount_c * self.rng.uniform(0.8, 1.3)) // 1_000_000 * 1_000_000 or 10_000_000
        prefix = {"sales": "XS", "service": "FW", "purchase": "CG"}[kind]
        self._insert(
            "contract",
            (
                contract_id,
                f"HT-{prefix}-{self.day.year}-{contract_id:06d}",
                org,
                customer_id,
                kind,
                _dec(amount_c),
                "CNY",
                self.day,
                self.day,
                end,
                "active",
                ts,
            ),
        )
        return contract_id

    def _new_customer(self, name_missing: bool = False) -> int:
        org = self._org(trading=True)
        customer_id = self._new_id("customer")
        name, industry = company_name(self.rng, ORG_CITIES.get(org, "上海"))
        ts = self._at()
        credit = self.rng.choice((50, 80, 100, 200)) * 1_000_000_000
        self._insert(
            "customer",
            (
                customer_id,
                f"C{customer_id:06d}",
                None if name_missing else name,
                org,
                industry,
                _dec(credit),
                "active",
                ts,
            ),
        )
        self.counts["customers"] += 1
        if not name_missing:
            self._new_contract(
                org,
                customer_id,
                self.rng.choice(("sales", "service")),
                self.rng.randint(20, 300) * 1_000_000,
                ts + dt.timedelta(minutes=30),
            )
        return customer_id

    def budgets(self) -> None:
        """Load next year's budget (version 1) on the last business day before 28 December."""
        if self.day.month != 12 or self.ord != _last_business_day_on_or_before(self.day.replace(day=28)):
            return
        year = self.day.year
        if self._one("SELECT count(*) FROM l1.budget WHERE period LIKE %s", (f"{year + 1}-%",)):
            return
        current = self._all(
            "SELECT DISTINCT ON (org_id, department, account_code, period) org_id, department, account_code, "
            "period, budget_amount FROM l1.budget WHERE period LIKE %s AND org_id IS NOT NULL "
            "ORDER BY org_id, department, account_code, period, version DESC",
            (f"{year}-%",),
        )
        ts = self.start + dt.timedelta(hours=10)
        growth = self.rng.uniform(1.0, 1.1)
        for org, dept, account, period, amount in current:
            yuan = float(amount or 0) * growth * self.rng.uniform(0.9, 1.15)
            self._insert(
                "budget",
                (
                    self._new_id("budget"),
                    org,
                    dept,
                    account,
                    f"{year + 1}{period[4:]}",
                    _dec(budget_cents(yuan)),
                    1,
                    ts,
                ),
            )

    # ---- expense claims
    def _claim_row(
        self,
        org: str | None,
        amount_c: int | None = None,
        currency: str = "CNY",
        staff_org: str | None = None,
    ) -> tuple[int, str]:
        source = staff_org or org or self.doc_orgs[0]
        dept = self.rng.choice(sorted(self.staff[source]))
        employee = (
            self.rng.choice(self.staff[source][dept]) if self.rng.random() < 0.85 else person_name(self.rng)
        )
        category = self.rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        claim_id = self._new_id("expense_claim")
        amount = claim_amount_cents(self.rng, category) if amount_c is None else amount_c
        self._insert(
            "expense_claim",
            (
                claim_id,
                doc_no("BX", self.ord, claim_id),
                org,
                dept,
                employee,
                category,
                _dec(amount),
                currency,
                self.day,
                "submitted",
                self._at(),
            ),
        )
        self.counts["claims"] += 1
        return claim_id, employee

    def new_claims(self) -> None:
        """Submit today's new expense claims."""
        for _ in range(self._daily(RATES["claims"], self.doc_weights, 2)):
            self._claim_row(self._org())

    def voids(self) -> None:
        """Void unpaid invoices (and their vouchers) and claims that are still in flight."""
        invoices = self._all(
            "SELECT i.invoice_id FROM l1.ar_invoice i WHERE i.status = 'issued' AND i.invoice_date < %s "
            "AND i.org_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM l1.ar_receipt r "
            "WHERE r.invoice_id = i.invoice_id) ORDER BY i.invoice_id",
            (self.day,),
        )
        chosen = sorted(
            r[0] for r in self._sample(invoices, max(1, stochastic_round(self.rng, 0.1 * self.scale)))
        )
        vouchers = (
            self._all(
                "SELECT source_doc_id, voucher_id FROM l1.gl_voucher WHERE source_type = 'ar_invoice' "
                "AND source_doc_id = ANY(%s) AND status <> 'voided' ORDER BY voucher_id",
                (chosen,),
            )
            if chosen
            else []
        )
        for invoice_id in chosen:
            ts = self._at()
            self._update("ar_invoice", invoice_id, ts, status="voided")
            for voucher_id in [v for source, v in vouchers if source == invoice_id]:
                self._update("gl_voucher", voucher_id, ts + dt.timedelta(minutes=3), status="voided")
        claims = self._all(
            "SELECT claim_id, status FROM l1.expense_claim WHERE status IN ('submitted', "
            "'approved') AND claim_date < %s ORDER BY claim_id",
            (self.day,),
        )
        chosen_claims = sorted(self._sample(claims, max(1, stochastic_round(self.rng, 0.1 * self.scale))))
        approved = [claim_id for claim_id, status in chosen_claims if status == "approved"]
        orders = (
            self._all(
                "SELECT source_doc_id, payment_id FROM l1.payment_order "
                "WHERE source_doc_type = 'expense_claim' AND source_doc_id = ANY(%s) AND status = 'pending' "
                "ORDER BY payment_id",
                (approved,),
            )
            if approved
            else []
        )
        for claim_id, _status in chosen_claims:
            ts = self._at()
            self._update("expense_claim", claim_id, ts, status="voided")
            for payment_id in [p for source, p in orders if source == claim_id]:
                self._update("payment_order", payment_id, ts + dt.timedelta(minutes=2), status="voided")

    def approve_claims(self) -> None:
        """Approve or reject submitted claims; raise payment orders for approved ones."""
        unpaid = self._all(
            "SELECT c.claim_id, c.org_id, c.employee_name, c.amount FROM l1.expense_claim c "
            "WHERE c.status = 'approved' AND c.org_id IS NOT NULL AND c.amount > 0 AND c.currency = 'CNY' "
            "AND NOT EXISTS (SELECT 1 FROM l1.payment_order p WHERE p.source_doc_type = 'expense_claim' "
            "AND p.source_doc_id = c.claim_id AND p.status IN ('pending', 'paid')) ORDER BY c.claim_id"
        )
        for claim_id, org, employee, amount in unpaid:  # re-issue orders that were deleted or failed
            if self.accounts.get(org):
                self._payment_order(
                    org, employee, _cents(amount), self._at(), self._pay_date(), "expense_claim", claim_id
                )
        submitted = self._all(
            "SELECT claim_id, org_id, employee_name, amount FROM l1.expense_claim WHERE status = 'submitted' "
            "AND claim_date < %s AND org_id IS NOT NULL AND amount > 0 AND currency = 'CNY' "
            "ORDER BY claim_id",
            (self.day,),
        )
        share = 0.5 if self.business else 0.05
        chosen = self._sample(submitted, max(1, stochastic_round(self.rng, share * len(submitted))))
        for claim_id, org, employee, amount in sorted(chosen):
            ts = self._at()
            if self.rng.random() < 0.05:
                self._update("expense_claim", claim_id, ts, status="rejected")
                continue
            self._update("expense_claim", claim_id, ts, status="approved")
            if self.accounts.get(org):
                self._payment_order(
                    org,
                    employee,
                    _cents(amount),
                    ts + dt.timedelta(minutes=20),
                    self._pay_date(),
                    "expense_claim",
                    claim_id,
                )

    def _pay_date(self) -> dt.date:
        return dt.date.fromordinal(add_business_days(self.ord, self.rng.randint(1, 3)))

    def pay_orders(self) -> None:
        """Execute due payment orders: bank transaction, voucher, claim paid."""
        due = self._all(
            "SELECT p.payment_id, p.org_id, p.bank_account_id, p.payee_name, p.amount, p.source_doc_type, "
            "p.source_doc_id, c.status, c.category, c.amount, c.employee_name "
            "FROM l1.payment_order p LEFT JOIN l1.expense_claim c "
            "ON p.source_doc_type = 'expense_claim' AND c.claim_id = p.source_doc_id "
            "WHERE p.status = 'pending' AND p.amount > 0 AND p.org_id IS NOT NULL AND p.currency = 'CNY' "
            "AND (p.pay_date <= %s OR p.payment_id = ("  # plus the most urgent claim payment, every day
            " SELECT q.payment_id FROM l1.payment_order q JOIN l1.expense_claim e "
            " ON e.claim_id = q.source_doc_id AND e.status = 'approved' WHERE q.status = 'pending' "
            " AND q.source_doc_type = 'expense_claim' AND q.amount > 0 AND q.currency = 'CNY' "
            " AND q.org_id IS NOT NULL ORDER BY q.pay_date, q.payment_id LIMIT 1)) "
            "ORDER BY p.payment_id",
            (self.day,),
        )
        banks = {a: b for accounts in self.accounts.values() for a, b in accounts}
        for (
            payment_id,
            org,
            account_id,
            payee,
            amount,
            source_type,
            source_id,
            claim_status,
            category,
            claim_amount,
            employee,
        ) in due:
            ts = self._at(36000, 64800)
            if payment_id in self.inserted["payment_order"]:  # raised today: an urgent same-day payment
                ts = self.start + dt.timedelta(hours=21, minutes=30, seconds=self.rng.randint(0, 1200))
            amount_c = _cents(amount)
            if source_type == "expense_claim" and claim_status != "approved":
                self._update("payment_order", payment_id, ts, status="voided")
                continue
            if self.rng.random() < 0.02:
                self._update("payment_order", payment_id, ts, status="failed")
                if source_type != "expense_claim":  # claims get a new order from approve_claims
                    self._payment_order(
                        org,
                        payee,
                        amount_c,
                        ts + dt.timedelta(minutes=30),
                        self._pay_date(),
                        source_type,
                        source_id,
                    )
                continue
            self._update("payment_order", payment_id, ts, status="paid")
            self._txn(
                account_id,
                org,
                ts,
                "out",
                amount_c,
                payee,
                "报销款" if source_type == "expense_claim" else "支付货款",
                "payment_order",
                payment_id,
            )
            posted = ts + dt.timedelta(minutes=self.rng.randint(1, 30))
            if source_type == "expense_claim":
                self._update("expense_claim", source_id, ts, status="paid")
                self._voucher(
                    org,
                    "expense_claim",
                    source_id,
                    claim_voucher_lines(Claim(source_id, category, _cents(claim_amount), employee)),
                    posted,
                )
            else:
                self._voucher(
                    org, "payment_order", payment_id, payment_voucher_lines(payee, amount_c), posted
                )
                if self.rng.random() < 0.5 and account_id in banks:
                    self._fee(org, account_id, banks[account_id], ts + dt.timedelta(seconds=30))

    def _fee(self, org: str, account_id: int, bank: str, ts: dt.datetime) -> None:
        fee_c = self.rng.choice((500, 1000, 1500, 2000, 2500, 5000))
        self._txn(account_id, org, ts, "out", fee_c, bank, "转账手续费")
        self._voucher(org, "manual", None, fee_voucher_lines(bank, fee_c), ts + dt.timedelta(minutes=20))

    # ---- receivables
    def new_invoices(self) -> None:
        """Issue today's AR invoices against active sales and service contracts."""
        contracts = self._all(
            "SELECT k.contract_id, k.org_id, k.customer_id, k.contract_type, k.amount, c.customer_name, "
            "t.terms FROM l1.contract k JOIN l1.customer c ON c.customer_id = k.customer_id "
            "LEFT JOIN (SELECT DISTINCT ON (customer_id) customer_id, due_date - invoice_date AS terms "
            " FROM l1.ar_invoice ORDER BY customer_id, invoice_id DESC) t ON t.customer_id = k.customer_id "
            "WHERE k.status = 'active' AND k.contract_type IN ('sales', 'service') AND k.start_date <= %s "
            "AND k.end_date >= %s AND c.status = 'active' AND c.customer_name IS NOT NULL "
            "AND k.org_id = ANY(%s) ORDER BY k.contract_id",
            (self.day, self.day, self.trading_orgs),
        )
        if not contracts:
            return
        for _ in range(self._daily(RATES["invoices"], self.trading_weights, 1)):
            contract_id, org, customer_id, kind, amount, customer, terms = self.rng.choice(contracts)
            rate = 6 if kind == "service" else 13
            net_c = int(_cents(amount) * 100 / (100 + rate) / self.rng.uniform(4, 10))
            net_c = max(net_c // 10_000 * 10_000, 100_000)
            tax_c = round(net_c * rate / 100)
            invoice_id = self._new_id("ar_invoice")
            number = invoice_no(self.ord, invoice_id)
            ts = self._at()
            due = self.day + dt.timedelta(days=terms or (30, 60, 90)[customer_id % 3])
            self._insert(
                "ar_invoice",
                (
                    invoice_id,
                    number,
                    org,
                    customer_id,
                    contract_id,
                    self.day,
                    due,
                    _dec(net_c),
                    _dec(tax_c),
                    "CNY",
                    "issued",
                    ts,
                ),
            )
            self._voucher(
                org,
                "ar_invoice",
                invoice_id,
                invoice_voucher_lines(customer, number, net_c, tax_c),
                ts + dt.timedelta(minutes=self.rng.randint(1, 30)),
            )

    def receipts(self) -> None:
        """Collect money on open invoices (partial and full receipts)."""
        open_invoices = self._all(
            "SELECT i.invoice_id, i.invoice_no, i.org_id, i.customer_id, i.amount + i.tax_amount, "
            "i.due_date, c.customer_name, coalesce(r.paid, 0) "
            "FROM l1.ar_invoice i JOIN l1.customer c ON c.customer_id = i.customer_id "
            "LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM l1.ar_receipt GROUP BY invoice_id) r "
            "ON r.invoice_id = i.invoice_id "
            "WHERE i.status IN ('issued', 'partially_paid') AND i.invoice_date < %s AND i.org_id = ANY(%s) "
            "AND i.updated_at < %s ORDER BY i.invoice_id",
            (self.day, self.trading_orgs, self.start),
        )
        if not open_invoices:
            return
        weights = [3.0 if -10 <= (self.day - row[5]).days <= 30 else 1.0 for row in open_invoices]
        count = self._daily(RATES["invoices"] * 1.1, self.trading_weights, 2)
        picked: list[tuple] = []
        for _ in range(min(count, len(open_invoices))):
            index = self.rng.choices(range(len(open_invoices)), weights)[0]
            weights[index] = 0.0
            picked.append(open_invoices[index])
            if not any(weights):
                break
        for position, (invoice_id, number, org, customer_id, total, _due, customer, paid) in enumerate(
            picked
        ):
            outstanding = _cents(total) - _cents(paid)
            if outstanding <= 0:
                continue
            partial = position == 0 or (position > 1 and self.rng.random() < 0.3)
            amount_c = outstanding
            if partial and outstanding >= 200_000:
                amount_c = outstanding * self.rng.randint(30, 70) // 100 // 10_000 * 10_000 or outstanding
            account_id, _bank = self._account(org)
            bank_ts = self._at(32400, 57600)
            recorded = bank_ts + dt.timedelta(minutes=self.rng.randint(30, 180))
            receipt_id = self._new_id("ar_receipt")
            self._txn(
                account_id, org, bank_ts, "in", amount_c, customer, "货款回收", "ar_receipt", receipt_id
            )
            self._insert(
                "ar_receipt",
                (
                    receipt_id,
                    doc_no("SK", self.ord, receipt_id),
                    invoice_id,
                    org,
                    customer_id,
                    self.day,
                    _dec(amount_c),
                    "CNY",
                    account_id,
                    recorded,
                ),
            )
            self._voucher(
                org,
                "ar_receipt",
                receipt_id,
                receipt_voucher_lines(customer, number, amount_c),
                recorded + dt.timedelta(minutes=self.rng.randint(1, 30)),
            )
            self._update(
                "ar_invoice",
                invoice_id,
                recorded,
                status="paid" if amount_c >= outstanding else "partially_paid",
            )
            self.counts["receipts"] += 1

    # ---- payables and manual vouchers
    def purchases(self) -> None:
        """Book goods received on purchase contracts and raise their payment orders."""
        contracts = self._all(
            "SELECT contract_id, org_id, amount FROM l1.contract WHERE status = 'active' "
            "AND contract_type = 'purchase' AND start_date <= %s AND end_date >= %s AND org_id = ANY(%s) "
            "ORDER BY contract_id",
            (self.day, self.day, self.trading_orgs),
        )
        if not contracts:
            return
        for _ in range(self._daily(RATES["purchases"], self.trading_weights, 1)):
            contract_id, org, amount = self.rng.choice(contracts)
            supplier = supplier_name(contract_id)
            net_c = max(int(_cents(amount) / 1.13 / self.rng.uniform(4, 10)) // 100 * 100, 100_000)
            tax_c = round(net_c * 0.13)
            ts = self._at()
            self._voucher(org, "manual", None, purchase_voucher_lines(supplier, net_c, tax_c), ts)
            pay_date = dt.date.fromordinal(add_business_days(self.ord, self.rng.randint(3, 10)))
            self._payment_order(
                org, supplier, net_c + tax_c, ts + dt.timedelta(minutes=45), pay_date, "contract", contract_id
            )

    def manual_vouchers(self) -> None:
        """Post or keep drafts, key new drafts and misc vouchers, and void the odd reclassification."""
        drafts = self._all(
            "SELECT voucher_id FROM l1.gl_voucher WHERE status = 'draft' "
            "AND updated_at < %s ORDER BY voucher_id",
            (self.start,),
        )
        for (voucher_id,) in self._sample(drafts, max(1, len(drafts) * 6 // 10)):
            self._update("gl_voucher", voucher_id, self._at(), status="posted")
        for _ in range(max(2, stochastic_round(self.rng, 2 * self.scale))):
            org = self._org()
            kind = self.rng.choice(
                ("advance", "reclass", "ads") if org in self.trading_orgs else ("advance", "reclass")
            )
            self._voucher(
                org,
                "manual",
                None,
                misc_voucher_lines(self.rng, kind, self.rng.randint(5, 200) * 10_000),
                self._at(),
                status="draft",
            )
        for _ in range(self._daily(RATES["misc"], self.doc_weights, 0)):
            org = self._org()
            account_id, _bank = self.accounts[org][0]
            amount_c = self.rng.randint(5, 200) * 10_000
            ts = self._at()
            self._txn(account_id, org, ts, "out", amount_c, self.org_names.get(org), "提取备用金")
            self._voucher(
                org,
                "manual",
                None,
                misc_voucher_lines(self.rng, "cash", amount_c),
                ts + dt.timedelta(minutes=15),
            )
        if self.rng.random() < 0.3:
            posted = self._all(
                "WITH reclass AS MATERIALIZED (SELECT DISTINCT voucher_id FROM l1.gl_voucher_line "
                "WHERE summary = '费用重分类') "
                "SELECT v.voucher_id FROM l1.gl_voucher v JOIN reclass r ON r.voucher_id = v.voucher_id "
                "WHERE v.status = 'posted' AND v.source_type = 'manual' AND v.period = %s "
                "AND v.updated_at < %s ORDER BY v.voucher_id",
                (self.day.isoformat()[:7], self.start),
            )
            for (voucher_id,) in self._sample(posted, 1):
                self._update("gl_voucher", voucher_id, self._at(), status="voided")

    def payroll(self) -> None:
        """Accrue salaries on the month's last business day and pay them on the 10th."""
        last_day = (self.day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if self.ord == _last_business_day_on_or_before(last_day):
            for org in self.doc_orgs:
                batches = stochastic_round(self.rng, self.scale)
                for batch in range(1, batches + 1):
                    gross_c = (
                        int(
                            PAYROLL_BASE_C
                            * (ORG_WEIGHTS.get(org, 0.5) or 0.5)
                            * self.rng.lognormvariate(0, 0.05)
                        )
                        // 100
                        * 100
                    )
                    sales_c = gross_c * 35 // 100 if org in self.trading_orgs else 0
                    label = f"{self.day.year}年{self.day.month}月工资" + (
                        f"（第{batch}批）" if batches > 1 else ""
                    )
                    lines: list[Line] = [("660101", sales_c, 0, f"计提{label} 销售人员")] if sales_c else []
                    lines += [
                        ("660207", gross_c - sales_c, 0, f"计提{label} 管理人员"),
                        ("2211", 0, gross_c, f"计提{label}"),
                    ]
                    self._voucher(
                        org, "manual", None, lines, self.start + dt.timedelta(hours=16, minutes=batch)
                    )
        if self.ord == next_business_day(self.day.replace(day=10).toordinal()):
            previous = (self.day.replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
            accruals = self._all(
                "SELECT v.org_id, l.credit_amount, l.summary FROM l1.gl_voucher v "
                "JOIN l1.gl_voucher_line l ON l.voucher_id = v.voucher_id WHERE v.period = %s "
                "AND v.status = 'posted' AND v.source_type = 'manual' AND l.account_code = '2211' "
                "AND l.credit_amount > 0 AND l.summary LIKE '计提%%工资%%' ORDER BY v.voucher_id",
                (previous,),
            )
            for org, gross, summary in accruals:
                if not self.accounts.get(org):
                    continue
                gross_c = _cents(gross)
                tax_c = gross_c * 6 // 100 // 100 * 100
                label = summary.removeprefix("计提")
                ts = self.start + dt.timedelta(hours=10, seconds=self.rng.randint(0, 600))
                account_id, _bank = self.accounts[org][0]
                self._txn(
                    account_id,
                    org,
                    ts,
                    "out",
                    gross_c - tax_c,
                    f"{self.org_names.get(org)}工资代发户",
                    f"代发{label}",
                )
                self._voucher(
                    org,
                    "manual",
                    None,
                    payroll_payout_lines(gross_c, tax_c, label),
                    ts + dt.timedelta(minutes=10),
                )

    def funds(self) -> None:
        """Credit quarterly interest, top accounts up from HQ ahead of the day's payments, sweep surpluses.

        The day's low point is estimated as the opening balance of the day less all its payments, so
        balances never go negative; between half the floor and the floor a top-up is sometimes skipped.
        """
        balances = self._all(
            "SELECT b.bank_account_id, b.org_id, b.bank_name, b.balance_floor, b.opening_balance + "
            "coalesce(sum(CASE WHEN t.txn_time >= %(start)s THEN 0 WHEN t.direction = 'in' THEN t.amount "
            "ELSE -t.amount END), 0), "
            "coalesce(sum(t.amount) FILTER (WHERE t.txn_time >= %(start)s AND t.direction = 'in'), 0), "
            "coalesce(sum(t.amount) FILTER (WHERE t.txn_time >= %(start)s AND t.direction = 'out'), 0) "
            "FROM l1.bank_account b LEFT JOIN l1.bank_transaction t ON t.bank_account_id = b.bank_account_id "
            "AND t.txn_time < %(end)s WHERE b.status = 'active' GROUP BY b.bank_account_id "
            "ORDER BY b.bank_account_id",
            {"start": self.start, "end": self.start + dt.timedelta(days=1)},
        )
        if self.day.day == 21 and self.day.month % 3 == 0:
            self._interest(
                [(a, o, b, start + inflow - outflow) for a, o, b, _f, start, inflow, outflow in balances]
            )
        if not self.accounts.get(HQ_ORG_ID):
            return
        source = self.accounts[HQ_ORG_ID][0][0]
        for account_id, org, _bank, floor, start, inflow, outflow in balances:
            if account_id == source or floor is None or floor <= 0:
                continue
            floor_c, low_c = _cents(floor), _cents(start) - _cents(outflow)
            if low_c < floor_c * 12 // 10 and (low_c < floor_c // 2 or self.rng.random() < 0.7):
                amount_c = -(-(floor_c * 2 - low_c) // 1_000_000) * 1_000_000
                self._transfer(
                    HQ_ORG_ID,
                    source,
                    org,
                    account_id,
                    amount_c,
                    self.start + dt.timedelta(hours=8, seconds=account_id),
                )
            elif self.business and org != HQ_ORG_ID and low_c + _cents(inflow) > floor_c * 12:
                amount_c = (low_c + _cents(inflow) - floor_c * 6) // 1_000_000 * 1_000_000
                self._transfer(org, account_id, HQ_ORG_ID, source, amount_c, self._at(54000, 57600))

    def _interest(self, balances: list[tuple]) -> None:
        by_org: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for account_id, org, bank, balance in balances:
            interest_c = max(_cents(balance), 0) * 35 // 40_000
            if interest_c > 0:
                by_org[org].append((account_id, bank, interest_c))
        for org, items in sorted(by_org.items()):
            ts = self.start + dt.timedelta(hours=8)
            lines: list[Line] = []
            for account_id, bank, interest_c in items:
                self._txn(
                    account_id, org, ts + dt.timedelta(seconds=account_id), "in", interest_c, bank, "结息"
                )
                lines.append(("1002", interest_c, 0, f"{bank}结息"))
            lines.append(("660301", 0, sum(i[2] for i in items), "活期存款利息收入"))
            self._voucher(org, "manual", None, lines, ts + dt.timedelta(hours=2))

    def _transfer(
        self, src_org: str, src: int, dst_org: str, dst: int, amount_c: int, ts: dt.datetime
    ) -> None:
        if amount_c <= 0:
            return
        if src_org == dst_org:
            banks = dict(self.accounts[src_org])
            self._txn(src, src_org, ts, "out", amount_c, banks.get(dst), "资金调拨")
            self._txn(dst, dst_org, ts + dt.timedelta(minutes=2), "in", amount_c, banks.get(src), "资金调拨")
            self._voucher(
                src_org,
                "manual",
                None,
                internal_transfer_voucher_lines(banks.get(src, ""), banks.get(dst, ""), amount_c),
                ts + dt.timedelta(minutes=15),
            )
            return
        down = src_org == HQ_ORG_ID
        label = "资金下拨" if down else "资金归集"
        src_name, dst_name = self.org_names.get(src_org, src_org), self.org_names.get(dst_org, dst_org)
        self._txn(src, src_org, ts, "out", amount_c, dst_name, label)
        self._txn(dst, dst_org, ts + dt.timedelta(minutes=2), "in", amount_c, src_name, label)
        self._voucher(
            src_org,
            "manual",
            None,
            transfer_voucher_lines(down, dst_name, amount_c, False),
            ts + dt.timedelta(minutes=15),
        )
        self._voucher(
            dst_org,
            "manual",
            None,
            transfer_voucher_lines(down, src_name, amount_c, True),
            ts + dt.timedelta(minutes=20),
        )

    def batch_posting(self) -> None:
        """Post the nightly labour-cost allocation: many voucher lines sharing one updated_at."""
        total = allocation_batch_lines(self.scale)
        orgs = self.trading_orgs or self.doc_orgs
        stamp = self.start + dt.timedelta(hours=22, seconds=self.rng.randint(0, 3599))
        share, extra = divmod(total, len(orgs))
        for index, org in enumerate(orgs):
            lines = share + (1 if index < extra else 0)
            if lines >= 2:
                self._voucher(
                    org,
                    "manual",
                    None,
                    allocation_voucher_lines(self.rng, lines, round(self.scale) or 1),
                    stamp,
                    created_by="system",
                )

    # ---- dirty rows
    def _dirty_count(self, base: int) -> int:
        return math.ceil(self.dirty_rate * max(base, 1)) if self.dirty_rate > 0 else 0

    def inject_dirty(self) -> None:
        """Insert rows that break the rules a data-quality check should catch."""
        if self.dirty_rate <= 0:
            return
        claims, orders = self.counts["claims"], self.counts["payment_orders"]
        for _ in range(self._dirty_count(claims)):
            claim_id, _e = self._claim_row(None, staff_org=self._org())
            self.dirty["null_required"].append(("expense_claim", claim_id))
        for _ in range(self._dirty_count(self.counts["customers"])):
            self.dirty["null_required"].append(("customer", self._new_customer(name_missing=True)))
        for _ in range(self._dirty_count(claims)):
            claim_id, _e = self._claim_row(self._org(), amount_c=-self.rng.randint(50, 5000) * 100)
            self.dirty["negative_amount"].append(("expense_claim", claim_id))
        for _ in range(self._dirty_count(orders)):
            org = self._org(trading=True)
            payment_id = self._payment_order(
                org,
                person_name(self.rng),
                -self.rng.randint(100, 50_000) * 100,
                self._at(),
                self._pay_date(),
                None,
                None,
            )
            self.dirty["negative_amount"].append(("payment_order", payment_id))
        for _ in range(self._dirty_count(self.counts["lines"])):
            self.dirty["orphan_reference"].append(("gl_voucher_line", self._orphan_line()))
        for _ in range(self._dirty_count(self.counts["receipts"])):
            self.dirty["orphan_reference"].append(("ar_receipt", self._orphan_receipt()))
        for _ in range(self._dirty_count(self.counts["vouchers"])):
            self.dirty["unbalanced_voucher"].append(("gl_voucher", self._unbalanced_voucher()))
        for _ in range(self._dirty_count(claims)):
            claim_id, _e = self._claim_row(self._org(), currency=self.rng.choice(BAD_CURRENCIES))
            self.dirty["bad_currency"].append(("expense_claim", claim_id))

    def _orphan_line(self) -> int:
        voucher_id = self.next_id["gl_voucher"] + ORPHAN_ID_OFFSET + self.rng.randint(0, 9999)
        line_id = self._new_id("gl_voucher_line")
        amount_c = self.rng.randint(100, 100_000) * 100
        self._insert(
            "gl_voucher_line",
            (line_id, voucher_id, 1, "660203", _dec(amount_c), _dec(0), "CNY", "接口重复推送", self._at()),
        )
        return line_id

    def _orphan_receipt(self) -> int:
        org = self._org(trading=True)
        customer = self._one(
            "SELECT customer_id FROM l1.customer WHERE org_id = %s ORDER BY customer_id LIMIT 1", (org,)
        )
        receipt_id = self._new_id("ar_receipt")
        account_id, _bank = self._account(org)
        self._insert(
            "ar_receipt",
            (
                receipt_id,
                doc_no("SK", self.ord, receipt_id),
                self.next_id["ar_invoice"] + ORPHAN_ID_OFFSET + self.rng.randint(0, 9999),
                org,
                customer,
                self.day,
                _dec(self.rng.randint(1000, 200_000) * 100),
                "CNY",
                account_id,
                self._at(),
            ),
        )
        return receipt_id

    def _unbalanced_voucher(self) -> int:
        org = self._org()
        amount_c = self.rng.randint(1000, 500_000) * 100 + self.rng.randint(0, 99)
        gap = self.rng.choice((1, 10, 100, 10_000))
        category = self.rng.choice(sorted(CATEGORY_ACCOUNTS))
        return self._voucher(
            org,
            "manual",
            None,
            [
                (CATEGORY_ACCOUNTS[category], amount_c, 0, "手工调整"),
                ("1002", 0, amount_c - gap, "手工调整"),
            ],
            self._at(),
        )

    # ---- late updates
    def late_updates(self) -> None:
        """Update old rows with an updated_at at or just below the table's previous maximum."""
        count = max(2, stochastic_round(self.rng, 3 * self.scale))
        for table in LATE_UPDATE_TABLES:
            previous = self.prev_max[table]
            if previous is None:
                continue
            for index, key in enumerate(self._late_candidates(table, previous, count)):
                stamp = previous if index == 0 else previous - dt.timedelta(seconds=self.rng.randint(1, 1800))
                self._late_change(table, key, stamp)

    def _late_candidates(self, table: str, previous: dt.datetime, count: int) -> list[int]:
        condition = {
            "gl_voucher_line": "summary IS NOT NULL AND EXISTS (SELECT 1 FROM l1.gl_voucher v "
            "WHERE v.voucher_id = t.voucher_id AND v.status = 'posted')",
            "expense_claim": "org_id IS NOT NULL AND department IS NOT NULL AND amount > 0 "
            "AND currency = 'CNY'",
            "ar_invoice": "status IN ('issued', 'partially_paid')",
        }[table]
        touched = sorted(self.updated[table] | self.inserted[table] | self.deleted[table])
        condition += " AND updated_at < %s AND NOT (t.{} = ANY(%s))".replace("{}", PRIMARY_KEYS[table])
        oversample = 60 if table == "ar_invoice" else 10
        return self._random_keys(
            table, condition, count, (previous - dt.timedelta(days=1), touched), oversample
        )

    def _late_change(self, table: str, key: int, stamp: dt.datetime) -> None:
        if table == "gl_voucher_line":
            summary = self._one("SELECT summary FROM l1.gl_voucher_line WHERE line_id = %s", (key,))
            self._update(table, key, stamp, summary=summary.removesuffix("（更正）") + "（更正）")
        elif table == "expense_claim":
            org, dept = self.cur.execute(
                "SELECT org_id, department FROM l1.expense_claim WHERE claim_id = %s", (key,)
            ).fetchone()
            others = sorted(d for d in self.staff.get(org, {}) if d != dept)
            if others:
                self._update(table, key, stamp, department=self.rng.choice(others))
            else:
                self._update(table, key, stamp, employee_name=person_name(self.rng))
        else:
            due = self._one("SELECT due_date FROM l1.ar_invoice WHERE invoice_id = %s", (key,))
            self._update(table, key, stamp, due_date=due + dt.timedelta(days=30))

    # ------------------------------------------------------------------ summary
    def summary(self) -> DaySummary:
        """Summarise what the day changed."""

        def counts(source: dict[str, set]) -> dict[str, int]:
            return {table: len(source.get(table, ())) for table in TABLE_COLUMNS}

        return DaySummary(
            self.day,
            counts(self.inserted),
            counts(self.updated),
            counts(self.deleted),
            counts(self.late),
            {kind: list(items) for kind, items in self.dirty.items()},
        )


def simulate_day(
    conninfo: str, *, day: dt.date | None = None, seed: int = 20261129, dirty_rate: float = 0.02
) -> DaySummary:
    """Mutate Level-1 like one business day.

    day defaults to (max(gl_voucher.updated_at) in Asia/Shanghai)::date + 1. Deterministic for
    (database state, day, seed). Everything happens in one transaction. ``updated`` in the summary
    counts every pre-existing row that was updated (late updates included); ``late_updates`` is the
    subset whose new updated_at is at or below the table's max(updated_at) before the day.
    """
    if not 0 <= dirty_rate <= 1:
        raise ValueError(f"dirty_rate must be within [0, 1], got {dirty_rate!r}")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:  # one transaction for the whole day
        cur.execute(named_sql("demo/level1.sql", "lock_level1"))
        if day is None:
            cur.execute("SELECT (max(updated_at) AT TIME ZONE 'Asia/Shanghai')::date + 1 FROM l1.gl_voucher")
            day = cur.fetchone()[0]
            if day is None:
                raise RuntimeError("l1.gl_voucher is empty: seed Level-1 first")
        simulation = _Day(cur, day, seed, dirty_rate)
        simulation.run()
        summary = simulation.summary()
    logger.info(
        "simulated %s: inserted %s, updated %s, deleted %s",
        day,
        sum(summary.inserted.values()),
        sum(summary.updated.values()),
        sum(summary.deleted.values()),
    )
    return summary
