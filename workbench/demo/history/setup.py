"""Set the history up: reference tables, each org's bank accounts, staff, customers, contracts and budgets."""

from __future__ import annotations

import datetime as dt
import math
import random

from workbench.demo.calendar import add_months, period_of
from workbench.demo.documents.budgets import approval_day, revision_ts, write_budget
from workbench.demo.documents.contracts import (
    CREDIT_LIMITS_C,
    contract_end,
    draw_contract_terms,
    tax_rate,
    write_contract,
    write_customer,
)
from workbench.demo.documents.orgs import BankAccount, write_bank_account
from workbench.demo.history.state import Contract, Customer, History, HistoryOrg, PayerProfile
from workbench.demo.names import company_name, person_name, supplier_name
from workbench.demo.reference import (
    ACCOUNTS,
    BANKS,
    CATEGORY_ACCOUNTS,
    CATEGORY_AMOUNTS,
    CATEGORY_WEIGHTS,
    DEPARTMENT_WEIGHTS,
    NAME_CORES,
    ORG_UNITS,
    RATES,
    SEASON,
    SUPPLIER_CITIES,
)
from workbench.demo.values import DAY, NULL, stochastic_round, ts_text, work_seconds
from workbench.demo.vocab import ContractStatus, ContractType, CustomerStatus, UnitStatus

OrgRow = tuple[str, str, str, str | None, int, str, str, str, float]


def write_reference(h: History) -> None:
    """Write the org units and the chart of accounts, as configured at go-live."""
    for org_id, code, name, parent, level, region, _city, status, _w in ORG_UNITS:
        updated = h.go_live_ts if status == UnitStatus.ACTIVE else h.go_live_ts + 3600
        row = (org_id, code, name, parent or NULL, str(level), region, status, ts_text(updated))
        h.out.add("org_unit", "\t".join(row))
    for code, name, kind, parent, direction, leaf in ACCOUNTS:
        row = (code, name, kind, parent or NULL, direction, "t" if leaf else "f", ts_text(h.go_live_ts))
        h.out.add("account", "\t".join(row))


def setup_org(h: History, row: OrgRow) -> None:
    """Add an org with its bank accounts and, unless it is closed, its staff, customers and contracts."""
    org_id, _code, name, _parent, level, _region, city, status, weight = row
    org = HistoryOrg(org_id, name, level, city, weight)
    rng = h.rng(org_id, "setup")
    h.orgs.append(org)
    _setup_bank_accounts(h, org, rng, status)
    if weight <= 0:
        return
    _setup_departments(org, rng)
    if org.trading:
        _setup_customers(h, org, rng)
        _setup_purchase_contracts(h, org, rng)


def _setup_bank_accounts(h: History, org: HistoryOrg, rng: random.Random, status: str) -> None:
    count = 1 if status == UnitStatus.CLOSED else (3 if org.level == 1 or org.weight >= 1.0 else 2)
    s, w = h.scale, max(org.weight, 0.3)
    for index, bank in enumerate(rng.sample(BANKS, count)):
        account_id = h.out.new_id("bank_account")
        main = index == 0
        if status == UnitStatus.CLOSED:
            opening_c, floor_c, updated, state = 0, 0, h.go_live_ts + 3600, UnitStatus.CLOSED
        elif org.level == 1 and main:
            opening_c = int(30_000_000 * s) * 100
            floor_c = int(5_000_000 * s) // 10_000 * 1_000_000
            updated, state = h.go_live_ts, UnitStatus.ACTIVE
        else:
            opening_c = int((1_500_000 if main else 600_000) * s * w * rng.uniform(0.8, 1.2)) // 10_000 * 1_000_000
            floor_c = int((300_000 if main else 100_000) * s * w) // 10_000 * 1_000_000
            updated, state = h.go_live_ts, UnitStatus.ACTIVE
        bank_name = f"{bank}{org.city}{'分行营业部' if main else '分行'}"
        account = BankAccount(account_id, org.org_id, bank_name, floor_c, opening_c)
        write_bank_account(h.out, account, str(rng.randrange(10**18, 10**19)), h.start, state, updated)
        org.accounts.append(account)


