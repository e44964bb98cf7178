"""Bank transactions and bank fees."""

from __future__ import annotations

import random

from workbench.demo.documents.orgs import BankAccount
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.values import DAY, NULL, end_of_day, money, month_key, ts_text
from workbench.demo.vocab import Direction, SourceType
from workbench.demo.writer import RowWriter

_OUT = Direction.OUT


def bank_txn(
    out: RowWriter,
    account: BankAccount,
    ts: int,
    direction: Direction,
    amount_c: int,
    counterparty: str | None,
    summary: str,
    ref_type: SourceType | None = None,
    ref_id: int | None = None,
) -> int:
    """Write a bank transaction (recorded when it happened) and add it to the account's month flows."""
    flows = account.flows.setdefault(month_key(ts // DAY), [0, 0])
    flows[direction == _OUT] += amount_c
    txn_id = out.new_id("bank_transaction")
    stamp = ts_text(ts)
    out.add(
        "bank_transaction",
        "\t".join(
            (
                str(txn_id),
                str(account.bank_account_id),
                account.org_id,
                stamp,
                direction,
                money(amount_c),
                NULL if counterparty is None else counterparty,
                summary,
                ref_type or NULL,
                NULL if ref_id is None else str(ref_id),
                stamp,
            )
        ),
    )
    return txn_id


def fee_voucher_lines(bank_name: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for a bank fee (Dr 660302 / Cr 1002)."""
    return [("660302", amount_c, 0, f"{bank_name}转账手续费"), ("1002", 0, amount_c, "银行手续费")]


def bank_fee(out: RowWriter, rng: random.Random, org_id: str, account: BankAccount, ts: int) -> None:
    """Charge a transfer fee to an account and post it (the voucher follows within the hour, same day)."""
    fee_c = rng.choice((500, 1000, 1500, 2000, 2500, 5000))
    bank_txn(out, account, ts, _OUT, fee_c, account.bank_name, "转账手续费")
    post_voucher(
        out,
        rng,
        org_id,
        ts // DAY,
        SourceType.MANUAL,
        None,
        fee_voucher_lines(account.bank_name, fee_c),
        min(ts + rng.randint(600, 3600), end_of_day(ts)),
    )
