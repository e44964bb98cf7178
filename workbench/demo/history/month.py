"""One org-month of the history: claims and their payments, sales, purchases, manual vouchers, payroll, funds.

Every document is written in the state it reached by the end of the history: a claim approved after
the last day stays submitted, a payment due after it stays pending, and so on.
"""

from __future__ import annotations

import random

from workbench.demo.calendar import add_business_days, last_business_day, month_days
from workbench.demo.documents.claims import Claim, draw_claim, write_claim
from workbench.demo.documents.funds import credit_interest, interest_day, rebalance_amount, transfer
from workbench.demo.documents.manual import post_allocation_batch, post_misc_voucher, withdraw_cash
from workbench.demo.documents.orgs import BankAccount, pick_account
from workbench.demo.documents.payments import settle_payment, write_payment_order
from workbench.demo.documents.payroll import (
    accrual_day,
    accrue_payroll,
    close_cost_of_sales,
    pay_payroll,
    payday,
    payroll_gross_cents,
    payroll_label,
)
from workbench.demo.documents.purchases import purchase_amounts, receive_goods
from workbench.demo.history.sales import active_contracts, invoices
from workbench.demo.history.state import History, HistoryOrg, Month
from workbench.demo.reference import RATES, SEASON
from workbench.demo.values import DAY, month_key, stochastic_round, work_seconds
from workbench.demo.vocab import ClaimStatus, MiscKind, PaymentSource, PaymentStatus, VoucherStatus

_MISC_KINDS = (MiscKind.CASH, MiscKind.ADVANCE, MiscKind.RECLASS)
_TRADING_MISC_KINDS = (MiscKind.CASH, MiscKind.ADVANCE, MiscKind.ADS, MiscKind.RECLASS)


def run_month(h: History, org: HistoryOrg, month: Month) -> None:
    """Generate one org-month, with its own seeded randomness (so months are independent of each other)."""
    rng = h.rng(org.org_id, f"{month[0]}-{month[1]:02d}")
    days = h.months[month]
    factor = h.scale * org.weight * SEASON[month[1]] * h.growth(month[0]) * len(days) / month_days(*month)
    _claims(h, org, month, rng, stochastic_round(rng, RATES["claims"] * factor))
    purchased_c = 0
    if org.trading:
        invoices(h, org, month, rng, stochastic_round(rng, RATES["invoices"] * factor))
        purchased_c = _purchases(h, org, month, rng, stochastic_round(rng, RATES["purchases"] * factor))
    _misc(h, org, month, rng, stochastic_round(rng, RATES["misc"] * factor))
    _payroll(h, org, month, rng, purchased_c)
    _interest(h, org, month, rng)
    _balance_funds(h, org, month, rng)


def closing_batch(h: History) -> None:
    """Post the last working night's labour-cost allocation: many lines sharing one updated_at."""
    orgs = [org.org_id for org in h.orgs if org.weight > 0 and org.trading]
    post_allocation_batch(h.out, h.rng("closing-batch"), orgs, last_business_day(h.end), h.scale)


def _claims(h: History, org: HistoryOrg, month: Month, rng: random.Random, count: int) -> None:
    for _ in range(count):
        day = h.pick_day(rng, month)
        if day is None:
            return
        submitted = day * DAY + work_seconds(rng)
        dept, employee, category, amount_c = draw_claim(rng, org)
        claim_id = h.out.new_id("expense_claim")
        status, updated = ClaimStatus.SUBMITTED, submitted
        outcome = rng.random()
        if outcome < 0.05:
            decided = add_business_days(day, rng.randint(1, 3)) * DAY + work_seconds(rng)
            if decided <= h.end_ts:
                status, updated = (ClaimStatus.REJECTED if outcome < 0.03 else ClaimStatus.VOIDED), decided
        else:
            approved = add_business_days(day, rng.randint(1, 4)) * DAY + work_seconds(rng)
            if approved <= h.end_ts:
                status, updated = ClaimStatus.APPROVED, approved
                paid = _pay_claim(h, org, rng, Claim(claim_id, category, amount_c, employee), approved)
                if paid is not None:
                    status, updated = ClaimStatus.PAID, paid
        write_claim(h.out, claim_id, org.org_id, dept, employee, category, amount_c, day, status, updated)


