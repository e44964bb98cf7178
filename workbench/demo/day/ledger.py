"""The ledger of the day: manual vouchers, payroll, fund movements and the month's allocation batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from workbench.demo.calendar import next_business_day
from workbench.demo.day.state import Day
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
from workbench.demo.reference import HQ_ORG_ID, RATES
from workbench.demo.values import cents, stochastic_round
from workbench.demo.vocab import MiscKind, VoucherStatus

_MISC_KINDS = (MiscKind.CASH, MiscKind.ADVANCE, MiscKind.RECLASS)  # as in history/month.py
_TRADING_MISC_KINDS = (MiscKind.CASH, MiscKind.ADVANCE, MiscKind.ADS, MiscKind.RECLASS)


def manual_vouchers(d: Day) -> None:
    """Post most older drafts, key the day's manual vouchers, and void the odd reclassification.

    The day's manual vouchers come at the history's rate and in its kinds (history/month.py): petty-cash
    withdrawals are posted at once, the others keyed as drafts and posted on a later day. Drafts are
    posted and reclassifications voided only in writable periods (day/closes.py).
    """
    drafts = d.all("old_drafts", {"start": d.start, "writable": d.writable})
    for (voucher_id,) in d.sample(drafts, max(1, len(drafts) * 6 // 10)):
        d.update("gl_voucher", voucher_id, d.at(), status=VoucherStatus.POSTED)
    for _ in range(d.daily(RATES["misc"], d.doc_weights, 0)):
        org = d.org()
        kind = d.rng.choice(_TRADING_MISC_KINDS if org.trading else _MISC_KINDS)
        amount_c = d.rng.randint(5, 200) * 10_000
        if kind is MiscKind.CASH:
            withdraw_cash(d.out, d.rng, org, amount_c, d.at())
        else:
            post_misc_voucher(d.out, d.rng, org.org_id, kind, amount_c, d.at(), VoucherStatus.DRAFT)
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

    As in the history (history/month.py), HQ tops accounts up on the month's first working day and sweeps
    surpluses on its last; on the days between only an account about to run short (below half its floor)
    is topped up. The day's low point is estimated as the opening balance of the day less all its payments
    so far.
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
    first = next_business_day(d.day.replace(day=1).toordinal())
    last = accrual_day(d.day.year, d.day.month)  # the month's last working day
    for account_id, start, inflow, outflow in balances:
        account = d.bank_accounts[account_id]
        org = d.orgs.get(account.org_id)
        if account is source or account.floor_c <= 0 or org is None:
            continue
        low_c = cents(start) - cents(outflow)
        sweep = d.ord == last and org is not hq
        amount_c = rebalance_amount(d.rng, account.floor_c, low_c, low_c + cents(inflow), sweep)
        if amount_c > 0 and d.ord != first and low_c >= account.floor_c // 2:
            continue  # between the monthly top-ups, only an account about to run short
        if amount_c > 0:
            transfer(d.out, d.rng, hq, source, org, account, amount_c, d.start_ts + 28800 + account_id)
        elif amount_c < 0:
            transfer(d.out, d.rng, org, account, hq, source, -amount_c, d.at(54000, 57600))


def batch_posting(d: Day) -> None:
    """Post the labour-cost allocation on the first night of the close window: many lines, one updated_at.

    Once a month, on its first working day (close-window day 1), which the volume detector compares with
    the same close day of earlier months: a batch every night would post several times the voucher lines
    of a working day of the history, and one on an ordinary working day would stand out as a spike.
    """
    if d.ord != next_business_day(d.day.replace(day=1).toordinal()):
        return
    orgs = d.trading_orgs or d.doc_orgs
    post_allocation_batch(d.out, d.rng, [org.org_id for org in orgs], d.ord, d.scale)
