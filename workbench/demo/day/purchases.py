"""Purchases of the day: goods received on purchase contracts, and the payment orders raised for them later.

As in the history (history/month.py): a delivery is booked as a payable when the goods arrive, and its
payment order follows ORDER_LAG working days later (once the supplier's invoice is checked), due PAY_LAG
working days after that. The deliveries waiting for an order are read from Level-1 itself (the
goods-received voucher credits 2202 '应付{supplier}货款'), so the seeded history's last deliveries get
their orders on the same schedule as the simulator's own, and a cancelled order is raised again.
"""

from __future__ import annotations

import datetime as dt
import random

from workbench.demo.calendar import add_business_days
from workbench.demo.day.payments import raise_payment_order
from workbench.demo.day.state import Day
from workbench.demo.documents.contracts import contract_mean_cents
from workbench.demo.documents.purchases import purchase_amounts, receive_goods
from workbench.demo.names import supplier_name
from workbench.demo.reference import RATES
from workbench.demo.values import cents
from workbench.demo.vocab import ContractType, PaymentSource

ORDER_LAG = (5, 25)  # working days from a delivery to its payment order (history/month.py)
PAY_LAG = (2, 7)  # working days from the order to its pay date
LOOKBACK = dt.timedelta(days=60)  # covers the longest lag, a long holiday included


def purchases(d: Day) -> None:
    """Book goods received on active purchase contracts (their payment orders come later: order_deliveries)."""
    contracts = d.all("purchase_contracts", {"day": d.day, "orgs": sorted(d.trading_ids)})
    if not contracts:
        return
    for _ in range(d.daily(RATES["purchases"], d.trading_weights, 0)):
        contract_id, org_id, amount = d.rng.choice(contracts)
        net_c, tax_c = purchase_amounts(d.rng, contract_mean_cents(cents(amount), ContractType.PURCHASE))
        receive_goods(d.out, d.rng, org_id, supplier_name(contract_id), net_c, tax_c, d.at())


def order_deliveries(d: Day) -> None:
    """Raise the payment orders of the deliveries whose order lag has run out (each delivery's lag drawn once).

    The lag is a pure function of (seed, goods-received voucher), so a delivery keeps its date whichever
    day asks; one whose date the simulator skipped is ordered on the next simulated working day.
    """
    rows = d.all("deliveries_awaiting_order", {"since": d.day - LOOKBACK, "day": d.day})
    if not rows:
        return
    contracts = {(org_id, supplier_name(contract_id)): contract_id
                 for contract_id, org_id in d.all("purchase_contracts_of", {"orgs": sorted(d.trading_ids)})}
    for voucher_id, org_id, received, amount, supplier in rows:
        lag = random.Random(f"order|{d.seed}|{voucher_id}").randint(*ORDER_LAG)
        org, contract_id = d.orgs.get(org_id), contracts.get((org_id, supplier))
        if add_business_days(received.toordinal(), lag) > d.ord or org is None or not org.accounts or not contract_id:
            continue
        due = add_business_days(d.ord, d.rng.randint(*PAY_LAG))
        raise_payment_order(d, org, supplier, cents(amount), d.at(), due, PaymentSource.CONTRACT, contract_id)
