"""The state of one history generation: its window, randomness, orgs and the contracts they trade on."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from enum import StrEnum

from workbench.demo.calendar import history_start, is_business_day
from workbench.demo.documents.orgs import Org
from workbench.demo.reference import growth
from workbench.demo.values import DAY, LAST_SECOND
from workbench.demo.writer import RowWriter

Month = tuple[int, int]  # (year, month)


class PayerProfile(StrEnum):
    """How a customer pays its invoices."""

    PROMPT = "prompt"  # in full, before the due date
    SLOW = "slow"  # in full, up to a hundred days late
    PARTIAL = "partial"  # in two or three instalments
    BAD = "bad"  # a fraction long after the due date, or nothing


@dataclass
class Customer:
    """A customer, its payment terms (days) and how it pays."""

    customer_id: int
    name: str
    terms: int
    profile: PayerProfile


@dataclass
class Contract:
    """A signed contract the history trades on between ``start`` and ``end`` (ordinals)."""

    contract_id: int
    customer: Customer | None
    counterparty: str
    start: int
    end: int  # last day business may happen (end date or termination)
    mean_c: int
    tax_rate: int


@dataclass
class HistoryOrg(Org):
    """An org of the history, with the contracts it sells and buys on."""

    sales: list[Contract] = field(default_factory=list)
    purchases: list[Contract] = field(default_factory=list)


class History:
    """Everything one history generation shares: window, scale, seeded randomness, orgs and the writer.

    Moments are local seconds; nothing is recorded after ``end_ts``, the last second of the last day,
    and nothing before ``go_live_ts``, 08:00 on the first day.
    """

    def __init__(self, out: RowWriter, scale: float, seed: int, end: dt.date) -> None:
        start = history_start(end)
        self.out = out
        self.scale = scale
        self.seed = seed
        self.first_year = start.year
        self.start = start.toordinal()
        self.end = end.toordinal()
        self.end_ts = self.end * DAY + LAST_SECOND
        self.go_live_ts = self.start * DAY + 8 * 3600
        self.orgs: list[HistoryOrg] = []
        self.used_names: set[str] = set()
        self.months: dict[Month, list[int]] = {}
        for ordinal in range(self.start, self.end + 1):
            day = dt.date.fromordinal(ordinal)
            self.months.setdefault((day.year, day.month), []).append(ordinal)
        self.bdays = {m: [o for o in days if is_business_day(o)] for m, days in self.months.items()}

    def rng(self, *parts: object) -> random.Random:
        """Return a generator seeded from the run's seed and the parts (org, month, purpose)."""
        return random.Random("|".join(map(str, (self.seed, *parts))))

    def growth(self, year: int) -> float:
        """Return the business volume of a year relative to the history's first year."""
        return growth(year, self.first_year)

    def pick_day(self, rng: random.Random, month: Month, low: int = 0, high: int = 10**9) -> int | None:
        """Pick a working day of a month within [low, high] (documents are keyed on working days only)."""
        days = self.bdays[month]
        if days and (low > days[0] or high < days[-1]):
            days = [o for o in days if low <= o <= high]
        if not days:
            return None
        return rng.choice(days)
