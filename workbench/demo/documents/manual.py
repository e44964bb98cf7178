"""Manual vouchers: miscellaneous postings, petty cash, and the nightly labour-cost allocation batch."""

from __future__ import annotations

import random

from workbench.demo.documents.bank import bank_txn
from workbench.demo.documents.orgs import Org
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.names import person_name
from workbench.demo.values import DAY
from workbench.demo.vocab import Direction, MiscKind, SourceType, VoucherStatus
from workbench.demo.writer import RowWriter


def misc_voucher_lines(rng: random.Random, kind: MiscKind, amount_c: int) -> list[Line]:
    """Return the voucher lines of a miscellaneous manual voucher."""
    if kind == MiscKind.CASH:
        return [("1001", amount_c, 0, "提取备用金"), ("1002", 0, amount_c, "提取备用金")]
    if kind == MiscKind.ADVANCE:
        who = person_name(rng)
        return [("1221", amount_c, 0, f"{who}借支备用金"), ("1001", 0, amount_c, f"{who}借支备用金")]
    if kind == MiscKind.ADS:
        return [("660102", amount_c, 0, "计提广告宣传费"), ("2202", 0, amount_c, "应付广告费")]
    src, dst = rng.sample(("660101", "660207"), 2)  # staff moved between sales and administration
    return [(dst, amount_c, 0, "费用重分类"), (src, 0, amount_c, "费用重分类")]


def post_misc_voucher(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    kind: MiscKind,
    amount_c: int,
    created: int,
    status: VoucherStatus = VoucherStatus.POSTED,
    status_ts: int | None = None,
) -> None:
    """Post (or keep as draft, or void later) a miscellaneous voucher keyed at ``created``."""
    lines = misc_voucher_lines(rng, kind, amount_c)
    post_voucher(out, rng, org_id, created // DAY, SourceType.MANUAL, None, lines, created, status, status_ts)


def withdraw_cash(out: RowWriter, rng: random.Random, org: Org, amount_c: int, created: int) -> None:
    """Withdraw petty cash from the main account (up to an hour before the voucher) and post it."""
    bank_txn(out, org.accounts[0], created - rng.randint(600, 3600), Direction.OUT, amount_c, org.name, "提取备用金")
    post_misc_voucher(out, rng, org.org_id, MiscKind.CASH, amount_c, created)


def allocation_batch_lines(scale: float) -> int:
    """Return how many voucher lines one nightly allocation batch posts (at least 200)."""
    return max(200, round(220 * scale))


def allocation_voucher_lines(rng: random.Random, lines: int, amount_scale: int) -> list[Line]:
    """Return a labour-cost allocation voucher: many Dr 6401 project lines and one Cr 2211."""
    result: list[Line] = []
    total = 0
    for _ in range(lines - 1):
        amount = rng.randint(20_000, 800_000) * max(1, amount_scale) // 100 * 100
        total += amount
        result.append(("6401", amount, 0, f"人工成本分摊 项目P{rng.randint(1000, 9999)}"))
    result.append(("2211", 0, total, "人工成本分摊"))
    return result


def post_allocation_batch(out: RowWriter, rng: random.Random, org_ids: list[str], day: int, scale: float) -> None:
    """Post the nightly labour-cost allocation: one voucher per org, all lines sharing one updated_at.

    The shared timestamp (between 22:00 and 23:00) is what makes an incremental reader meet hundreds of
    rows with the same cursor value.
    """
    stamp = day * DAY + 79200 + rng.randint(0, 3599)
    share, extra = divmod(allocation_batch_lines(scale), len(org_ids))
    for index, org_id in enumerate(org_ids):
        lines = share + (1 if index < extra else 0)
        if lines >= 2:
            voucher_lines = allocation_voucher_lines(rng, lines, round(scale) or 1)
            post_voucher(out, rng, org_id, day, SourceType.MANUAL, None, voucher_lines, stamp, created_by="system")
