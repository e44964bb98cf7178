"""The history's sales: AR invoices on active contracts and the receipts each customer profile pays."""

from __future__ import annotations

import random

from workbench.demo.calendar import add_business_days, next_business_day
from workbench.demo.documents.orgs import pick_account
from workbench.demo.documents.receivables import (
    collect_receipt,
    invoice_net_cents,
    invoice_no,
    post_invoice_voucher,
    receipt_times,
    write_invoice,
)
from workbench.demo.history.state import Contract, Customer, History, HistoryOrg, Month, PayerProfile
from workbench.demo.values import DAY, work_seconds
from workbench.demo.vocab import InvoiceStatus


def active_contracts(contracts: list[Contract], first: int, last: int) -> list[Contract]:
    """Return the contracts business may happen on between two days."""
    return [c for c in contracts if c.start <= last and c.end >= first]


def invoices(h: History, org: HistoryOrg, month: Month, rng: random.Random, count: int) -> None:
    """Issue a month's invoices on the org's active sales and service contracts."""
    days = h.months[month]
    active = active_contracts(org.sales, days[0], days[-1])
    for _ in range(count if active else 0):
        contract = rng.choice(active)
        day = h.pick_day(rng, month, contract.start, contract.end)
        if day is not None:
            _invoice(h, org, rng, contract, day)


def _invoice(h: History, org: HistoryOrg, rng: random.Random, contract: Contract, day: int) -> None:
    customer = contract.customer
    assert customer is not None
    net_c = invoice_net_cents(rng, contract.mean_c)
    tax_c = round(net_c * contract.tax_rate / 100)
    invoice_id = h.out.new_id("ar_invoice")
    number = invoice_no(day, invoice_id)
    issued = day * DAY + work_seconds(rng)
    voided = None
    if rng.random() < 0.015:
        voided = add_business_days(day, rng.randint(1, 8)) * DAY + work_seconds(rng)
        voided = voided if voided <= h.end_ts else None
    post_invoice_voucher(h.out, rng, org.org_id, invoice_id, number, customer.name, net_c, tax_c, issued, voided)
    status, updated = InvoiceStatus.ISSUED, issued
    if voided:
        status, updated = InvoiceStatus.VOIDED, voided
    else:
        paid_c, last_ts = _receipts(h, org, rng, customer, invoice_id, number, day, net_c + tax_c)
        if paid_c:
            status = InvoiceStatus.PAID if paid_c >= net_c + tax_c else InvoiceStatus.PARTIALLY_PAID
            updated = last_ts
    write_invoice(
        h.out,
        invoice_id,
        number,
        org.org_id,
        customer.customer_id,
        contract.contract_id,
        day,
        day + customer.terms,
        net_c,
        tax_c,
        status,
        updated,
    )


def _receipt_plan(rng: random.Random, customer: Customer, day: int, total_c: int) -> list[tuple[int, int]]:
    """Return when and how much a customer pays on an invoice: (day ordinal, cents) instalments."""
    terms = customer.terms
    if customer.profile == PayerProfile.PROMPT:
        return [(day + rng.randint(5, max(6, terms - 2)), total_c)]
    if customer.profile == PayerProfile.SLOW:
        return [(day + terms + rng.randint(-5, 100), total_c)]
    if customer.profile == PayerProfile.PARTIAL:
        first = total_c * rng.randint(30, 70) // 100 // 10_000 * 10_000
        first_day = day + rng.randint(15, terms + 10)
        plan = [(first_day, first)]
        if rng.random() < 0.5:
            second = (total_c - first) // 2 // 10_000 * 10_000
            plan.append((first_day + rng.randint(20, 60), second))
            first += second
        plan.append((plan[-1][0] + rng.randint(20, 60), total_c - first))
        return plan
    if rng.random() < 0.5:  # a bad payer: nothing, or a fraction long after the due date
        return []
    return [(day + terms + rng.randint(30, 120), total_c * rng.randint(20, 40) // 100 // 10_000 * 10_000)]


def _receipts(
    h: History,
    org: HistoryOrg,
    rng: random.Random,
    customer: Customer,
    invoice_id: int,
    number: str,
    day: int,
    total_c: int,
) -> tuple[int, int]:
    """Collect the instalments that arrive by the end of the history; return (paid cents, last recorded)."""
    paid_c, last_ts = 0, 0
    for when, amount_c in _receipt_plan(rng, customer, day, total_c):
        bank_ts, recorded = receipt_times(rng, next_business_day(when))
        if recorded > h.end_ts or amount_c <= 0:
            break
        account = pick_account(rng, org)
        collect_receipt(
            h.out,
            rng,
            org.org_id,
            account,
            invoice_id,
            number,
            customer.customer_id,
            customer.name,
            amount_c,
            bank_ts,
            recorded,
        )
        paid_c += amount_c
        last_ts = recorded
    return paid_c, last_ts