def _setup_departments(org: HistoryOrg, rng: random.Random) -> None:
    if org.level == 1:
        depts = ["综合管理部", "财务部", "人力资源部", "技术部", "战略投资部", "市场部"]
    elif org.level == 2:
        depts = ["综合管理部", "财务部", "市场部"]
    else:
        extra = rng.sample(["技术部", "运营部", "采购部", "客服部"], rng.randint(1, 2))
        depts = ["综合管理部", "财务部", "销售部", "市场部", *sorted(extra)]
    org.departments = depts
    org.dept_weights = [DEPARTMENT_WEIGHTS[d] * rng.uniform(0.8, 1.2) for d in depts]
    for dept in depts:
        org.employees[dept] = [person_name(rng) for _ in range(rng.randint(4, 12))]


def _unique_company(h: History, rng: random.Random, city: str) -> tuple[str, str]:
    for _ in range(20):
        name, industry = company_name(rng, city)
        if name not in h.used_names:
            break
    else:
        name = f"{name[:-4]}{rng.choice(NAME_CORES)}{name[-4:]}"
    h.used_names.add(name)
    return name, industry


def _setup_customers(h: History, org: HistoryOrg, rng: random.Random) -> None:
    frozen_from = add_months(dt.date.fromordinal(h.start), 8).toordinal()  # bad payers get frozen later on
    for _ in range(max(3, stochastic_round(rng, 8 * h.scale * org.weight))):
        customer_id = h.out.new_id("customer")
        name, industry = _unique_company(h, rng, org.city if rng.random() < 0.7 else rng.choice(SUPPLIER_CITIES))
        profile = rng.choices(tuple(PayerProfile), (0.5, 0.33, 0.12, 0.05))[0]
        customer = Customer(customer_id, name, rng.choice((30, 30, 60, 60, 90)), profile)
        first_sign = _setup_sales_contracts(h, org, rng, customer)
        status, updated = CustomerStatus.ACTIVE, max(h.go_live_ts + customer_id % 3600, first_sign - 2 * DAY)
        if profile == PayerProfile.BAD and rng.random() < 0.5:
            frozen = rng.randint(frozen_from, h.end) * DAY + work_seconds(rng)
            if frozen > updated:
                status, updated = CustomerStatus.FROZEN, frozen
        credit_c = rng.choice(CREDIT_LIMITS_C)
        updated = min(updated, h.end_ts - rng.randint(3600, DAY))
        write_customer(h.out, customer_id, name, org.org_id, industry, credit_c, status, updated)


def _contract_span(rng: random.Random, start: int) -> tuple[int, int, int]:
    end = contract_end(start, rng.choice((12, 12, 24, 24, 36)))
    return start - rng.randint(0, 20), start, end


def _setup_sales_contracts(h: History, org: HistoryOrg, rng: random.Random, customer: Customer) -> int:
    """Write a customer's chain of sales/service contracts; return when the customer was first keyed."""
    if rng.random() < 0.6:  # an existing customer, trading since before go-live
        start = rng.randint(add_months(dt.date.fromordinal(h.start), -19).toordinal(), h.start - 1)
    else:
        start = rng.randint(h.start, h.end + 10)
    first_sign = None
    while True:
        sign, start, end = _contract_span(rng, start)
        if sign - 7 > h.end:
            break
        kind = ContractType.SALES if rng.random() < 0.55 else ContractType.SERVICE
        contract = _write_contract(h, org, rng, kind, customer, customer.name, sign, start, end)
        if contract is not None:
            org.sales.append(contract)
        first_sign = sign if first_sign is None else first_sign
        if end >= h.end or rng.random() > 0.7:
            break
        start = end + 1
    return (first_sign or h.start) * DAY + work_seconds(rng)


