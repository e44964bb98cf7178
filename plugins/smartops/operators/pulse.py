"""PulseOperator: judge one business date's data by the calendar (volume, freshness, closed periods, drift)."""

from __future__ import annotations

from typing import Any

from smartops.assets import PULSE_ASSET
from smartops.operators.base import StageOperator, StageRun


class PulseOperator(StageOperator):
    """Judge the business date (the form's, else the day before the run) and raise what it finds.

    Findings are backlog items (categories volume, freshness, integrity, drift) naming the table and
    the date; the verdicts are kept in ops.pulse_verdict for the report and the console. Re-running
    for a date replaces its verdicts and counts the items again (suppression applies).
    """

    ui_color = "#f3e6d8"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("outlets", [PULSE_ASSET])
        super().__init__(**kwargs)

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.pulse import alert_pulse
        from smartops.calendar import default_calendar
        from smartops.config.calendar import load_calendar_config
        from smartops.config.catalog import catalog
        from smartops.pulse.judge import judge_day

        report = judge_day(run.warehouse, run.business_date, run_id=run.run_id, inventory=catalog().inventory,
                           calendar=default_calendar(), periods=load_calendar_config().periods)
        alert_pulse(run.alerts, report, run_id=run.run_id, dag_id=run.dag_id)
        return report.summary()
