"""Payment orders: the order row, and settling a paid order (bank debit, voucher, bank fee)."""

from __future__ import annotations

import random

from workbench.demo.documents.bank import bank_fee, bank_txn
from workbench.demo.documents.claims import Claim, post_claim_voucher
from workbench.demo.documents.orgs import BankAccount
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.values import DAY, NULL, day_text, doc_no, end_of_day, money, ts_text
from workbench.demo.vocab import Direction, PaymentSource, PaymentStatus, SourceType
from workbench.demo.writer import RowWriter


def payment_voucher_lines(payee: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for paying a purchase contract (Dr 2202 / Cr 1002)."""
    return [("2202", amount_c, 0, f"支付{payee}货款"), ("1002", 0, amount_c, f"支付{payee}货款")]


def write_payment_order(
    out: RowWriter,
    payment_id: int,
    org_id: str,
    account_id: int,
    payee: str,
    amount_c: int,
    created_day: int,
    pay_day: int,
    source_type: PaymentSource | None,
    source_id: int | None,
    status: PaymentStatus,
    updated: int,
) -> None:
    """Write a payment_order row raised on ``created_day`` (its number) to be paid on ``pay_day``."""
    out.add(
        "payment_order",
        "\t".join(
            (
                str(payment_id),
                doc_no("FK", created_day, payment_id),
                org_id,
                str(account_id),
                payee,
                money(amount_c),
                "CNY",
                day_text(pay_day),
                source_type or NULL,
                NULL if source_id is None else str(source_id),
                status,
                ts_text(updated),
            )
        ),
    )


def settle_payment(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    account: BankAccount,
    payment_id: int,
    payee: str,
    amount_c: int,
    paid_ts: int,
    claim: Claim | None,
) -> None:
    """Book a payment order that was paid at ``paid_ts``: the bank debit and the voucher of what it paid.

    A claim's payment posts the claim's voucher; a supplier payment posts its own and, half the time,
    draws a bank fee a minute later.
    """
    summary = "报销款" if claim else "支付货款"
    bank_txn(out, account, paid_ts, Direction.OUT, amount_c, payee, summary, SourceType.PAYMENT_ORDER, payment_id)
    if claim:
        post_claim_voucher(out, rng, org_id, claim, paid_ts)
        return
    posted = min(paid_ts + rng.randint(60, 1800), end_of_day(paid_ts))
    lines = payment_voucher_lines(payee, amount_c)
    post_voucher(out, rng, org_id, paid_ts // DAY, SourceType.PAYMENT_ORDER, payment_id, lines, posted)
    if rng.random() < 0.5:
        bank_fee(out, rng, org_id, account, paid_ts + rng.randint(1, 60))
