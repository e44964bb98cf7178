"""Quiet failures a simulated day can stage (Incident): what the product's pulse detectors must catch.

Each incident is a step run after the day's own steps, drawing from the day's ``rare`` random stream,
so the rest of the day is exactly what it would have been without it. ``Incident.EMPTY_DAY`` has no step
of its own: the simulator runs none of the day's steps (see simulator.py).
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.demo.day.periods import post_into_last_closed
from workbench.demo.day.state import Day
from workbench.demo.vocab import Incident

HALF_DAY_TABLES = ("gl_voucher", "expense_claim")  # lines go with their vouchers


def withhold_half(d: Day) -> None:
    """Take back half of the day's new vouchers (with their lines) and claims: Level-1 delivered only half.

    The dirty rows of the day are kept, so its summary of dirty rows stays true.
    """
    dirty = {(table, key) for items in d.dirty.values() for table, key in items}
    for table in HALF_DAY_TABLES:
        fresh = [key for key in d.inserted(table) if (table, key) not in dirty]
        chosen = sorted(d.rare.sample(fresh, len(fresh) // 2))
        if table == "gl_voucher" and chosen:
            d.withhold("gl_voucher_line", [line for (line,) in d.all("voucher_lines_of", {"vouchers": chosen})])
        d.withhold(table, chosen)


def post_into_closed_period(d: Day) -> None:
    """Post a voucher with balanced lines into the last closed period, without reopening it."""
    if post_into_last_closed(d) is None:
        raise RuntimeError("Level-1 has no closed accounting period to post into: seed Level-1 first")


INCIDENT_STEPS: dict[Incident, Callable[[Day], None]] = {
    Incident.HALF_DAY: withhold_half,
    Incident.CLOSED_PERIOD_POSTING: post_into_closed_period,
}
