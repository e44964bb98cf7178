"""Master data of the day: contracts closing and renewing, new customers, credit limits, next year's budget."""

from __future__ import annotations

from workbench.demo.day.state import Day
from workbench.demo.documents.budgets import approval_day, write_budget
from workbench.demo.documents.contracts import (
    CREDIT_LIMITS_C,
    contract_end,
    draw_contract_terms,
    write_contract,
    write_customer,
)
from workbench.demo.documents.orgs import Org
from workbench.demo.names import company_name
from workbench.demo.values import cents, decimal, stochastic_round
from workbench.demo.vocab import ContractStatus, ContractType, CustomerStatus


def customers_and_contracts(d: Day) -> None:
    """Close (and often renew) expired contracts, add customers and purchase contracts, adjust credit limits."""
    expired = d.all("expired_contracts", {"day": d.day})
    for contract_id, org_id, customer_id, kind, amount in sorted(
        d.sample(expired, max(1, stochastic_round(d.rng, 2 * d.scale)))
    ):
        ts = d.at(30600, 36000)
        d.update("contract", contract_id, ts, status=ContractStatus.CLOSED)
        if org_id in d.trading_ids and d.rng.random() < 0.6:
            renewed_c = int(cents(amount) * d.rng.uniform(0.8, 1.3)) // 1_000_000 * 1_000_000 or 10_000_000
            new_contract(d, d.orgs[org_id], customer_id, ContractType(kind), ts + 7200, renewed_c)
    for _ in range(stochastic_round(d.rng, 0.3 * d.scale)):
        new_customer(d)
    for _ in range(stochastic_round(d.rng, 0.1 * d.scale)):
        new_contract(d, d.org(trading=True), None, ContractType.PURCHASE, d.at())
    customers = d.all("active_customers")
    for customer_id, limit in d.sample(customers, stochastic_round(d.rng, 0.3 * d.scale)):
        new_limit = max(cents(limit) + d.rng.choice((-50, 50, 100)) * 1_000_000, 10_000_000)
        d.update("customer", customer_id, d.at(), credit_limit=decimal(new_limit))


def new_contract(
    d: Day, org: Org, customer_id: int | None, kind: ContractType, ts: int, amount_c: int | None = None
) -> int:
    """Sign a one- or two-year contract starting today (terms drawn as in the history unless given)."""
    contract_id = d.out.new_id("contract")
    end = contract_end(d.ord, d.rng.choice((12, 24)))
    if amount_c is None:
        amount_c = draw_contract_terms(d.rng, kind)[1]
    write_contract(
        d.out, contract_id, kind, org.org_id, customer_id, amount_c, d.ord, d.ord, end, ContractStatus.ACTIVE, ts
    )
    return contract_id


def new_customer(d: Day, name_missing: bool = False) -> int:
    """Key a new customer of a trading org with its first contract (a dirty one has no name and no contract)."""
    org = d.org(trading=True)
    customer_id = d.out.new_id("customer")
    name, industry = company_name(d.rng, org.city)
    ts = d.at()
    credit_c = d.rng.choice(CREDIT_LIMITS_C)
    shown = None if name_missing else name
    write_customer(d.out, customer_id, shown, org.org_id, industry, credit_c, CustomerStatus.ACTIVE, ts)
    if not name_missing:
        kind = d.rng.choice((ContractType.SALES, ContractType.SERVICE))
        new_contract(d, org, customer_id, kind, ts + 1800)
    return customer_id


def budgets(d: Day) -> None:
    """Load next year's budget (version 1) on its approval day, from this year's latest versions."""
    year = d.day.year
    if d.ord != approval_day(year + 1):
        return
    if d.one("budget_rows_of_year", {"pattern": f"{year + 1}-%"}):
        return  # already there (the seeded history may end after the approval day)
    current = d.all("latest_budgets_of_year", {"pattern": f"{year}-%"})
    ts = d.start_ts + 36000
    increase = d.rng.uniform(1.0, 1.1)
    for org_id, dept, account, period, amount in current:
        yuan = float(amount or 0) * increase * d.rng.uniform(0.9, 1.15)
        write_budget(d.out, org_id, dept, account, f"{year + 1}{period[4:]}", yuan, 1, ts)
