"""Purchases: goods received on a purchase contract, booked as a payable."""

from __future__ import annotations

import random

from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.values import DAY
from workbench.demo.vocab import SourceType
from workbench.demo.writer import RowWriter


def purchase_amounts(rng: random.Random, mean_c: int) -> tuple[int, int]:
    """Draw (net, 13 % input VAT) in cents of one delivery on a contract whose deliveries average ``mean_c``."""
    net_c = max(int(mean_c * rng.lognormvariate(0.0, 0.35)) // 100 * 100, 100_000)
    return net_c, round(net_c * 0.13)


def purchase_voucher_lines(supplier: str, net_c: int, tax_c: int) -> list[Line]:
    """Return the voucher lines for goods received on credit (Dr 1405 / Dr 2221 / Cr 2202)."""
    return [
        ("1405", net_c, 0, f"采购入库 {supplier}"),
        ("2221", tax_c, 0, "进项税额"),
        ("2202", 0, net_c + tax_c, f"应付{supplier}货款"),
    ]


def receive_goods(
    out: RowWriter, rng: random.Random, org_id: str, supplier: str, net_c: int, tax_c: int, received: int
) -> None:
    """Post the goods-received voucher of a delivery (the supplier is paid later by a payment order)."""
    lines = purchase_voucher_lines(supplier, net_c, tax_c)
    post_voucher(out, rng, org_id, received // DAY, SourceType.MANUAL, None, lines, received)
