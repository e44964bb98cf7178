"""The labelled quarter the detection benchmark judges: 13 tables shaped by the business calendar.

Each table's daily rows inserted are negative-binomial (Poisson with gamma-distributed rate) around a
calendar-shaped mean: ordinary working days by weekday, a make-up Saturday (调休) a little quieter, weekends
a small share, public holidays a smaller one (the lull), the month-end close window several-fold (more at
quarter end), the first working day after a long break catching up. Incidents are injected into
the loaded series; the truth is kept as labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import numpy as np

from smartops.business_date import BUSINESS_TZ
from smartops.calendar import BusinessCalendar, DayClass
from smartops.pulse import Change, Period, PeriodStatus, Reopen, RowChange, VolumePoint

SEED = 20260101
WARMUP_START = date(2025, 6, 1)  # 214 days of history: six month-end closes before the quarter
QUARTER_START, QUARTER_END = date(2026, 1, 1), date(2026, 3, 31)  # Spring Festival, 调休 Saturdays, 3 closes
WEEKDAY = (1.10, 1.02, 1.0, 0.98, 0.92)  # Monday … Friday
MAKEUP_DAY = 0.9
CATCH_UP = 1.3  # first working day after three or more days off
QUARTER_END_CLOSE = 1.15
CLOSE_CUTOFF = time(18)  # a period closes at 18:00 on the last day of its close window
REOPEN = Reopen(datetime(2026, 2, 11, 9, tzinfo=BUSINESS_TZ), datetime(2026, 2, 11, 17, tzinfo=BUSINESS_TZ))


@dataclass(frozen=True)
class TableSpec:
    name: str
    base: float  # mean rows inserted on an ordinary Wednesday
    weekend: float  # share of `base` on a weekend day
    holiday: float  # share of `base` on a public holiday
    close: dict[int, float] = field(default_factory=dict)  # multiplier per close-window day
    dispersion: float = 60.0  # negative binomial r: variance = mean + mean² / r
    every_working_day: bool = False
    ledger: bool = False  # changes belong to accounting periods (integrity is judged)


INVENTORY = (
    TableSpec("gl_voucher_line", 4000, 0.02, 0.005, {1: 3.5, 2: 2.6, 3: 1.8}, 80, True, True),
    TableSpec("gl_voucher", 600, 0.02, 0.005, {1: 3.2, 2: 2.4, 3: 1.7}, 80, True, True),
    TableSpec("bank_transaction", 900, 0.30, 0.15, {1: 1.2}, 60, True),
    TableSpec("expense_claim", 160, 0.03, 0.01, {1: 1.6, 2: 1.3, 3: 1.1}, 60, True),
    TableSpec("payment_order", 120, 0.02, 0.01, {1: 1.4, 2: 1.2}, 60, True),
    TableSpec("ar_invoice", 200, 0.02, 0.01, {1: 2.0, 2: 1.5}, 60, True),
    TableSpec("ar_receipt", 150, 0.05, 0.02, {1: 1.3}, 60, True),
    TableSpec("customer", 12, 0.10, 0.05, {}, 20),
    TableSpec("contract", 20, 0.05, 0.02, {1: 1.5}, 20),
    TableSpec("budget", 4, 0.0, 0.0, {1: 4.0, 2: 2.0}, 10),
    TableSpec("account", 0.3, 0.0, 0.0, {1: 3.0}, 10),
    TableSpec("org_unit", 0.2, 0.0, 0.0, {}, 10),
    TableSpec("bank_account", 0.5, 0.0, 0.0, {}, 10),
)


class IncidentKind(StrEnum):
    HALF_DAY = "half_day"
    EMPTY_DAY = "empty_working_day"
    DUPLICATED_DAY = "duplicated_day"
    STUCK = "no_new_data_2_working_days"
    CLOSED_PERIOD_CHANGE = "closed_period_change"
    REOPENED_PERIOD_CHANGE = "reopened_period_change"


@dataclass(frozen=True)
class Incident:
    kind: IncidentKind
    table: str
    start: date
    end: date
    aftermath: date | None = None  # a day whose alarms the incident explains (the catch-up after a stall)
    period: str | None = None  # closed-period changes: the period changed


INCIDENTS = (
    Incident(IncidentKind.HALF_DAY, "gl_voucher_line", date(2026, 3, 17), date(2026, 3, 17)),
    Incident(IncidentKind.HALF_DAY, "gl_voucher", date(2026, 1, 21), date(2026, 1, 21)),
    Incident(IncidentKind.EMPTY_DAY, "payment_order", date(2026, 2, 14), date(2026, 2, 14)),  # the 调休 Saturday
    Incident(IncidentKind.EMPTY_DAY, "ar_invoice", date(2026, 1, 13), date(2026, 1, 13)),
    Incident(IncidentKind.DUPLICATED_DAY, "expense_claim", date(2026, 3, 4), date(2026, 3, 4)),  # a close day
    Incident(IncidentKind.DUPLICATED_DAY, "bank_transaction", date(2026, 2, 26), date(2026, 2, 26)),
    Incident(IncidentKind.STUCK, "ar_receipt", date(2026, 3, 25), date(2026, 3, 26), aftermath=date(2026, 3, 27)),
    Incident(IncidentKind.STUCK, "gl_voucher", date(2026, 2, 9), date(2026, 2, 10), aftermath=date(2026, 2, 11)),
    Incident(IncidentKind.CLOSED_PERIOD_CHANGE, "gl_voucher_line", date(2026, 1, 20), date(2026, 1, 20),
             period="2025-12"),
    Incident(IncidentKind.CLOSED_PERIOD_CHANGE, "gl_voucher", date(2026, 3, 12), date(2026, 3, 12),
             period="2026-01"),
    Incident(IncidentKind.REOPENED_PERIOD_CHANGE, "gl_voucher_line", date(2026, 2, 11), date(2026, 2, 11),
             period="2026-01"),
)


@dataclass
class Simulation:
    """The loaded series per table, the changes each day's sync made, and the periods' close history."""

    days: list[date]
    series: dict[str, list[VolumePoint]]
    changes: dict[tuple[str, date], list[Change]]
    incidents: tuple[Incident, ...]

    def periods_known_by(self, day: date, calendar: BusinessCalendar) -> list[Period]:
        """The periods as D's run knew them: closed only once their close time had passed by the end of D."""
        known, month = [], date(WARMUP_START.year, WARMUP_START.month, 1)
        while month <= day:
            closed_at = datetime.combine(calendar.close_window(month)[-1], CLOSE_CUTOFF, BUSINESS_TZ)
            name = calendar.period_of(month)
            if closed_at.date() <= day:
                reopens = (REOPEN,) if name == "2026-01" and REOPEN.reopened_at.date() <= day else ()
                known.append(Period(name, PeriodStatus.CLOSED, closed_at, reopens))
            else:
                known.append(Period(name, PeriodStatus.OPEN))
            month = (month + timedelta(days=32)).replace(day=1)
        return known


