"""The demo's days, judged by the product: its staged incidents show in the reports (issue: the data's pulse).

Seeded at scale 1 (make demo's size), the history synced, then the days after it simulated as `make demo`
stages them (incident_schedule: a posting into the last closed period on day two, a half day, then a
silent day), each synced, judged by the data pulse and reported. The reports must show what happened: a
closed-period change on day two, the half day's volume against its band, zero rows on the silent day —
and on the ordinary day one none of it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smartops.calendar import default_calendar
from smartops.config.alerting import AlertingConfig
from smartops.config.calendar import load_calendar_config
from smartops.config.catalog import catalog
from smartops.pulse.judge import judge_day
from smartops.report.build import generate_report
from tests.conftest import Databases
from tests.support.helpers import sync_all
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day
from workbench.demo.vocab import Incident
from workbench.demo_cycle import incident_schedule

HISTORY_END = date(2026, 11, 20)  # a Friday: the days after it run into November's close


def _working_days_after(day: date, count: int) -> list[date]:
    days = []
    while len(days) < count:
        day += timedelta(days=1)
        if default_calendar().is_working_day(day):
            days.append(day)
    return days


@pytest.mark.slow
def test_should_show_the_staged_closed_period_change_and_half_day_in_the_demo_weeks_reports(
        databases: Databases, make_database, warehouse, tmp_path):
    level1 = databases.conninfo(databases.create("demo_week_l1"))
    seed_level1(level1, scale=1.0, end=HISTORY_END)
    sync_all(level1, warehouse, run_id="scheduled__history", business_date=HISTORY_END)
    days = _working_days_after(HISTORY_END, 4)
    incidents = incident_schedule(days)
    config = AlertingConfig.model_validate({"report": {"folder": str(tmp_path / "reports")}})
    findings, volumes = {}, {}
    for day in days:
        simulate_day(level1, day=day, incident=incidents.get(day))
        sync_all(level1, warehouse, run_id=f"scheduled__{day}", business_date=day)
        judge_day(warehouse, day, run_id=f"pulse__{day}", inventory=catalog().inventory,
                  calendar=default_calendar(), periods=load_calendar_config().periods)
        report = generate_report(warehouse, day, config=config, deliver_to_channels=False)
        findings[day] = {(f["table_name"], f["finding"]) for f in report.figures["pulse"]["findings"]}
        volumes[day] = {v["table_name"]: v for v in report.figures["pulse"]["volume"]
                        if v["subject"] == "rows_inserted"}

    ordinary, posting, half, silent = days
    assert [incidents.get(day) for day in days] == [None, Incident.CLOSED_PERIOD_POSTING, Incident.HALF_DAY,
                                                    Incident.EMPTY_DAY]
    assert ("gl_voucher", "closed_period_change") in findings[posting], findings[posting]
    silent_tables = {t for t, k in findings[silent] if k in ("zero_rows", "stale")}  # no new rows: either names it
    assert {"gl_voucher", "expense_claim"} <= silent_tables, findings[silent]
    # the half day: shown against its band in the report (a finding only where the drop exceeds the noise)
    voucher = volumes[half]["gl_voucher"]
    assert voucher["observed"] <= 0.6 * voucher["expected"], voucher
    assert not {k for _, k in findings[ordinary] if k in ("closed_period_change", "low_volume", "zero_rows")}, (
        findings[ordinary])
