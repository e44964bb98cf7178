"""Receivables: AR invoices with their vouchers, and the receipts that settle them."""

from __future__ import annotations

import random

from workbench.demo.documents.bank import bank_txn
from workbench.demo.documents.orgs import BankAccount
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.values import DAY, NULL, day_text, doc_no, money, ts_text
from workbench.demo.vocab import Direction, InvoiceStatus, SourceType, VoucherStatus
from workbench.demo.writer import RowWriter


def invoice_no(ordinal: int, invoice_id: int) -> str:
    """Format a 20-digit fully digital VAT invoice number."""
    return f"{day_text(ordinal)[2:4]}31{invoice_id:014d}{ordinal % 100:02d}"


def invoice_net_cents(rng: random.Random, mean_c: int) -> int:
    """Draw the net amount of an invoice on a contract whose invoices average ``mean_c``."""
    net_c = int(mean_c * rng.lognormvariate(0.0, 0.3))
    net_c = net_c // 10_000 * 10_000 if rng.random() < 0.7 else net_c
    return max(net_c, 100_000)


def invoice_voucher_lines(customer: str, number: str, net_c: int, tax_c: int) -> list[Line]:
    """Return the voucher lines for issuing an AR invoice (Dr 1122 / Cr 6001 / Cr 2221)."""
    return [
        ("1122", net_c + tax_c, 0, f"{customer}开票 {number}"),
        ("6001", 0, net_c, "确认主营业务收入"),
        ("2221", 0, tax_c, "销项税额"),
    ]


def receipt_voucher_lines(customer: str, number: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for an AR receipt (Dr 1002 / Cr 1122)."""
    return [("1002", amount_c, 0, f"收到{customer}回款"), ("1122", 0, amount_c, f"冲销应收账款 {number}")]


def write_invoice(
    out: RowWriter,
    invoice_id: int,
    number: str,
    org_id: str,
    customer_id: int,
    contract_id: int,
    day: int,
    due_day: int,
    net_c: int,
    tax_c: int,
    status: InvoiceStatus,
    updated: int,
) -> None:
    """Write an ar_invoice row issued on ``day`` (``amount`` is net, ``tax_amount`` the VAT)."""
    out.add(
        "ar_invoice",
        "\t".join(
            (
                str(invoice_id),
                number,
                org_id,
                str(customer_id),
                str(contract_id),
                day_text(day),
                day_text(due_day),
                money(net_c),
                money(tax_c),
                "CNY",
                status,
                ts_text(updated),
            )
        ),
    )


def post_invoice_voucher(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    invoice_id: int,
    number: str,
    customer: str,
    net_c: int,
    tax_c: int,
    issued: int,
    voided: int | None = None,
) -> None:
    """Post an invoice's voucher within half an hour of issuing it (voided with the invoice, if it was)."""
    posted = issued + rng.randint(60, 1800)
    post_voucher(
        out,
        rng,
        org_id,
        issued // DAY,
        SourceType.AR_INVOICE,
        invoice_id,
        invoice_voucher_lines(customer, number, net_c, tax_c),
        posted,
        VoucherStatus.VOIDED if voided else VoucherStatus.POSTED,
        voided,
    )


def receipt_times(rng: random.Random, day: int) -> tuple[int, int]:
    """Draw when money arrives at the bank on a day and when the receipt is recorded (0.5-3 hours later)."""
    bank_ts = day * DAY + rng.randint(32400, 57600)
    return bank_ts, bank_ts + rng.randint(1800, 3 * 3600)


def write_receipt(
    out: RowWriter,
    receipt_id: int,
    keyed_day: int,
    invoice_id: int,
    org_id: str,
    customer_id: int | None,
    receipt_day: int,
    amount_c: int,
    account_id: int,
    recorded: int,
) -> None:
    """Write an ar_receipt row (its number carries the day it was keyed, usually the receipt day)."""
    out.add(
        "ar_receipt",
        "\t".join(
            (
                str(receipt_id),
                doc_no("SK", keyed_day, receipt_id),
                str(invoice_id),
                org_id,
                NULL if customer_id is None else str(customer_id),
                day_text(receipt_day),
                money(amount_c),
                "CNY",
                str(account_id),
                ts_text(recorded),
            )
        ),
    )


def collect_receipt(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    account: BankAccount,
    invoice_id: int,
    invoice_number: str,
    customer_id: int,
    customer: str,
    amount_c: int,
    bank_ts: int,
    recorded: int,
) -> int:
    """Book money received against an invoice: bank credit, receipt row and its voucher; return the receipt id."""
    day = bank_ts // DAY
    receipt_id = out.new_id("ar_receipt")
    bank_txn(out, account, bank_ts, Direction.IN, amount_c, customer, "货款回收", SourceType.AR_RECEIPT, receipt_id)
    account_id = account.bank_account_id
    write_receipt(out, receipt_id, day, invoice_id, org_id, customer_id, day, amount_c, account_id, recorded)
    post_receipt_voucher(out, rng, org_id, receipt_id, invoice_number, customer, amount_c, recorded)
    return receipt_id


def post_receipt_voucher(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    receipt_id: int,
    invoice_number: str,
    customer: str,
    amount_c: int,
    recorded: int,
) -> None:
    """Post a receipt's voucher within half an hour of recording it."""
    lines = receipt_voucher_lines(customer, invoice_number, amount_c)
    posted = recorded + rng.randint(60, 1800)
    post_voucher(out, rng, org_id, recorded // DAY, SourceType.AR_RECEIPT, receipt_id, lines, posted)
