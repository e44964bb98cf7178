"""The parties documents are booked for: organisation units and their bank accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from workbench.demo.values import day_text, money, ts_text
from workbench.demo.vocab import UnitStatus
from workbench.demo.writer import RowWriter


@dataclass
class BankAccount:
    """A bank account, with the money that moved through it per month (for balance-driven decisions)."""

    bank_account_id: int
    org_id: str
    bank_name: str
    floor_c: int
    opening_c: int
    flows: dict[int, list[int]] = field(default_factory=dict)  # month key -> [in, out] cents

    def start_balance(self, month_key: int) -> int:
        """Return the balance at the start of a month (every earlier month is complete by then)."""
        return self.opening_c + sum(i - o for key, (i, o) in self.flows.items() if key < month_key)

    def month_flows(self, month_key: int) -> tuple[int, int]:
        """Return (in, out) cents of a month."""
        inflow, outflow = self.flows.get(month_key, (0, 0))
        return inflow, outflow


@dataclass
class Org:
    """An organisation unit that books documents: its staff, bank accounts and business weight."""

    org_id: str
    name: str
    level: int
    city: str
    weight: float
    departments: list[str] = field(default_factory=list)
    dept_weights: list[float] = field(default_factory=list)
    employees: dict[str, list[str]] = field(default_factory=dict)
    accounts: list[BankAccount] = field(default_factory=list)  # the main account first

    @property
    def trading(self) -> bool:
        """Tell whether the org sells and buys (business divisions only incur overheads)."""
        return self.level != 2


def pick_account(rng: random.Random, org: Org) -> BankAccount:
    """Pick the account a document is paid from or into (mostly the main account)."""
    if len(org.accounts) == 1 or rng.random() < 0.55:
        return org.accounts[0]
    return rng.choice(org.accounts[1:])


def write_bank_account(
    out: RowWriter, account: BankAccount, account_no: str, opening_day: int, status: UnitStatus, updated: int
) -> None:
    """Write a bank_account row (opened on the go-live day)."""
    out.add(
        "bank_account",
        "\t".join(
            (
                str(account.bank_account_id),
                account.org_id,
                account.bank_name,
                account_no,
                "CNY",
                money(account.opening_c),
                day_text(opening_day),
                money(account.floor_c),
                status,
                ts_text(updated),
            )
        ),
    )
