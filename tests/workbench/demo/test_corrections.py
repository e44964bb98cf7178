"""Level-1 corrections of old dirty rows (what lets the demo show backlog items resolving)."""

from __future__ import annotations

import datetime as dt

import psycopg

from workbench.demo.corrections import correct_dirty_rows
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day

DIRTY_COUNTS = """
SELECT
  (SELECT count(*) FROM l1.expense_claim WHERE org_id IS NULL OR amount < 0 OR currency <> 'CNY'),
  (SELECT count(*) FROM l1.customer WHERE customer_name IS NULL),
  (SELECT count(*) FROM l1.payment_order WHERE amount < 0),
  (SELECT count(*) FROM (SELECT voucher_id FROM l1.gl_voucher_line GROUP BY voucher_id
                         HAVING sum(debit_amount) <> sum(credit_amount)) AS unbalanced),
  (SELECT count(*) FROM l1.gl_voucher_line l WHERE NOT EXISTS
     (SELECT 1 FROM l1.gl_voucher v WHERE v.voucher_id = l.voucher_id)),
  (SELECT count(*) FROM l1.ar_receipt r WHERE NOT EXISTS
     (SELECT 1 FROM l1.ar_invoice i WHERE i.invoice_id = r.invoice_id))
"""


def dirty_counts(conninfo: str) -> tuple:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(DIRTY_COUNTS).fetchone()


def test_should_correct_every_dirty_kind_once_it_is_old_enough(make_database):
    level1 = make_database("corr")
    seed_level1(level1, scale=0.2)
    assert dirty_counts(level1) == (0, 0, 0, 0, 0, 0)
    day = simulate_day(level1, dirty_rate=0.02).day
    dirty = dirty_counts(level1)
    assert all(count > 0 for count in dirty), dirty

    assert sum(correct_dirty_rows(level1, day=day + dt.timedelta(days=1)).values()) == 0  # still young
    assert dirty_counts(level1) == dirty

    corrected = correct_dirty_rows(level1, day=day + dt.timedelta(days=2))
    assert dirty_counts(level1) == (0, 0, 0, 0, 0, 0)
    # every orphan line is also an unbalanced group of its own; only real vouchers get balanced
    assert corrected["drop_orphan_voucher_lines"] == dirty[4]
    assert corrected["balance_vouchers"] == dirty[3] - dirty[4]
    with psycopg.connect(level1) as conn:  # corrected rows carry a new cursor value, so the sync sees them
        stamp = conn.execute("SELECT max(updated_at) FROM l1.customer").fetchone()[0]
    assert stamp.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == day + dt.timedelta(days=2)