def _pay_claim(h: History, org: HistoryOrg, rng: random.Random, claim: Claim, approved: int) -> int | None:
    created = approved + rng.randint(600, 7200)
    if created > h.end_ts:
        return None
    pay_day = add_business_days(approved // DAY, rng.randint(1, 3))
    account = pick_account(rng, org)
    return _payment_order(
        h,
        org,
        rng,
        account,
        claim.employee,
        claim.amount_c,
        created,
        pay_day,
        PaymentSource.EXPENSE_CLAIM,
        claim.claim_id,
        claim,
    )


def _payment_order(
    h: History,
    org: HistoryOrg,
    rng: random.Random,
    account: BankAccount,
    payee: str,
    amount_c: int,
    created: int,
    pay_day: int,
    source_type: PaymentSource,
    source_id: int,
    claim: Claim | None = None,
) -> int | None:
    """Write a payment order (raising a new one the next business day after a failure); return when it was paid."""
    while True:
        payment_id = h.out.new_id("payment_order")
        pay_ts = pay_day * DAY + rng.randint(36000, 61200)
        failed = rng.random() < 0.015
        if pay_ts > h.end_ts:
            status, updated = PaymentStatus.PENDING, created
        else:
            status, updated = (PaymentStatus.FAILED if failed else PaymentStatus.PAID), pay_ts
        write_payment_order(
            h.out,
            payment_id,
            org.org_id,
            account.bank_account_id,
            payee,
            amount_c,
            created // DAY,
            pay_day,
            source_type,
            source_id,
            status,
            updated,
        )
        if status == PaymentStatus.PENDING:
            return None
        if status == PaymentStatus.PAID:
            settle_payment(h.out, rng, org.org_id, account, payment_id, payee, amount_c, pay_ts, claim)
            return pay_ts
        created = pay_ts + rng.randint(1800, 7200)
        pay_day = add_business_days(pay_day, 1)
        if created > h.end_ts:
            return None


def _purchases(h: History, org: HistoryOrg, month: Month, rng: random.Random, count: int) -> int:
    """Receive a month's deliveries on purchase contracts and pay them later; return the net purchased."""
    days = h.months[month]
    active = active_contracts(org.purchases, days[0], days[-1])
    purchased_c = 0
    for _ in range(count if active else 0):
        contract = rng.choice(active)
        day = h.pick_day(rng, month, contract.start, contract.end)
        if day is None:
            continue
        net_c, tax_c = purchase_amounts(rng, contract.mean_c)
        receive_goods(h.out, rng, org.org_id, contract.counterparty, net_c, tax_c, day * DAY + work_seconds(rng))
        purchased_c += net_c
        created = add_business_days(day, rng.randint(5, 25)) * DAY + work_seconds(rng)
        if created > h.end_ts:
            continue
        pay_day = add_business_days(created // DAY, rng.randint(2, 7))
        account = pick_account(rng, org)
        _payment_order(
            h,
            org,
            rng,
            account,
            contract.counterparty,
            net_c + tax_c,
            created,
            pay_day,
            PaymentSource.CONTRACT,
            contract.contract_id,
        )
    return purchased_c


def _misc(h: History, org: HistoryOrg, month: Month, rng: random.Random, count: int) -> None:
    for _ in range(count):
        day = h.pick_day(rng, month)
        if day is None:
            return
        kind = rng.choice(_TRADING_MISC_KINDS if org.trading else _MISC_KINDS)
        amount_c = rng.randint(5, 200) * 10_000
        created = day * DAY + work_seconds(rng)
        if kind == MiscKind.CASH:
            withdraw_cash(h.out, rng, org, amount_c, created)
            continue
        status, status_ts = VoucherStatus.POSTED, None
        if (day >= h.end - 6 and rng.random() < 0.6) or rng.random() < 0.02:
            status = VoucherStatus.DRAFT  # the last week's vouchers are often still drafts
        elif rng.random() < 0.03:
            voided = add_business_days(day, rng.randint(1, 5)) * DAY + created % DAY
            if voided <= h.end_ts:
                status, status_ts = VoucherStatus.VOIDED, voided
        post_misc_voucher(h.out, rng, org.org_id, kind, amount_c, created, status, status_ts)


def _payroll(h: History, org: HistoryOrg, month: Month, rng: random.Random, purchased_c: int) -> None:
    """Accrue the month's payroll (with the cost-of-sales close) and pay it on the 10th of the next month."""
    year, number = month
    accrued_on = accrual_day(year, number)
    if not h.start <= accrued_on <= h.end:
        return  # the month-end close lies outside the history
    batches = stochastic_round(rng, h.scale)
    for batch in range(1, batches + 1):
        gross_c = payroll_gross_cents(rng, org.weight, h.growth(year))
        accrued = accrued_on * DAY + 57600 + batch * 60
        label = payroll_label(year, number, batch, batches)
        accrue_payroll(h.out, rng, org, gross_c, label, accrued)
        if purchased_c:
            cost_c = purchased_c * rng.randint(80, 100) // 100 // batches // 100 * 100
            close_cost_of_sales(h.out, rng, org.org_id, year, number, cost_c, accrued + 1800)
        paid_ts = payday(year, number) * DAY + 36000 + batch * 60
        if paid_ts <= h.end_ts:
            pay_payroll(h.out, rng, org, gross_c, label, paid_ts)


def _interest(h: History, org: HistoryOrg, month: Month, rng: random.Random) -> None:
    day = interest_day(*month)
    if day is None or not h.start <= day <= h.end:
        return
    key = month_key(day)
    balances = []
    for account in org.accounts:
        inflow, outflow = account.month_flows(key)
        balances.append((account, account.start_balance(key) + inflow - outflow))
    credit_interest(h.out, rng, org.org_id, day, balances)


def _balance_funds(h: History, org: HistoryOrg, month: Month, rng: random.Random) -> None:
    """Top accounts up from HQ on the month's first business day; sweep surpluses on its last.

    The month's low point is estimated as its opening balance less all its payments.
    """
    bdays = h.bdays[month]
    if not bdays:
        return
    key = month_key(bdays[0])
    hq = h.orgs[0]
    source = hq.accounts[0]
    for account in org.accounts:
        if account is source or account.floor_c <= 0:
            continue
        start = account.start_balance(key)
        inflow, outflow = account.month_flows(key)
        amount_c = rebalance_amount(rng, account.floor_c, start - outflow, start + inflow - outflow, org is not hq)
        if amount_c > 0:
            ts = bdays[0] * DAY + 34200 + account.bank_account_id
            if ts <= h.end_ts:
                transfer(h.out, rng, hq, source, org, account, amount_c, ts)
        elif amount_c < 0 and bdays[-1] * DAY + 54000 <= h.end_ts:
            transfer(h.out, rng, org, account, hq, source, -amount_c, bdays[-1] * DAY + 54000)
