"""The operations DAGs' tasks: the watchdog, backlog triage and the daily report, as StageOperators."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from smartops.business_date import BUSINESS_TZ, run_time
from smartops.operators.base import StageOperator, StageRun
from smartops.vocabulary import RunType


class WatchdogOperator(StageOperator):
    """Detect what callbacks miss (missed/stuck runs, silent failures, freshness, import errors) and alert."""

    ui_color = "#f6e0e0"
    business_date_param = None

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.airflow_api import endpoint, read_state
        from smartops.alerting.watchdog import RUN_HISTORY, ping_heartbeat, run_watchdog
        from smartops.fields import parse_duration

        context = run.alerts
        policy = context.config.watchdog
        now = datetime.now(UTC)
        try:
            snapshot = read_state(endpoint(), runs_since=now - RUN_HISTORY,
                                  tasks_since=now - parse_duration(policy.lookback))
            findings = run_watchdog(context, snapshot, now=now)
        except Exception as exc:
            ping_heartbeat(policy.heartbeat_url, failed=True, summary=type(exc).__name__)
            raise
        ping_heartbeat(policy.heartbeat_url, failed=False, summary=f"{len(findings)} findings")
        return {"findings": [f"{f.kind.value} {f.object}" for f in findings]}


class BacklogTriageOperator(StageOperator):
    """Apply the triage form (ack / mute / resolve / await_level1 / resume, with a note) to one backlog item,
    audited with the user."""

    ui_color = "#eeeeee"
    business_date_param = None

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.triage import parse_until, triage

        params = run.params
        until = parse_until(params["muted_until"]) if params.get("muted_until") else None
        status = triage(run.alerts, int(params["item_id"]), action=params["action"], note=params["note"],
                        actor=run.dag_run.triggering_user_name or "unknown", muted_until=until,
                        level1_owner=params.get("level1_owner"))
        return {"item_id": int(params["item_id"]), "status": status.value}


class _MorningOperator(StageOperator):
    """A task of the 08:00 operations_report run: it speaks for the form's date (default: by run type)."""

    business_date_param = "report_date"

    def business_date(self, run: StageRun) -> date:
        """The form's date, else: scheduled runs (08:00) the previous, complete day; manual runs today so far."""
        if run.params.get(self.business_date_param):
            return super().business_date(run)
        local = run_time(run.context).astimezone(BUSINESS_TZ).date()
        return local - timedelta(days=1) if run.dag_run.run_type == RunType.SCHEDULED else local


class OperationsReportOperator(_MorningOperator):
    """Build, store, write and deliver the operations report of the form's date (default: by run type)."""

    ui_color = "#e0eef6"

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.notify.language import Language
        from smartops.report.build import generate_report

        result = generate_report(run.warehouse, run.business_date, config=run.alerts.config,
                                 language=Language(run.params["language"]),
                                 run_id=run.run_id, deliver_to_channels=bool(run.params.get("deliver", True)))
        return {"report_date": result.report_date.isoformat(), "html": str(result.html_path),
                "markdown": str(result.markdown_path), "json": str(result.json_path),
                "headline": result.figures["headline"]}


class UpstreamDigestOperator(_MorningOperator):
    """Send each Level-1 team the 一级协同 digest of the open items their data caused (new or due again)."""

    ui_color = "#f3ecd9"

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.alerting.upstream_digest import send_upstream_digests

        if not run.params.get("deliver", True):
            return {"digests": [], "skipped": "deliver is off in the form"}
        digests = send_upstream_digests(run.alerts, business_date=run.business_date, run_id=run.run_id)
        return {"digests": [{"owner": d.owner, "items": d.items, "new": d.new_items, "channels": list(d.channels),
                             "delivered": list(d.delivered)} for d in digests]}


class OperationsReviewOperator(StageOperator):
    """Build, store and deliver the weekly (Mondays) and monthly (the 1st) operations reviews.

    A scheduled run reviews the week and/or month that ended before its day; the form picks a kind and
    any date inside the period to review it again.
    """

    ui_color = "#e0eef6"
    business_date_param = None

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.notify.language import Language
        from smartops.report.review import Period, ReviewKind, generate_review

        local = run_time(run.context).astimezone(BUSINESS_TZ).date()
        if run.params.get("kind"):
            day = date.fromisoformat(run.params["period_date"]) if run.params.get("period_date") else local
            periods = [Period.containing(ReviewKind(run.params["kind"]), day)]
        else:  # scheduled: Mondays review last week, the 1st last month (both when the 1st is a Monday)
            kinds = [k for k, due in ((ReviewKind.WEEK, local.weekday() == 0), (ReviewKind.MONTH, local.day == 1))
                     if due] or [ReviewKind.WEEK]
            periods = [Period.last_complete(kind, local) for kind in kinds]
        for period in periods:
            generate_review(run.warehouse, period, config=run.alerts.config, language=Language(run.params["language"]),
                            run_id=run.run_id, deliver_to_channels=bool(run.params.get("deliver", True)))
        return {"reviewed": [f"{p.kind.value} {p.start}–{p.end}" for p in periods]}
