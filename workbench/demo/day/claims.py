"""Expense claims of the day: submissions (and resubmissions), approvals and rejections, voids of claims in flight."""

from __future__ import annotations

from decimal import Decimal

from workbench.demo.day.payments import pay_day, raise_payment_order
from workbench.demo.day.state import Day
from workbench.demo.documents.claims import draw_claim, write_claim
from workbench.demo.documents.orgs import Org
from workbench.demo.names import person_name
from workbench.demo.reference import RATES
from workbench.demo.values import cents, stochastic_round
from workbench.demo.vocab import ClaimStatus, PaymentSource, PaymentStatus


def submit_claim(d: Day, org: Org | None, staff: Org, amount_c: int | None = None, currency: str = "CNY") -> int:
    """Submit a claim by someone of ``staff`` (now and then a newcomer) booked to ``org``; return its id.

    ``org`` None, ``amount_c`` or ``currency`` make the dirty claims the quality checks must catch.
    """
    ts = d.at()
    dept, employee, category, drawn_c = draw_claim(d.rng, staff)
    if d.rng.random() < 0.15:
        employee = person_name(d.rng)
    claim_id = d.out.new_id("expense_claim")
    write_claim(
        d.out,
        claim_id,
        org.org_id if org else None,
        dept,
        employee,
        category,
        drawn_c if amount_c is None else amount_c,
        d.ord,
        ClaimStatus.SUBMITTED,
        ts,
        currency,
    )
    return claim_id


def new_claims(d: Day) -> None:
    """Submit today's expense claims: first those withdrawn today for a correction, then new ones.

    The day's count follows the history's rate; a withdrawn claim beyond it is not submitted again, nor
    is a dirty one.
    """
    count = d.daily(RATES["claims"], d.doc_weights, 0)
    clean = [row for row in d.withdrawn_claims if _clean(d, *row)]
    for org_id, dept, employee, category, amount, _currency in clean[:count]:
        claim_id = d.out.new_id("expense_claim")
        write_claim(d.out, claim_id, org_id, dept, employee, category, cents(amount), d.ord, ClaimStatus.SUBMITTED,
                    d.at())
    for _ in range(count - len(clean[:count])):
        org = d.org()
        submit_claim(d, org, org)


def _clean(d: Day, org_id: str | None, dept: str | None, employee: str | None, category: str | None,
           amount: Decimal | None, currency: str | None) -> bool:
    """Tell whether a withdrawn claim can be submitted again as it was (not one of the dirty ones)."""
    return org_id in d.orgs and bool(dept and employee and category) and cents(amount) > 0 and currency == "CNY"


def void_claims(d: Day) -> None:
    """Void the odd claim still in flight (as rarely as the history does), with its pending payment order."""
    claims = d.all("voidable_claims", {"day": d.day})
    chosen_claims = sorted(d.sample(claims, stochastic_round(d.rng, 0.1 * d.scale)))
    approved = [claim_id for claim_id, status in chosen_claims if status == ClaimStatus.APPROVED]
    orders = d.all("pending_claim_payments", {"claims": approved}) if approved else []
    for claim_id, _status in chosen_claims:
        ts = d.at()
        d.update("expense_claim", claim_id, ts, status=ClaimStatus.VOIDED)
        for payment_id in [p for source, p in orders if source == claim_id]:
            d.update("payment_order", payment_id, ts + 120, status=PaymentStatus.VOIDED)


def approve_claims(d: Day) -> None:
    """Approve or reject submitted claims and raise payment orders for the approved ones.

    Approved claims whose order was deleted or failed get a new order first.
    """
    for claim_id, org_id, employee, amount in d.all("approved_claims_without_order"):
        org = d.orgs.get(org_id)
        if org and org.accounts:
            raise_payment_order(
                d, org, employee, cents(amount), d.at(), pay_day(d), PaymentSource.EXPENSE_CLAIM, claim_id
            )
    submitted = d.all("submitted_claims", {"day": d.day})
    share = 0.5 if d.business else 0.05
    chosen = d.sample(submitted, max(1, stochastic_round(d.rng, share * len(submitted))))
    for claim_id, org_id, employee, amount in sorted(chosen):
        ts = d.at()
        if d.rng.random() < 0.05:
            d.update("expense_claim", claim_id, ts, status=ClaimStatus.REJECTED)
            continue
        d.update("expense_claim", claim_id, ts, status=ClaimStatus.APPROVED)
        org = d.orgs.get(org_id)
        if org and org.accounts:
            raise_payment_order(
                d, org, employee, cents(amount), ts + 1200, pay_day(d), PaymentSource.EXPENSE_CLAIM, claim_id
            )
