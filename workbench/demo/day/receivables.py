"""Receivables of the day: invoices on active contracts, and money collected on open invoices."""

from __future__ import annotations

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
from workbench.demo.values import cents
from workbench.demo.vocab import ContractType, InvoiceStatus


def new_invoices(d: Day) -> None:
    """Issue today's AR invoices against active sales and service contracts."""
    contracts = d.all("invoiceable_contracts", {"day": d.day, "orgs": sorted(d.trading_ids)})
    if not contracts:
        return
    for _ in range(d.daily(RATES["invoices"], d.trading_weights, 1)):
        contract_id, org_id, customer_id, kind, amount, customer, terms = d.rng.choice(contracts)
        kind = ContractType(kind)
        net_c = invoice_net_cents(d.rng, contract_mean_cents(cents(amount), kind))
        tax_c = round(net_c * tax_rate(kind) / 100)
        invoice_id = d.out.new_id("ar_invoice")
        number = invoice_no(d.ord, invoice_id)
        issued = d.at()
        due = d.ord + (terms or (30, 60, 90)[customer_id % 3])
        write_invoice(
            d.out,
            invoice_id,
            number,
            org_id,
            customer_id,
            contract_id,
            d.ord,
            due,
            net_c,
            tax_c,
            InvoiceStatus.ISSUED,
            issued,
        )
        post_invoice_voucher(d.out, d.rng, org_id, invoice_id, number, customer, net_c, tax_c, issued)


def receipts(d: Day) -> None:
    """Collect money on open invoices, preferring those around their due date (partial and full receipts)."""
    open_invoices = d.all("open_invoices", {"day": d.day, "orgs": sorted(d.trading_ids), "start": d.start})
    if not open_invoices:
        return
    weights = [3.0 if -10 <= (d.day - row[5]).days <= 30 else 1.0 for row in open_invoices]
    picked: list[tuple] = []
    for _ in range(min(d.daily(RATES["invoices"] * 1.1, d.trading_weights, 2), len(open_invoices))):
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
