"""Expense claims of the day: submissions, approvals and rejections, and voids of documents in flight."""

from __future__ import annotations

from workbench.demo.calendar import period_of
from workbench.demo.day.closes import cancel_voucher
from workbench.demo.day.payments import pay_day, raise_payment_order
from workbench.demo.day.state import Day
from workbench.demo.documents.claims import draw_claim, write_claim
from workbench.demo.documents.orgs import Org
from workbench.demo.names import person_name
from workbench.demo.reference import RATES
from workbench.demo.values import cents, stochastic_round
from workbench.demo.vocab import ClaimStatus, InvoiceStatus, PaymentSource, PaymentStatus

RED_LETTER_INVOICE_RATE = 0.1  # working days on which an unpaid invoice of a closed period is cancelled


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
    """Submit today's new expense claims."""
    for _ in range(d.daily(RATES["claims"], d.doc_weights, 2)):
        org = d.org()
        submit_claim(d, org, org)


def voids(d: Day) -> None:
    """Void unpaid invoices (with their vouchers) and claims that are still in flight (with their orders).

    A VAT invoice is voided (作废) within its own period, its voucher with it; now and then an unpaid
    invoice of a closed period is cancelled too (红字发票), its closed voucher reversed on the day instead
    (day/closes.py).
    """
    invoices = d.all("voidable_invoices", {"day": d.day})
    current = {key for key, day in invoices if period_of(day.toordinal()) in d.writable}
    chosen = d.sample(sorted(current), max(1, stochastic_round(d.rng, 0.1 * d.scale)))
    if d.rng.random() < RED_LETTER_INVOICE_RATE:
        chosen += d.sample([key for key, _day in invoices if key not in current], 1)
    chosen.sort()
    vouchers = d.all("invoice_vouchers", {"invoices": chosen}) if chosen else []
    for invoice_id in chosen:
        ts = d.at()
        d.update("ar_invoice", invoice_id, ts, status=InvoiceStatus.VOIDED)
        for voucher_id in [v for source, v in vouchers if source == invoice_id]:
            cancel_voucher(d, voucher_id, ts + 180)
    claims = d.all("voidable_claims", {"day": d.day})
    chosen_claims = sorted(d.sample(claims, max(1, stochastic_round(d.rng, 0.1 * d.scale))))
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
