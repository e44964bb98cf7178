"""Benchmark the pulse detectors on a labelled simulated quarter against two seasonality-blind baselines.

`make bench PART=detection` (no database). The quarter 2026-01-01..2026-03-31 (the 2026 Spring Festival
week, the 调休 Saturdays 14 and 28 February, the year-end and two month-end closes) follows a warm-up from
2025-06-01, for 13 tables (bench/detection_sim.py). Every business date is judged only from the series up to
it, as the daily run would. Baselines judge the same rows-inserted series: a fixed threshold (rows below
50 % of the trailing 7-day mean) and a z-score (|z| > 3 over the trailing 28 days).

Delay is counted in daily runs: 0 = found by the run of the incident's first business date, the first run
after it happened. An incident counts as found within its own days plus two more runs. A false alarm is a
table and date with an alarm no incident explains (its days, and the catch-up day after a stall).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from smartops.calendar import BusinessCalendar, default_calendar
from smartops.config.pulse import FreshnessPolicy, PulsePolicy
from smartops.pulse import judge_freshness, judge_integrity, judge_volume, newest_activity
from smartops.vocabulary import Category, Severity
from workbench.bench.common import print_table, write_json
from workbench.bench.detection_sim import (
    INVENTORY,
    QUARTER_END,
    QUARTER_START,
    SEED,
    WARMUP_START,
    Incident,
    IncidentKind,
    Simulation,
    simulate,
)

log = logging.getLogger(__name__)

MATCH_RUNS = 2  # an incident counts as found up to two runs after its last day
DAYS_PER_MONTH = 365.25 / 12
FIXED_SHARE, FIXED_DAYS = 0.5, 7
Z_LIMIT, Z_DAYS = 3.0, 28
ROBUSTNESS_SEEDS = tuple(range(1, 11))
LABELS = {"ours": "pulse (calendar-aware)", "fixed_threshold": "fixed: rows < 50 % of 7-day mean",
          "zscore": "z-score: |z| > 3 over 28 days"}


@dataclass(frozen=True)
class Alarm:
    table: str
    day: date
    category: Category
    severity: Severity | None = None


def ours(sim: Simulation, quarter: list[date], calendar: BusinessCalendar) -> list[Alarm]:
    """Run the pulse detectors day by day, each business date judged from what its run knew."""
    alarms = []
    for spec in INVENTORY:
        policy = PulsePolicy(freshness=FreshnessPolicy(changes_every_working_day=spec.every_working_day))
        points = sim.series[spec.name]
        for day in quarter:
            known = [p for p in points if p.business_date <= day]
            alarms += [Alarm(spec.name, day, v.category) for v in judge_volume(
                spec.name, day, known, calendar, policy.volume) if v.finding]
            fresh = judge_freshness(spec.name, day, newest_activity(known, day), calendar, policy.freshness)
            if fresh and fresh.finding:
                alarms.append(Alarm(spec.name, day, fresh.category))
            if spec.ledger:
                periods = sim.periods_known_by(day, calendar)
                alarms += [Alarm(spec.name, day, f.category, f.severity) for f in judge_integrity(
                    spec.name, day, sim.changes[(spec.name, day)], periods)]
    return alarms


def fixed_threshold(sim: Simulation, quarter: list[date]) -> list[Alarm]:
    """Alarm when a day's rows fall below 50 % of the trailing 7-day mean."""
    def below(today: int, trailing: list[int]) -> bool:
        mean = statistics.fmean(trailing)
        return mean > 0 and today < FIXED_SHARE * mean

    return _calendar_blind(sim, quarter, FIXED_DAYS, below)


def zscore(sim: Simulation, quarter: list[date]) -> list[Alarm]:
    """Alarm when a day's rows lie more than 3 standard deviations from the trailing 28 days' mean."""
    def outlying(today: int, trailing: list[int]) -> bool:
        mean, sd = statistics.fmean(trailing), statistics.pstdev(trailing)
        return sd > 0 and abs(today - mean) / sd > Z_LIMIT

    return _calendar_blind(sim, quarter, Z_DAYS, outlying)


def _calendar_blind(sim: Simulation, quarter: list[date], days: int,
                    alarmed: Callable[[int, list[int]], bool]) -> list[Alarm]:
    """A baseline's alarms: each day's inserted rows judged against the `days` calendar days before it."""
    alarms = []
    for name, points in sim.series.items():
        rows = {p.business_date: p.rows_inserted for p in points}
        for day in quarter:
            if alarmed(rows[day], [rows[day - timedelta(days=i)] for i in range(1, days + 1)]):
                alarms.append(Alarm(name, day, Category.VOLUME))
    return alarms


def _matches(alarm: Alarm, incident: Incident) -> bool:
    if alarm.table != incident.table or not incident.start <= alarm.day <= incident.end + timedelta(MATCH_RUNS):
        return False
    if incident.kind is IncidentKind.CLOSED_PERIOD_CHANGE:
        return alarm.category is Category.INTEGRITY and alarm.severity is Severity.CRITICAL
    if incident.kind is IncidentKind.REOPENED_PERIOD_CHANGE:
        return alarm.category is Category.INTEGRITY and alarm.severity is Severity.MEDIUM
    return alarm.category in (Category.VOLUME, Category.FRESHNESS)


