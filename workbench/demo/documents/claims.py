"""Expense claims: what an employee claims, the claim row, and the voucher that pays it."""

from __future__ import annotations

import random
from typing import NamedTuple

from workbench.demo.documents.orgs import Org
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.reference import CATEGORY_ACCOUNTS, CATEGORY_AMOUNTS, CATEGORY_LABELS, CATEGORY_WEIGHTS
from workbench.demo.values import DAY, NULL, day_text, doc_no, end_of_day, money, ts_text
from workbench.demo.vocab import ClaimStatus, SourceType
from workbench.demo.writer import RowWriter

_CATEGORIES = list(CATEGORY_WEIGHTS)
_CATEGORY_WEIGHTS = list(CATEGORY_WEIGHTS.values())


class Claim(NamedTuple):
    """What the payment voucher of a claim needs to know about it."""

    claim_id: int
    category: str
    amount_c: int
    employee: str


def claim_amount_cents(rng: random.Random, category: str) -> int:
    """Draw an expense claim amount for a category, in cents."""
    median, sigma, low, high = CATEGORY_AMOUNTS[category]
    yuan = min(max(median * rng.lognormvariate(0.0, sigma), low), high)
    if category in ("travel", "transport") and rng.random() < 0.6:
        return round(yuan * 100)
    return round(yuan) * 100


def draw_claim(rng: random.Random, org: Org) -> tuple[str, str, str, int]:
    """Draw who claims what: (department, employee, category, amount in cents)."""
    dept = rng.choices(org.departments, org.dept_weights)[0]
    employee = rng.choice(org.employees[dept])
    category = rng.choices(_CATEGORIES, _CATEGORY_WEIGHTS)[0]
    return dept, employee, category, claim_amount_cents(rng, category)


def travel_input_tax(claim_id: int, category: str, amount_c: int) -> int:
    """Return the deductible input VAT of a claim (some travel claims carry 9% tickets)."""
    if category != "travel" or claim_id % 10 >= 3:
        return 0
    return round(amount_c * 9 / 109)


def claim_voucher_lines(claim: Claim) -> list[Line]:
    """Return the voucher lines for paying an expense claim (Dr 6602xx [+ Dr 2221] / Cr 1002)."""
    tax = travel_input_tax(claim.claim_id, claim.category, claim.amount_c)
    label = CATEGORY_LABELS[claim.category]
    lines: list[Line] = [(CATEGORY_ACCOUNTS[claim.category], claim.amount_c - tax, 0, f"{claim.employee}报销{label}")]
    if tax:
        lines.append(("2221", tax, 0, "差旅费进项税额"))
    lines.append(("1002", 0, claim.amount_c, f"支付{claim.employee}报销款"))
    return lines


def write_claim(
    out: RowWriter,
    claim_id: int,
    org_id: str | None,
    dept: str,
    employee: str,
    category: str,
    amount_c: int,
    day: int,
    status: ClaimStatus,
    updated: int,
    currency: str = "CNY",
) -> None:
    """Write an expense_claim row claimed on ``day``, in the state reached at ``updated``."""
    out.add(
        "expense_claim",
        "\t".join(
            (
                str(claim_id),
                doc_no("BX", day, claim_id),
                NULL if org_id is None else org_id,
                dept,
                employee,
                category,
                money(amount_c),
                currency,
                day_text(day),
                status,
                ts_text(updated),
            )
        ),
    )


def post_claim_voucher(out: RowWriter, rng: random.Random, org_id: str, claim: Claim, paid_ts: int) -> None:
    """Post the voucher of a paid claim, keyed within half an hour of the payment (same day)."""
    posted = min(paid_ts + rng.randint(60, 1800), end_of_day(paid_ts))
    post_voucher(
        out, rng, org_id, paid_ts // DAY, SourceType.EXPENSE_CLAIM, claim.claim_id, claim_voucher_lines(claim), posted
    )
