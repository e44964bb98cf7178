"""Deliberately dirty rows: each breaks a rule the data-quality checks of Level-2 must catch."""

from __future__ import annotations

import math

from workbench.demo.day.claims import submit_claim
from workbench.demo.day.masterdata import new_customer
from workbench.demo.day.payments import pay_day, raise_payment_order
from workbench.demo.day.state import Day
from workbench.demo.documents.receivables import write_receipt
from workbench.demo.documents.vouchers import post_voucher, write_voucher_line
from workbench.demo.names import person_name
from workbench.demo.reference import CATEGORY_ACCOUNTS
from workbench.demo.vocab import DirtyKind, SourceType

BAD_CURRENCIES = ("RMB", "cny ", "人民币", "USD")
ORPHAN_ID_OFFSET = 10_000_000  # orphan references point this far beyond the parent's max id


def inject_dirty(d: Day) -> None:
    """Insert dirty rows of every kind, about ``dirty_rate`` of the day's new rows of each table (at least one)."""
    if d.dirty_rate <= 0:
        return
    claims, customers, orders, lines, receipts, vouchers = (
        len(d.inserted(table))
        for table in ("expense_claim", "customer", "payment_order", "gl_voucher_line", "ar_receipt", "gl_voucher")
    )
    record = d.dirty
    for _ in range(_count(d, claims)):
        record[DirtyKind.NULL_REQUIRED].append(("expense_claim", submit_claim(d, None, d.org())))
    for _ in range(_count(d, customers)):
        record[DirtyKind.NULL_REQUIRED].append(("customer", new_customer(d, name_missing=True)))
    for _ in range(_count(d, claims)):
        org = d.org()
        claim_id = submit_claim(d, org, org, amount_c=-d.rng.randint(50, 5000) * 100)
        record[DirtyKind.NEGATIVE_AMOUNT].append(("expense_claim", claim_id))
    for _ in range(_count(d, orders)):
        org, payee, amount_c = d.org(trading=True), person_name(d.rng), -d.rng.randint(100, 50_000) * 100
        payment_id = raise_payment_order(d, org, payee, amount_c, d.at(), pay_day(d), None, None)
        record[DirtyKind.NEGATIVE_AMOUNT].append(("payment_order", payment_id))
    for _ in range(_count(d, lines)):
        record[DirtyKind.ORPHAN_REFERENCE].append(("gl_voucher_line", _orphan_line(d)))
    for _ in range(_count(d, receipts)):
        record[DirtyKind.ORPHAN_REFERENCE].append(("ar_receipt", _orphan_receipt(d)))
    for _ in range(_count(d, vouchers)):
        record[DirtyKind.UNBALANCED_VOUCHER].append(("gl_voucher", _unbalanced_voucher(d)))
    for _ in range(_count(d, claims)):
        org = d.org()
        claim_id = submit_claim(d, org, org, currency=d.rng.choice(BAD_CURRENCIES))
        record[DirtyKind.BAD_CURRENCY].append(("expense_claim", claim_id))


def _count(d: Day, base: int) -> int:
    return math.ceil(d.dirty_rate * max(base, 1))


def _orphan_line(d: Day) -> int:
    """A voucher line pushed twice by an interface: its voucher does not exist."""
    voucher_id = d.out.next_ids["gl_voucher"] + ORPHAN_ID_OFFSET + d.rng.randint(0, 9999)
    line = ("660203", d.rng.randint(100, 100_000) * 100, 0, "接口重复推送")
    return write_voucher_line(d.out, voucher_id, 1, line, d.at())


def _orphan_receipt(d: Day) -> int:
    """A receipt keyed against an invoice that does not exist."""
    org = d.org(trading=True)
    customer_id = d.one("first_customer_of_org", {"org": org.org_id})
    receipt_id = d.out.new_id("ar_receipt")
    account_id = d.account(org).bank_account_id
    invoice_id = d.out.next_ids["ar_invoice"] + ORPHAN_ID_OFFSET + d.rng.randint(0, 9999)
    amount_c = d.rng.randint(1000, 200_000) * 100
    write_receipt(d.out, receipt_id, d.ord, invoice_id, org.org_id, customer_id, d.ord, amount_c, account_id, d.at())
    return receipt_id


def _unbalanced_voucher(d: Day) -> int:
    """A posted manual adjustment whose credit misses the debit by a cent to 100 yuan."""
    org = d.org()
    amount_c = d.rng.randint(1000, 500_000) * 100 + d.rng.randint(0, 99)
    gap = d.rng.choice((1, 10, 100, 10_000))
    account = CATEGORY_ACCOUNTS[d.rng.choice(sorted(CATEGORY_ACCOUNTS))]
    lines = [(account, amount_c, 0, "手工调整"), ("1002", 0, amount_c - gap, "手工调整")]
    return post_voucher(d.out, d.rng, org.org_id, d.ord, SourceType.MANUAL, None, lines, d.at())
