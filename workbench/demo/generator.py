"""Seed the demo Level-1 with a deterministic history of a Chinese group's shared-finance platform.

The history covers HISTORY_DAYS days (about 23 months) ending on ``end``, yesterday in Asia/Shanghai
unless told otherwise: organisation units, chart of accounts, customers, contracts, expense claims,
payment orders, AR invoices and receipts, budgets, bank accounts and transactions, the GL vouchers
posted for all of them, and the accounting periods with their close log.

Conventions worth knowing when reading the data:

* ``ar_invoice.amount`` is the net amount and ``tax_amount`` the VAT, as on a Chinese VAT invoice; the
  receivable is ``amount + tax_amount``.
* Budgets carry a ``version``; a later version of the same org / department / account / period
  supersedes the earlier one.
* A bank account's balance at time t is ``opening_balance`` plus the signed sum of its transactions up
  to t (``opening_date`` is the go-live date, the first day of the history).
* Purchase contracts have no customer (``customer_id`` is NULL); the supplier is the payee of their
  payment orders.
* Working days are the product's calendar (smartops.calendar: China's working days with 调休): documents
  are dated and vouchers posted on working days only, make-up Saturdays included.
* Every voucher belongs to the period of its ``voucher_date``. Each month's period is closed at 18:00 on
  its close day (working day N of the next month, N = calendar.yaml fiscal.close_window_days) with a
  close log row; the periods whose close day lies after the history's end are open.
* ``updated_at`` values are Asia/Shanghai wall-clock timestamps derived from the business dates; none is
  later than 23:59:59+08 on the history's last day. The newest voucher date is the last working day on
  or before it; the simulator's clock (l1_simulator.clock) records the last day itself.

Generation works org by org and month by month with a random generator seeded from (seed, org, month),
streaming COPY rows in bounded buffers, so the same seed, scale and end always give identical tables.
"""

from __future__ import annotations

import datetime as dt
import logging

import psycopg
from psycopg import sql

from workbench.demo.history.month import closing_batch, run_month
from workbench.demo.history.periods import write_periods
from workbench.demo.history.setup import setup_org, write_budgets, write_reference
from workbench.demo.history.state import History
from workbench.demo.reference import ORG_UNITS, SCHEMA, TABLE_COLUMNS
from workbench.demo.values import SHANGHAI
from workbench.demo.writer import RowWriter
from workbench.paths import DEMO_SQL, DEMO_SQL_DIR

logger = logging.getLogger(__name__)

SCHEMA_SQL = DEMO_SQL_DIR / "level1_schema.sql"
SQL = "level1.sql"


def apply_schema(cur: psycopg.Cursor) -> None:
    """Run the idempotent Level-1 DDL."""
    cur.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def yesterday() -> dt.date:
    """Return yesterday's date in Asia/Shanghai: the default last day of the history."""
    return dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=1)


def generate(out: RowWriter, *, scale: float, seed: int, end: dt.date) -> None:
    """Write the whole history ending on ``end`` through ``out``: set-up first, then org-month by org-month."""
    h = History(out, scale, seed, end)
    write_reference(h)
    for row in ORG_UNITS:
        setup_org(h, row)
    for org in h.orgs:
        write_budgets(h, org)
    for month in h.months:
        for org in h.orgs:
            if org.weight > 0:
                run_month(h, org, month)
    closing_batch(h)
    write_periods(h)
    out.flush_all()


def _tables_with_rows(cur: psycopg.Cursor) -> list[str]:
    found = []
    for table in TABLE_COLUMNS:
        cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(SCHEMA, table)))
        if cur.fetchone()[0]:
            found.append(table)
    return found


def seed_level1(conninfo: str, *, scale: float = 1.0, seed: int = 20261129, end: dt.date | None = None) -> bool:
    """Create schema l1 (idempotent DDL from SCHEMA_SQL) and load the demo history if l1.org_unit is empty.

    ``end`` is the history's last day (default: yesterday in Asia/Shanghai), so the demo looks current
    whenever it is set up. Returns True when it seeded, False when data was already there (running twice
    never duplicates). The whole load runs in one transaction, so a failed load leaves no partial data.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    end = end or yesterday()
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:  # the whole load is one transaction
        cur.execute(DEMO_SQL.named(SQL, "lock_level1"))
        apply_schema(cur)
        filled = _tables_with_rows(cur)
        if "org_unit" in filled:
            logger.info("l1 already holds data; skipping the demo seed")
            return False
        if filled:
            raise RuntimeError(f"l1.org_unit is empty but these l1 tables are not: {', '.join(filled)}")
        cur.execute(DEMO_SQL.named(SQL, "fast_commit"))
        out = RowWriter(cur)
        generate(out, scale=scale, seed=seed, end=end)
        cur.execute(DEMO_SQL.named(SQL, "advance_clock"), {"day": end})
        cur.execute(DEMO_SQL.named(SQL, "record_scale"), {"scale": scale})
        logger.info("seeded l1 up to %s (scale %s, seed %s): %s", end, scale, seed, out.counts)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in TABLE_COLUMNS:
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(SCHEMA, table)))
    return True


def history_end(conninfo: str) -> dt.date | None:
    """Return the last day Level-1 covers: the seeded history's last day, or the last simulated day.

    Read from the simulator's clock; a Level-1 seeded before the clock existed falls back to its newest
    voucher date. None when l1 holds no vouchers.
    """
    with psycopg.connect(conninfo) as conn:
        return conn.execute(DEMO_SQL.named(SQL, "covered_through")).fetchone()[0]
