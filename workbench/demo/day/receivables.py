"""Receivables of the day: invoices voided (and issued again) or cancelled, new invoices, money collected."""

from __future__ import annotations

from workbench.demo.calendar import period_of
from workbench.demo.day.closes import cancel_voucher
from workbench.demo.day.state import Day
from workbench.demo.documents.contracts import contract_mean_cents, tax_rate
from workbench.demo.documents.receivables import (
    collect_receipt,
    invoice_net_cents,
    invoice_no,
    post_invoice_voucher,
    receipt_times,
    write_invoice,
)
from workbench.demo.reference import RATES
from workbench.demo.values import cents, stochastic_round
from workbench.demo.vocab import ContractType, InvoiceStatus

RED_LETTER_INVOICE_RATE = 0.1  # working days on which an unpaid invoice of a closed period is cancelled
RECEIPTS_PER_INVOICE = 0.9  # receipts a working day of the history has per invoice (partial, full and none)


def void_invoices(d: Day) -> None:
    """Void unpaid invoices of the day's writable periods; now and then cancel an older one in red letters.

    A VAT invoice is voided (作废) only within its own period, its voucher with it, mostly for a mistake
    on it: new_invoices issues it again (作废重开) as one of the day's invoices. On about one working day in
    ten an unpaid invoice of a closed period is cancelled (红字发票): its closed voucher stays as it is and
    a red-letter reversal is posted on the day (day/closes.py).
    """
    invoices = {row[0]: row for row in d.all("voidable_invoices", {"day": d.day})}
    current = [key for key, row in invoices.items() if period_of(row[1].toordinal()) in d.writable]
    voided = d.sample(current, max(1, stochastic_round(d.rng, 0.1 * d.scale)))
    cancelled = []
    if d.rng.random() < RED_LETTER_INVOICE_RATE:
        cancelled = d.sample(sorted(invoices.keys() - set(current)), 1)
    chosen = sorted(voided + cancelled)
    vouchers = d.all("invoice_vouchers", {"invoices": chosen}) if chosen else []
    for invoice_id in chosen:
        ts = d.at()
        d.update("ar_invoice", invoice_id, ts, status=InvoiceStatus.VOIDED)
        for voucher_id in [v for source, v in vouchers if source == invoice_id]:
            cancel_voucher(d, voucher_id, ts + 180)
        if invoice_id in voided:
            d.voided_invoices.append((invoices[invoice_id], ts + 600))


def new_invoices(d: Day) -> None:
    """Issue today's AR invoices: first those voided today for a mistake, then new ones on active contracts.

    The day's count follows the history's rate (at least one a working day); a voided invoice beyond it is
    not issued again (cancelled).
    """
    count = d.daily(RATES["invoices"], d.trading_weights, 1)
    for (_, _, org_id, customer_id, contract_id, net, tax, terms, customer), issued in d.voided_invoices[:count]:
        _issue(d, org_id, customer_id, contract_id, customer or "", cents(net), cents(tax), terms, issued)
    contracts = d.all("invoiceable_contracts", {"day": d.day, "orgs": sorted(d.trading_ids)})
    for _ in range(count - len(d.voided_invoices[:count]) if contracts else 0):
        contract_id, org_id, customer_id, kind, amount, customer, terms = d.rng.choice(contracts)
        kind = ContractType(kind)
        net_c = invoice_net_cents(d.rng, contract_mean_cents(cents(amount), kind))
        tax_c = round(net_c * tax_rate(kind) / 100)
        _issue(d, org_id, customer_id, contract_id, customer, net_c, tax_c, terms or (30, 60, 90)[customer_id % 3],
               d.at())


def _issue(d: Day, org_id: str, customer_id: int, contract_id: int, customer: str, net_c: int, tax_c: int,
           terms: int, issued: int) -> None:
    """Issue an invoice dated the day, due ``terms`` days later, and post its voucher."""
    invoice_id = d.out.new_id("ar_invoice")
    number = invoice_no(d.ord, invoice_id)
    write_invoice(d.out, invoice_id, number, org_id, customer_id, contract_id, d.ord, d.ord + terms, net_c, tax_c,
                  InvoiceStatus.ISSUED, issued)
    post_invoice_voucher(d.out, d.rng, org_id, invoice_id, number, customer, net_c, tax_c, issued)


def receipts(d: Day) -> None:
    """Collect money on open invoices, preferring those around their due date (partial and full receipts).

    The receipts re-keyed today count among the day's receipt entries.
    """
    open_invoices = d.all("open_invoices", {"day": d.day, "orgs": sorted(d.trading_ids), "start": d.start})
    if not open_invoices:
        return
    weights = [3.0 if -10 <= (d.day - row[5]).days <= 30 else 1.0 for row in open_invoices]
    picked: list[tuple] = []
    count = d.daily(RATES["invoices"] * RECEIPTS_PER_INVOICE, d.trading_weights, 0)
    count -= min(len(d.inserted("ar_receipt")), max(0, count - 1))  # re-keyed today, but money still comes in
    for _ in range(min(count, len(open_invoices))):
        index = d.rng.choices(range(len(open_invoices)), weights)[0]
        weights[index] = 0.0
        picked.append(open_invoices[index])
        if not any(weights):
            break
    for position, (invoice_id, number, org_id, customer_id, total, _due, customer, paid) in enumerate(picked):
        outstanding = cents(total) - cents(paid)
        if outstanding <= 0:
            continue
        amount_c = outstanding
        if (position == 0 or (position > 1 and d.rng.random() < 0.3)) and outstanding >= 200_000:
            amount_c = outstanding * d.rng.randint(30, 70) // 100 // 10_000 * 10_000 or outstanding
        account = d.account(d.orgs[org_id])
        bank_ts, recorded = receipt_times(d.rng, d.ord)
        collect_receipt(
            d.out, d.rng, org_id, account, invoice_id, number, customer_id, customer, amount_c, bank_ts, recorded
        )
        status = InvoiceStatus.PAID if amount_c >= outstanding else InvoiceStatus.PARTIALLY_PAID
        d.update("ar_invoice", invoice_id, recorded, status=status)
