"""The detection benchmark: the labelled quarter, judged day by day, meets its targets with the defaults."""

from __future__ import annotations

from smartops.calendar import BusinessCalendar
from workbench.bench.detection import LABELS, evaluate
from workbench.bench.detection_sim import INCIDENTS, INVENTORY, QUARTER_END, QUARTER_START, WARMUP_START, simulate


def test_should_find_every_incident_at_its_first_run_with_at_most_one_false_alarm_a_month():
    calendar = BusinessCalendar()
    results = evaluate(simulate(calendar), calendar)
    ours = results["ours"]
    assert ours["recall"] >= 0.95, ours["delays"]
    assert ours["false_alarms_per_month"] <= 1, ours["false_alarm_days"]
    assert ours["max_delay_runs"] == 0
    assert set(results) == set(LABELS)
    assert all(r["recall"] < ours["recall"] for name, r in results.items() if name != "ours")


def test_should_simulate_a_quarter_with_the_calendar_events_the_detectors_must_tolerate():
    calendar = BusinessCalendar()
    sim = simulate(calendar)
    assert len(INVENTORY) == 13 and (QUARTER_END - QUARTER_START).days + 1 >= 90
    assert (QUARTER_START - WARMUP_START).days >= 60
    quarter = [d for d in sim.days if QUARTER_START <= d <= QUARTER_END]
    assert any(calendar.day_kind(d).makeup_workday and d.weekday() == 5 for d in quarter)
    assert any(calendar.holiday_name(d) == "春节" for d in quarter)
    assert len({calendar.closing_period(d) for d in quarter} - {None}) == 3
    lines = {p.business_date: p.rows_inserted for p in sim.series["gl_voucher_line"]}
    close_day_one = [d for d in quarter if calendar.close_day_index(d) == 1]
    ordinary = sorted(lines[d] for d in quarter if calendar.is_working_day(d) and not calendar.in_close_window(d))
    assert min(lines[d] for d in close_day_one) > 2.5 * ordinary[len(ordinary) // 2]  # several-fold close spikes
    assert {i.kind for i in INCIDENTS} == {i.kind for i in sim.incidents} and len(sim.incidents) >= 5