def _explained(alarm: Alarm, incidents: tuple[Incident, ...]) -> bool:
    return any(alarm.table == i.table and i.start <= alarm.day <= (i.aftermath or i.end) for i in incidents)


def score(alarms: list[Alarm], sim: Simulation, quarter: list[date]) -> dict:
    """Recall, false alarms per month (one per table and date) and the worst delay, in runs."""
    delays: dict[Incident, int | None] = {}
    for incident in sim.incidents:
        found = sorted(a.day for a in alarms if _matches(a, incident))
        delays[incident] = (found[0] - incident.start).days if found else None
    false = sorted({(a.table, a.day) for a in alarms if not _explained(a, sim.incidents)})
    found = [d for d in delays.values() if d is not None]
    return {
        "recall": len(found) / len(delays),
        "false_alarms_per_month": len(false) / (len(quarter) / DAYS_PER_MONTH),
        "max_delay_runs": max(found) if found else None,
        "false_alarms": len(false),
        "false_alarm_days": [f"{t} {d}" for t, d in false],
        "delays": {f"{i.kind.value} {i.table} {i.start}": d for i, d in delays.items()},
    }


def evaluate(sim: Simulation, calendar: BusinessCalendar) -> dict[str, dict]:
    """Score the pulse detectors and both baselines on one simulated quarter."""
    quarter = [d for d in sim.days if QUARTER_START <= d <= QUARTER_END]
    return {"ours": score(ours(sim, quarter, calendar), sim, quarter),
            "fixed_threshold": score(fixed_threshold(sim, quarter), sim, quarter),
            "zscore": score(zscore(sim, quarter), sim, quarter)}


def robustness(calendar: BusinessCalendar) -> dict[str, dict]:
    """The same quarter drawn with other seeds: mean and worst recall and false alarms per detector."""
    runs = [evaluate(simulate(calendar, seed), calendar) for seed in ROBUSTNESS_SEEDS]
    return {name: {
        "mean_recall": statistics.fmean(r[name]["recall"] for r in runs),
        "min_recall": min(r[name]["recall"] for r in runs),
        "mean_false_alarms_per_month": statistics.fmean(r[name]["false_alarms_per_month"] for r in runs),
        "max_false_alarms_per_month": max(r[name]["false_alarms_per_month"] for r in runs),
    } for name in LABELS}


def run() -> dict:
    started = time.perf_counter()
    calendar = default_calendar()
    sim = simulate(calendar)
    results = evaluate(sim, calendar)
    spread = robustness(calendar)
    seconds = time.perf_counter() - started
    print_table(f"Detection on a simulated quarter ({QUARTER_START}..{QUARTER_END}, {len(INVENTORY)} tables, "
                f"{len(sim.incidents)} incidents, seed {SEED})",
                ["detector", "recall", "false alarms", "false alarms / month", "max delay (runs)"],
                [[LABELS[name], f"{r['recall']:.0%}", r["false_alarms"], round(r["false_alarms_per_month"], 2),
                  "–" if r["max_delay_runs"] is None else r["max_delay_runs"]] for name, r in results.items()])
    print_table("Delay per incident, in runs (– = not found)", ["incident", *LABELS],
                [[key, *("–" if results[n]["delays"][key] is None else results[n]["delays"][key] for n in LABELS)]
                 for key in results["ours"]["delays"]])
    if results["ours"]["false_alarm_days"]:
        print(f"\n  pulse false alarms: {', '.join(results['ours']['false_alarm_days'])}")
    print_table(f"The same quarter drawn with {len(ROBUSTNESS_SEEDS)} other seeds ({seconds:.1f}s in all)",
                ["detector", "mean recall", "min recall", "mean false alarms / month", "max false alarms / month"],
                [[LABELS[name], f"{r['mean_recall']:.1%}", f"{r['min_recall']:.0%}",
                  round(r["mean_false_alarms_per_month"], 2), round(r["max_false_alarms_per_month"], 2)]
                 for name, r in spread.items()])
    summary = {key: results["ours"][key] for key in ("recall", "false_alarms_per_month", "max_delay_runs")}
    payload = {
        **summary,
        "baselines": {name: {key: results[name][key] for key in summary} for name in ("fixed_threshold", "zscore")},
        "detail": results, "robustness": {"seeds": list(ROBUSTNESS_SEEDS), **spread},
        "seed": SEED, "warmup_start": WARMUP_START, "quarter": [QUARTER_START, QUARTER_END],
        "delay_definition": "daily runs after the run of the incident's first business date (0 = that run)",
        "seconds": round(seconds, 2),
    }
    path = write_json("detection", payload)
    log.info("detection: wrote %s", path.name)
    return payload
