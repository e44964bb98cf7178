"""The ledger of the day: purchases, manual vouchers, payroll, fund movements and the nightly batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from workbench.demo.calendar import add_business_days
from workbench.demo.day.payments import raise_payment_order
from workbench.demo.day.state import Day
from workbench.demo.documents.contracts import contract_mean_cents
from workbench.demo.documents.funds import credit_interest, interest_day, rebalance_amount, transfer
from workbench.demo.documents.manual import post_allocation_batch, post_misc_voucher, withdraw_cash
from workbench.demo.documents.orgs import BankAccount
from workbench.demo.documents.payroll import (
    accrual_day,
    accrue_payroll,
    pay_payroll,
    payday,
    payroll_gross_cents,
    payroll_label,
)
from workbench.demo.documents.purchases import purchase_amounts, receive_goods
from workbench.demo.names import supplier_name
from workbench.demo.reference import HQ_ORG_ID, RATES
from workbench.demo.values import cents, stochastic_round
from workbench.demo.vocab import ContractType, MiscKind, PaymentSource, VoucherStatus

_DRAFT_KINDS = (MiscKind.ADVANCE, MiscKind.RECLASS)
_TRADING_DRAFT_KINDS = (MiscKind.ADVANCE, MiscKind.RECLASS, MiscKind.ADS)


def purchases(d: Day) -> None:
    """Book goods received on purchase contracts and raise their payment orders (due in 3-10 business days)."""
    contracts = d.all("purchase_contracts", {"day": d.day, "orgs": sorted(d.trading_ids)})
    if not contracts:
        return
    for _ in range(d.daily(RATES["purchases"], d.trading_weights, 1)):
        contract_id, org_id, amount = d.rng.choice(contracts)
        supplier = supplier_name(contract_id)
        net_c, tax_c = purchase_amounts(d.rng, contract_mean_cents(cents(amount), ContractType.PURCHASE))
        received = d.at()
        receive_goods(d.out, d.rng, org_id, supplier, net_c, tax_c, received)
        due = add_business_days(d.ord, d.rng.randint(3, 10))
        raise_payment_order(
            d, d.orgs[org_id], supplier, net_c + tax_c, received + 2700, due, PaymentSource.CONTRACT, contract_id
        )


def manual_vouchers(d: Day) -> None:
    """Post most older drafts, key new drafts and petty-cash withdrawals, and void the odd reclassification.

    Drafts are posted and reclassifications voided only in writable periods (day/closes.py).
    """
    drafts = d.all("old_drafts", {"start": d.start, "writable": d.writable})
    for (voucher_id,) in d.sample(drafts, max(1, len(drafts) * 6 // 10)):
        d.update("gl_voucher", voucher_id, d.at(), status=VoucherStatus.POSTED)
    for _ in range(max(2, stochastic_round(d.rng, 2 * d.scale))):
        org = d.org()
        kind = d.rng.choice(_TRADING_DRAFT_KINDS if org.trading else _DRAFT_KINDS)
        amount_c = d.rng.randint(5, 200) * 10_000
        post_misc_voucher(d.out, d.rng, org.org_id, kind, amount_c, d.at(), VoucherStatus.DRAFT)
    for _ in range(d.daily(RATES["misc"], d.doc_weights, 0)):
        org = d.org()
        amount_c = d.rng.randint(5, 200) * 10_000
        withdraw_cash(d.out, d.rng, org, amount_c, d.at())
    if d.rng.random() < 0.3:
        posted = d.all("posted_reclassifications", {"writable": d.writable, "start": d.start})
        for (voucher_id,) in d.sample(posted, 1):
            d.update("gl_voucher", voucher_id, d.at(), status=VoucherStatus.VOIDED)


def payroll(d: Day) -> None:
    """Accrue salaries on the month's last business day; pay last month's on the first business day from the 10th."""
    year, month = d.day.year, d.day.month
    if d.ord == accrual_day(year, month):
        for org in d.doc_orgs:
            batches = stochastic_round(d.rng, d.scale)
            for batch in range(1, batches + 1):
                gross_c = payroll_gross_cents(d.rng, org.weight, d.growth)
                label = payroll_label(year, month, batch, batches)
                accrue_payroll(d.out, d.rng, org, gross_c, label, d.start_ts + 57600 + batch * 60)
    previous_year, previous_month = (year, month - 1) if month > 1 else (year - 1, 12)
    if d.ord != payday(previous_year, previous_month):
        return
    for org_id, gross, summary in d.all("payroll_accruals", {"period": f"{previous_year}-{previous_month:02d}"}):
        org = d.orgs.get(org_id)
        if org and org.accounts:
            paid_ts = d.start_ts + 36000 + d.rng.randint(0, 600)
            pay_payroll(d.out, d.rng, org, cents(gross), summary.removeprefix("计提"), paid_ts)


def funds(d: Day) -> None:
    """Credit quarterly interest, top accounts up from HQ ahead of the day's payments, sweep surpluses.

    The day's low point is estimated as the opening balance of the day less all its payments so far.
    """
    balances = d.all("account_balances", {"start": d.start, "end": d.start + dt.timedelta(days=1)})
    if interest_day(d.day.year, d.day.month) == d.ord:
        by_org: dict[str, list[tuple[BankAccount, int]]] = defaultdict(list)
        for account_id, start, inflow, outflow in balances:
            account = d.bank_accounts[account_id]
            by_org[account.org_id].append((account, cents(start) + cents(inflow) - cents(outflow)))
        for org_id, items in sorted(by_org.items()):
            credit_interest(d.out, d.rng, org_id, d.ord, items)
    hq = d.orgs.get(HQ_ORG_ID)
    if hq is None or not hq.accounts:
        return
    source = hq.accounts[0]
    for account_id, start, inflow, outflow in balances:
        account = d.bank_accounts[account_id]
        org = d.orgs.get(account.org_id)
        if account is source or account.floor_c <= 0 or org is None:
            continue
        low_c = cents(start) - cents(outflow)
        amount_c = rebalance_amount(d.rng, account.floor_c, low_c, low_c + cents(inflow), d.business and org is not hq)
        if amount_c > 0:
            transfer(d.out, d.rng, hq, source, org, account, amount_c, d.start_ts + 28800 + account_id)
        elif amount_c < 0:
            transfer(d.out, d.rng, org, account, hq, source, -amount_c, d.at(54000, 57600))


def batch_posting(d: Day) -> None:
    """Post the nightly labour-cost allocation: many voucher lines sharing one updated_at."""
    orgs = d.trading_orgs or d.doc_orgs
    post_allocation_batch(d.out, d.rng, [org.org_id for org in orgs], d.ord, d.scale)