def expected_rows(spec: TableSpec, day: date, calendar: BusinessCalendar) -> float:
    """The calendar-shaped mean of `spec` on `day`."""
    kind = calendar.day_kind(day)
    if kind.day_class is DayClass.NON_WORKING:
        return spec.base * (spec.holiday if kind.holiday_zh else spec.weekend)
    mean = spec.base * (MAKEUP_DAY if kind.makeup_workday else WEEKDAY[day.weekday()])
    if kind.close_day is not None:
        # Quarter-end closes are bigger. The year-end one is modelled like them: seven months of history hold
        # no year-end close to learn from (a deployment would keep a year of ledger history).
        mean *= spec.close.get(kind.close_day, 1.0) * (QUARTER_END_CLOSE if day.month in (1, 4, 7, 10) else 1.0)
    elif calendar.working_days_between(day - timedelta(days=4), day) == 1:  # after 3+ days off
        mean *= CATCH_UP
    return mean


def simulate(calendar: BusinessCalendar, seed: int = SEED) -> Simulation:
    """Draw the warm-up and the quarter for every table, then inject the incidents."""
    rng = np.random.default_rng(seed)
    days = [WARMUP_START + timedelta(days=i) for i in range((QUARTER_END - WARMUP_START).days + 1)]
    rows: dict[str, dict[date, int]] = {}
    for spec in INVENTORY:
        means = np.array([expected_rows(spec, d, calendar) for d in days])
        rates = rng.gamma(spec.dispersion, np.maximum(means, 1e-9) / spec.dispersion)
        rows[spec.name] = dict(zip(days, (int(x) for x in rng.poisson(rates)), strict=True))
    changes = {(spec.name, d): _ordinary_changes(spec, d, calendar, rng)
               for spec in INVENTORY if spec.ledger for d in days}
    for incident in INCIDENTS:
        _inject(incident, rows[incident.table], changes, calendar)
    series = {name: [VolumePoint(d, n, n // 8) for d, n in by_day.items()] for name, by_day in rows.items()}
    return Simulation(days, series, changes, INCIDENTS)


def _ordinary_changes(spec: TableSpec, day: date, calendar: BusinessCalendar, rng) -> list[Change]:
    """A sample of a ledger table's changes on `day`: its own period, and the closing one before its cut-off."""
    if not calendar.is_working_day(day):
        return []
    changed = [Change(f"V{day:%m%d}{i}", calendar.period_of(day), RowChange.INSERTED,
                      datetime.combine(day, time(9 + i), BUSINESS_TZ), amount=float(rng.integers(100, 10**6)))
               for i in range(4)]
    closing = calendar.closing_period(day)
    if closing:  # adjustments to the month being closed, all before its cut-off
        changed.append(Change(f"A{day:%m%d}", closing, RowChange.UPDATED,
                              datetime.combine(day, time(15, 30), BUSINESS_TZ), amount=2500.0))
    return changed


def _inject(incident: Incident, rows: dict[date, int], changes: dict, calendar: BusinessCalendar) -> None:
    day = incident.start
    if incident.kind is IncidentKind.HALF_DAY:
        rows[day] //= 2
    elif incident.kind is IncidentKind.EMPTY_DAY:
        rows[day] = 0
    elif incident.kind is IncidentKind.DUPLICATED_DAY:
        rows[day] *= 2
    elif incident.kind is IncidentKind.STUCK:
        stalled = [d for d in rows if incident.start <= d <= incident.end]
        rows[incident.aftermath] += sum(rows[d] for d in stalled)  # the cursor moves again: the backlog arrives
        for d in stalled:
            rows[d] = 0
    else:
        at = datetime.combine(day, time(10, 15), BUSINESS_TZ)
        changes[(incident.table, day)].append(Change(
            f"X{day:%m%d}", incident.period, RowChange.UPDATED, at, line_id="2", amount=-48000.0))
