"""Customers and contracts: their rows, and the terms a new contract is drawn with."""

from __future__ import annotations

import datetime as dt
import math
import random

from workbench.demo.values import NULL, day_text, money, ts_text
from workbench.demo.vocab import ContractStatus, ContractType, CustomerStatus
from workbench.demo.writer import RowWriter

_PREFIXES = {ContractType.SALES: "XS", ContractType.SERVICE: "FW", ContractType.PURCHASE: "CG"}
CREDIT_LIMITS_C = tuple(n * 1_000_000_000 for n in (50, 80, 100, 150, 200, 300, 500))  # cents


def tax_rate(kind: ContractType) -> int:
    """Return the VAT rate (percent) of a contract's invoices: 6 % on services, 13 % on goods."""
    return 6 if kind == ContractType.SERVICE else 13


def draw_contract_terms(rng: random.Random, kind: ContractType) -> tuple[int, int]:
    """Draw (mean invoice or delivery net, contract amount incl. VAT) in cents; a contract covers 3-12 of them."""
    mean_yuan = rng.lognormvariate(math.log(80_000 if kind != ContractType.PURCHASE else 60_000), 0.7)
    mean_c = int(min(max(mean_yuan, 5_000), 2_000_000)) * 100
    amount_c = mean_c * rng.randint(3, 12) * (100 + tax_rate(kind)) // 10_000 * 100
    return mean_c, amount_c


def contract_mean_cents(amount_c: int, kind: ContractType) -> int:
    """Estimate the mean invoice or delivery net of a contract from its amount (the inverse of the draw)."""
    return amount_c * 100 // (100 + tax_rate(kind)) * 2 // 15  # 7.5 deliveries on average


def contract_end(start: int, months: int) -> int:
    """Return the last day of a contract running ``months`` months from ``start`` (ordinals)."""
    return (dt.date.fromordinal(start) + dt.timedelta(days=round(months * 30.44)) - dt.timedelta(days=1)).toordinal()


def write_contract(
    out: RowWriter,
    contract_id: int,
    kind: ContractType,
    org_id: str,
    customer_id: int | None,
    amount_c: int,
    sign: int,
    start: int,
    end: int,
    status: ContractStatus,
    updated: int,
) -> None:
    """Write a contract row (purchase contracts have no customer; the supplier is their payee)."""
    out.add(
        "contract",
        "\t".join(
            (
                str(contract_id),
                f"HT-{_PREFIXES[kind]}-{day_text(sign)[:4]}-{contract_id:06d}",
                org_id,
                NULL if customer_id is None else str(customer_id),
                kind,
                money(amount_c),
                "CNY",
                day_text(sign),
                day_text(start),
                day_text(end),
                status,
                ts_text(updated),
            )
        ),
    )


def write_customer(
    out: RowWriter,
    customer_id: int,
    name: str | None,
    org_id: str,
    industry: str,
    credit_c: int,
    status: CustomerStatus,
    updated: int,
) -> None:
    """Write a customer row (customer code C + six-digit id)."""
    out.add(
        "customer",
        "\t".join(
            (
                str(customer_id),
                f"C{customer_id:06d}",
                NULL if name is None else name,
                org_id,
                industry,
                money(credit_c),
                status,
                ts_text(updated),
            )
        ),
    )
