"""Fund movements of the group: quarterly interest, HQ top-ups and sweeps, transfers between accounts."""

from __future__ import annotations

import datetime as dt
import random

from workbench.demo.calendar import next_business_day
from workbench.demo.documents.bank import bank_txn
from workbench.demo.documents.orgs import BankAccount, Org
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.reference import HQ_ORG_ID
from workbench.demo.values import DAY
from workbench.demo.vocab import Direction, SourceType
from workbench.demo.writer import RowWriter


def interest_day(year: int, month: int) -> int | None:
    """Return the day a quarter's interest is credited and booked, None in months that end no quarter.

    That is the 21st of the quarter's last month, or the first working day after it (postings happen on
    working days only).
    """
    return None if month % 3 else next_business_day(dt.date(year, month, 21).toordinal())


def credit_interest(
    out: RowWriter, rng: random.Random, org_id: str, day: int, balances: list[tuple[BankAccount, int]]
) -> None:
    """Credit one org's quarterly interest on its accounts' balances (0.35 % a quarter) and post it."""
    lines: list[Line] = []
    total = 0
    for account, balance_c in balances:
        interest_c = max(balance_c, 0) * 35 // 40_000
        if interest_c <= 0:
            continue
        ts = day * DAY + 28800 + account.bank_account_id
        bank_txn(out, account, ts, Direction.IN, interest_c, account.bank_name, "结息")
        lines.append(("1002", interest_c, 0, f"{account.bank_name}结息"))
        total += interest_c
    if total:
        lines.append(("660301", 0, total, "活期存款利息收入"))
        post_voucher(out, rng, org_id, day, SourceType.MANUAL, None, lines, day * DAY + 36000)


def rebalance_amount(rng: random.Random, floor_c: int, low_c: int, closing_c: int, may_sweep: bool) -> int:
    """Decide how much HQ tops an account up (positive) or sweeps from it (negative), 0 for neither.

    ``low_c`` is a conservative estimate of the coming low point (the opening balance less every payment
    of the period), so balances never go negative; between half the floor and the floor a top-up is
    sometimes skipped, which leaves realistic floor breaches for fund monitoring. Surpluses over twelve
    times the floor are swept down to about six times the floor.
    """
    if low_c < floor_c * 12 // 10 and (low_c < floor_c // 2 or rng.random() < 0.7):
        return -(-(floor_c * 2 - low_c) // 1_000_000) * 1_000_000
    if may_sweep and closing_c > floor_c * 12:
        return -((closing_c - floor_c * 6) // 1_000_000 * 1_000_000)
    return 0


def transfer_voucher_lines(to_branch: bool, counterpart: str, amount_c: int, inflow: bool) -> list[Line]:
    """Return the voucher lines of one side of an intra-group fund transfer."""
    label = "资金下拨" if to_branch else "资金归集"
    if inflow:  # receiving side books a payable to the sender
        return [
            ("1002", amount_c, 0, f"{label} {counterpart}"),
            ("2241", 0, amount_c, f"内部往来 {counterpart}"),
        ]
    return [("1221", amount_c, 0, f"内部往来 {counterpart}"), ("1002", 0, amount_c, f"{label} {counterpart}")]


def internal_transfer_voucher_lines(src_bank: str, dst_bank: str, amount_c: int) -> list[Line]:
    """Return the voucher lines of a transfer between two bank accounts of one org."""
    return [
        ("1002", amount_c, 0, f"资金调拨 转入{dst_bank}"),
        ("1002", 0, amount_c, f"资金调拨 {src_bank}转出"),
    ]


def transfer(
    out: RowWriter,
    rng: random.Random,
    src_org: Org,
    src: BankAccount,
    dst_org: Org,
    dst: BankAccount,
    amount_c: int,
    ts: int,
) -> None:
    """Move money between two accounts: both bank legs two minutes apart and the vouchers of both sides."""
    day = ts // DAY
    if src_org.org_id == dst_org.org_id:
        bank_txn(out, src, ts, Direction.OUT, amount_c, dst.bank_name, "资金调拨")
        bank_txn(out, dst, ts + 120, Direction.IN, amount_c, src.bank_name, "资金调拨")
        lines = internal_transfer_voucher_lines(src.bank_name, dst.bank_name, amount_c)
        post_voucher(out, rng, src_org.org_id, day, SourceType.MANUAL, None, lines, ts + 900)
        return
    down = src_org.org_id == HQ_ORG_ID
    label = "资金下拨" if down else "资金归集"
    bank_txn(out, src, ts, Direction.OUT, amount_c, dst_org.name, label)
    bank_txn(out, dst, ts + 120, Direction.IN, amount_c, src_org.name, label)
    lines = transfer_voucher_lines(down, dst_org.name, amount_c, False)
    post_voucher(out, rng, src_org.org_id, day, SourceType.MANUAL, None, lines, ts + 900)
    lines = transfer_voucher_lines(down, src_org.name, amount_c, True)
    post_voucher(out, rng, dst_org.org_id, day, SourceType.MANUAL, None, lines, ts + 1200)
