"""Simulate one day of changes on the demo Level-1 schema.

Each call mutates ``l1`` the way a shared-finance platform would during one day, in one transaction. On
a working day of the product's calendar (make-up Saturdays included): new documents with their vouchers
and bank transactions, status changes, voids, hard deletes (only where the platform really deletes),
late updates that land at or below a table's previous ``max(updated_at)``, and - at ``dirty_rate`` -
deliberately dirty rows; on the month's first working day a batch posting stamps hundreds of voucher
lines with one ``updated_at``. On other days nobody posts: only withdrawals and clean-up deletes and the
interface's late updates. New documents are written by the same builders as the seeded history
(workbench.demo.documents), so they look alike.

Every day also keeps the accounting periods (day/periods.py): the month's period opens, the previous
one closes on its close day, and rarely a period is reopened or - a Level-1 mistake - posted into while
closed. Ordinary work never changes a closed period (day/closes.py). An ``incident`` stages a quiet
failure on top (Incident, day/incidents.py): a half day, a posting into the last closed period, or an
empty day.

A working day brings as many new documents as a working day of the history: the history's rates per
org-month at the scale it was seeded at, with its season and growth, spread at random over the month's
working days (Day.daily), so the product's volume detector judges a simulated day as it would one of
the history. Voids, withdrawals, cancellations and re-keys still happen every working day (at least one
each, for the tests and the demo); the documents entered again for them count among the day's own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg

from workbench.demo.calendar import next_business_day
from workbench.demo.day.claims import approve_claims, new_claims, void_claims
from workbench.demo.day.deletes import hard_deletes, rekey_receipts
from workbench.demo.day.dirty import inject_dirty
from workbench.demo.day.incidents import INCIDENT_STEPS
from workbench.demo.day.late import late_updates
from workbench.demo.day.ledger import batch_posting, funds, manual_vouchers, payroll
from workbench.demo.day.masterdata import budgets, customers_and_contracts
from workbench.demo.day.payments import pay_orders
from workbench.demo.day.periods import period_housekeeping, rare_period_event
from workbench.demo.day.purchases import order_deliveries, purchases
from workbench.demo.day.receivables import new_invoices, receipts, void_invoices
from workbench.demo.day.state import Day
from workbench.demo.generator import apply_schema
from workbench.demo.reference import TABLE_COLUMNS
from workbench.demo.vocab import DirtyKind, Incident, PeriodEvent
from workbench.paths import DEMO_SQL

logger = logging.getLogger(__name__)

DIRTY_KINDS: tuple[DirtyKind, ...] = tuple(DirtyKind)
Step = Callable[[Day], None]
# A working day's steps, in the order they happen; each sees the rows the ones before it wrote.
STEPS: tuple[Step, ...] = (
    hard_deletes,
    rekey_receipts,
    customers_and_contracts,
    budgets,
    new_claims,
    void_invoices,
    void_claims,
    approve_claims,
    pay_orders,
    new_invoices,
    receipts,
    purchases,
    order_deliveries,
    manual_vouchers,
    payroll,
    funds,
    batch_posting,
    inject_dirty,
    late_updates,
)
# A day off: nobody posts; claims are withdrawn, clean-up jobs and the interface's late updates run.
NON_WORKING_STEPS: tuple[Step, ...] = (hard_deletes, late_updates)


@dataclass(frozen=True)
class DaySummary:
    """What one simulated day changed, per table, plus its dirty rows, period events and incident."""

    day: dt.date
    inserted: dict[str, int]  # rows Level-1 holds at the end of the day (withheld ones not counted)
    updated: dict[str, int]
    deleted: dict[str, int]
    # rows whose new updated_at is at or below the table's max(updated_at) before the day
    late_updates: dict[str, int]
    dirty: dict[DirtyKind, list[tuple[str, int]]]  # kind -> (table, primary key value) of each dirty row
    periods: dict[PeriodEvent, list[str]] = field(default_factory=dict)  # event -> periods it happened to
    closed_period_vouchers: list[int] = field(default_factory=list)  # posted into a closed period, not reopened
    incident: Incident | None = None
    withheld: dict[str, int] = field(default_factory=dict)  # HALF_DAY: new rows Level-1 did not deliver

    def as_dict(self) -> dict:
        """Return a JSON-serialisable dict."""
        return {
            "day": self.day.isoformat(),
            "inserted": dict(self.inserted),
            "updated": dict(self.updated),
            "deleted": dict(self.deleted),
            "late_updates": dict(self.late_updates),
            "dirty": {str(kind): [list(item) for item in items] for kind, items in self.dirty.items()},
            "periods": {str(event): list(periods) for event, periods in self.periods.items()},
            "closed_period_vouchers": list(self.closed_period_vouchers),
            "incident": None if self.incident is None else str(self.incident),
            "withheld": dict(self.withheld),
        }


def _summary(d: Day, incident: Incident | None) -> DaySummary:
    def counts(source: dict[str, set]) -> dict[str, int]:
        return {table: len(source.get(table, ())) for table in TABLE_COLUMNS}

    added, withheld = counts(d.added), counts(d.withheld)
    return DaySummary(
        d.day,
        {table: len(d.inserted(table)) + added[table] - withheld[table] for table in TABLE_COLUMNS},
        counts(d.updated),
        counts(d.deleted),
        counts(d.late),
        {kind: list(items) for kind, items in d.dirty.items()},
        {event: list(periods) for event, periods in d.period_events.items()},
        list(d.closed_period_vouchers),
        incident,
        {table: count for table, count in withheld.items() if count},
    )


def day_steps(working: bool, incident: Incident | None, rare_events: bool = True) -> tuple[Step, ...]:
    """Return the steps of a day, in order: its own, the period housekeeping, then the incident or a rare event.

    An empty day runs none of its own; a day with an incident has no rare period event besides, and
    neither has a day with ``rare_events`` off.
    """
    own = () if incident is Incident.EMPTY_DAY else STEPS if working else NON_WORKING_STEPS
    if incident is None:
        tail: tuple[Step, ...] = (rare_period_event,) if rare_events else ()
    else:
        tail = (INCIDENT_STEPS[incident],) if incident in INCIDENT_STEPS else ()
    return (*own, period_housekeeping, *tail)


def simulate_day(
    conninfo: str,
    *,
    day: dt.date | None = None,
    seed: int = 20261129,
    dirty_rate: float = 0.02,
    incident: Incident | None = None,
    rare_events: bool = True,
) -> DaySummary:
    """Mutate Level-1 like one day.

    day defaults to the first working day after the last one Level-1 covers (the simulator's clock: the
    seeded history's end or the last simulated day), as the days off between would post nothing; any day
    after the seeded history works, days off included. Everything happens in one transaction.

    Deterministic for (database state, day, seed, incident). ``incident`` stages a quiet failure (see
    Incident) on top of the day, which is otherwise the same as without it (the incident draws from a
    random stream of its own); a day with an incident has no rare period event. ``rare_events`` False
    leaves out the seed-driven reopen-and-adjust and posting into a closed period (day/periods.py), so
    the day touches no closed period at all. ``dirty_rate`` applies
    on working days, the only days with new documents. ``updated`` in the summary counts every
    pre-existing row that was updated (late updates included); ``late_updates`` is the subset whose new
    updated_at is at or below the table's max(updated_at) before the day.
    """
    if not 0 <= dirty_rate <= 1:
        raise ValueError(f"dirty_rate must be within [0, 1], got {dirty_rate!r}")
    if incident is not None and not isinstance(incident, Incident):
        valid = ", ".join(str(i) for i in Incident)
        raise ValueError(f"incident={incident!r} is not an Incident; pass one of: {valid} (or None)")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:  # one transaction for the whole day
        cur.execute(DEMO_SQL.named("level1.sql", "lock_level1"))
        apply_schema(cur)  # a Level-1 seeded by an older demo gains the period tables and the clock
        if day is None:
            after = cur.execute(DEMO_SQL.named("level1.sql", "day_after_latest_change")).fetchone()[0]
            if after is None:
                raise RuntimeError("l1.gl_voucher is empty: seed Level-1 first")
            day = dt.date.fromordinal(next_business_day(after.toordinal()))
        simulation = Day(cur, day, seed, dirty_rate)
        for step in day_steps(simulation.business, incident, rare_events):
            with conn.pipeline():
                step(simulation)
            simulation.out.flush_all()
        cur.execute(DEMO_SQL.named("level1.sql", "advance_clock"), {"day": day})
        summary = _summary(simulation, incident)
    logger.info(
        "simulated %s%s: inserted %s, updated %s, deleted %s",
        day,
        f" ({incident})" if incident else "",
        sum(summary.inserted.values()),
        sum(summary.updated.values()),
        sum(summary.deleted.values()),
    )
    return summary