def _setup_purchase_contracts(h: History, org: HistoryOrg, rng: random.Random) -> None:
    earliest = add_months(dt.date.fromordinal(h.start), -12).toordinal()
    latest = add_months(dt.date.fromordinal(h.end), -3).replace(day=1).toordinal()
    for _ in range(max(2, stochastic_round(rng, 4 * h.scale * org.weight))):
        start = rng.randint(earliest, latest)
        while True:
            sign, start, end = _contract_span(rng, start)
            if sign - 7 > h.end:
                break
            supplier = supplier_name(h.out.next_ids["contract"])
            contract = _write_contract(h, org, rng, ContractType.PURCHASE, None, supplier, sign, start, end)
            if contract is not None:
                org.purchases.append(contract)
            if end >= h.end or rng.random() > 0.6:
                break
            start = end + 1


def _write_contract(
    h: History,
    org: HistoryOrg,
    rng: random.Random,
    kind: ContractType,
    customer: Customer | None,
    counterparty: str,
    sign: int,
    start: int,
    end: int,
) -> Contract | None:
    """Write a contract in the state it reached by the end of the history; return it unless still a draft."""
    draft_ts = (sign - rng.randint(3, 10)) * DAY + work_seconds(rng)
    if draft_ts > h.end_ts:
        return None  # not keyed into the platform yet
    contract_id = h.out.new_id("contract")
    mean_c, amount_c = draw_contract_terms(rng, kind)
    sign_ts = sign * DAY + work_seconds(rng)
    status, updated, business_end = ContractStatus.DRAFT, draft_ts, end
    if sign_ts <= h.end_ts:
        status, updated = ContractStatus.ACTIVE, sign_ts
    terminated = rng.random() < 0.03
    if terminated and status == ContractStatus.ACTIVE:
        business_end = rng.randint(start, end)
        term_ts = business_end * DAY + work_seconds(rng)
        if term_ts <= h.end_ts:
            status, updated = ContractStatus.TERMINATED, term_ts
    closed_ts = (end + 1) * DAY + 32400
    if status == ContractStatus.ACTIVE and closed_ts <= h.end_ts:
        status, updated = ContractStatus.CLOSED, closed_ts
    updated = max(updated, h.go_live_ts + contract_id % 3600)
    customer_id = customer.customer_id if customer else None
    write_contract(h.out, contract_id, kind, org.org_id, customer_id, amount_c, sign, start, end, status, updated)
    if status == ContractStatus.DRAFT:
        return None
    return Contract(contract_id, customer, counterparty, max(start, sign), business_end, mean_c, tax_rate(kind))


def write_budgets(h: History, org: HistoryOrg) -> None:
    """Write an org's budgets: every year of the history, and next year's once approved (by the end).

    Amounts follow the expected claims per department and category; about one key in eight is revised
    mid-year (version 2 for July to December).
    """
    if org.weight <= 0:
        return
    rng = h.rng(org.org_id, "budget")
    end_year = dt.date.fromordinal(h.end).year
    years = [y for y in range(h.first_year, end_year + 2) if approval_day(y) <= h.end]
    first_period = period_of(h.start)
    total_w = sum(org.dept_weights)
    rate = RATES["claims"] * h.scale * org.weight
    for dept, dept_w in zip(org.departments, org.dept_weights, strict=True):
        for category, account in CATEGORY_ACCOUNTS.items():
            median, sigma, _low, _high = CATEGORY_AMOUNTS[category]
            expected = rate * dept_w / total_w * CATEGORY_WEIGHTS[category] * median * math.exp(sigma**2 / 2)
            revise = rng.random() < 0.12
            for year in years:
                approved_ts = max(approval_day(year) * DAY + 36000, h.go_live_ts + 5400)
                revised_ts = max(revision_ts(year), approved_ts)  # a revision before go-live is loaded with it
                for month in range(1, 13):
                    period = f"{year}-{month:02d}"
                    if period < first_period:
                        continue
                    base = expected * SEASON[month] * h.growth(year) * rng.uniform(0.95, 1.4)
                    write_budget(h.out, org.org_id, dept, account, period, base, 1, approved_ts)
                    if revise and month >= 7 and revised_ts <= h.end_ts:
                        revised = base * rng.uniform(0.8, 1.3)
                        write_budget(h.out, org.org_id, dept, account, period, revised, 2, revised_ts)
