"""Payment orders of the day: raising them, and executing those that are due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workbench.demo.calendar import add_business_days
from workbench.demo.day.state import Day
from workbench.demo.documents.claims import Claim
from workbench.demo.documents.orgs import Org
from workbench.demo.documents.payments import settle_payment, write_payment_order
from workbench.demo.values import cents
from workbench.demo.vocab import ClaimStatus, PaymentSource, PaymentStatus


def pay_day(d: Day) -> int:
    """Draw the day a new payment order is due: one to three business days ahead."""
    return add_business_days(d.ord, d.rng.randint(1, 3))


def raise_payment_order(
    d: Day,
    org: Org,
    payee: str,
    amount_c: int,
    ts: int,
    due: int,
    source_type: PaymentSource | None,
    source_id: int | None,
) -> int:
    """Raise a pending payment order from one of the org's accounts; return its id."""
    payment_id = d.out.new_id("payment_order")
    account_id = d.account(org).bank_account_id
    write_payment_order(
        d.out,
        payment_id,
        org.org_id,
        account_id,
        payee,
        amount_c,
        d.ord,
        due,
        source_type,
        source_id,
        PaymentStatus.PENDING,
        ts,
    )
    return payment_id


def raise_again(
    d: Day, org_id: str | None, payee: str | None, amount: Decimal | None, currency: str | None, due: dt.date,
    source_type: str | None, source_id: int | None,
) -> int | None:
    """Raise a cancelled order again, due the same day (or today); a dirty one is not (return the new id or None)."""
    org = d.orgs.get(org_id or "")
    if org is None or not org.accounts or not payee or cents(amount) <= 0 or currency != "CNY" or not source_type:
        return None
    due_day = max(due.toordinal(), d.ord)
    return raise_payment_order(d, org, payee, cents(amount), d.at(), due_day, PaymentSource(source_type), source_id)


def pay_orders(d: Day) -> None:
    """Execute due payment orders: bank debit and voucher, the claim paid; a few fail or are voided."""
    new_orders = d.inserted("payment_order")
    for (
        payment_id,
        org_id,
        account_id,
        payee,
        amount,
        source_type,
        source_id,
        claim_status,
        category,
        claim_amount,
        employee,
    ) in d.all("due_payment_orders", {"day": d.day}):
        ts = d.at(36000, 64800)
        if payment_id in new_orders:  # raised today: an urgent same-day payment, late in the evening
            ts = d.start_ts + 77400 + d.rng.randint(0, 1200)
        amount_c = cents(amount)
        if source_type == PaymentSource.EXPENSE_CLAIM and claim_status != ClaimStatus.APPROVED:
            d.update("payment_order", payment_id, ts, status=PaymentStatus.VOIDED)
            continue
        if d.rng.random() < 0.02:
            d.update("payment_order", payment_id, ts, status=PaymentStatus.FAILED)
            if source_type != PaymentSource.EXPENSE_CLAIM and org_id in d.orgs:  # claims: approve_claims re-raises
                raise_payment_order(d, d.orgs[org_id], payee, amount_c, ts + 1800, pay_day(d), source_type, source_id)
            continue
        d.update("payment_order", payment_id, ts, status=PaymentStatus.PAID)
        claim = None
        if source_type == PaymentSource.EXPENSE_CLAIM:
            d.update("expense_claim", source_id, ts, status=ClaimStatus.PAID)
            claim = Claim(source_id, category, cents(claim_amount), employee)
        settle_payment(d.out, d.rng, org_id, d.bank_accounts[account_id], payment_id, payee, amount_c, ts, claim)
