"""The watchdog: find what callbacks miss, from Airflow's own state and the ops tables.

Detection is plain functions over records (runs, failed tasks, import errors, table
freshness) so it is testable without a scheduler; `airflow_api.read_state` gets the records
from Airflow's REST API (a task may not open the metadata DB in Airflow 3), and `run_watchdog`
raises one alert per finding and resolves findings that cleared. A finding carries facts; its
words (title, details, hint, in the deployment's language) come from smartops.notify.words.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

from smartops.alerting.context import AlertContext
from smartops.alerting.links import run_links
from smartops.alerting.models import Alert, Category
from smartops.alerting.service import deliver_pending, raise_alert, resolve
from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import WatchdogPolicy
from smartops.config.inventory import Inventory
from smartops.fields import parse_duration
from smartops.notify import words
from smartops.notify.language import Language
from smartops.sqlfiles import named_sql
from smartops.vocabulary import RunType, Severity

log = logging.getLogger(__name__)

SQL = "alerting/watchdog.sql"
STAGE = "watchdog"
THROUGHPUT_DROP = 0.5          # latest rows/s below half the trailing mean …
THROUGHPUT_MIN_ROWS = 1000     # … on loads big enough for rows/s to mean something
THROUGHPUT_MIN_HISTORY = 3
RUN_HISTORY = timedelta(days=14)  # successful runs whose median duration defines "usual"


class FindingKind(StrEnum):
    MISSED_RUN = "missed_run"
    STUCK_RUN = "stuck_run"
    FAILED_WITHOUT_ALERT = "failed_without_alert"
    FRESHNESS_SLA = "freshness_sla"
    IMPORT_ERROR = "import_error"
    THROUGHPUT_DROP = "throughput_drop"
    STALE_BUILD = "stale_build"


_CATEGORY = {
    FindingKind.MISSED_RUN: Category.PLATFORM, FindingKind.STUCK_RUN: Category.PLATFORM,
    FindingKind.FAILED_WITHOUT_ALERT: Category.PLATFORM, FindingKind.IMPORT_ERROR: Category.PLATFORM,
    FindingKind.FRESHNESS_SLA: Category.FRESHNESS, FindingKind.THROUGHPUT_DROP: Category.SYNC,
    FindingKind.STALE_BUILD: Category.FRESHNESS,
}


@dataclass(frozen=True)
class RunRecord:
    dag_id: str
    run_id: str
    state: str
    start_date: datetime | None
    end_date: datetime | None = None
    run_type: RunType = RunType.SCHEDULED
    run_after: datetime | None = None  # when the timetable made it due


@dataclass(frozen=True)
class DagRecord:
    """A DAG's schedule as the scheduler holds it (from its own timetable)."""

    dag_id: str
    paused: bool
    schedule: str | None  # the timetable's summary: a cron, "Asset", or None for manual-only DAGs
    periodic: bool  # a time-based timetable
    next_run_after: datetime | None = None  # the next run the scheduler will create
    waiting_since: datetime | None = None  # asset-triggered: the oldest upstream event not yet run on
    waiting_for: tuple[str, ...] = ()  # asset-triggered: the inputs that have not arrived since


@dataclass(frozen=True)
class TaskRecord:
    dag_id: str
    run_id: str
    task_id: str
    end_date: datetime
    try_number: int = 1


@dataclass(frozen=True)
class ImportErrorRecord:
    filename: str
    stacktrace: str


@dataclass(frozen=True)
class Finding:
    """One problem the watchdog found: what, about which object, and the facts its words are filled from."""

    kind: FindingKind
    object: str
    facts: Mapping[str, Any]
    severity: Severity = Severity.HIGH
    dag_id: str | None = None
    run_id: str | None = None
    task_id: str | None = None

    def text(self, language: Language) -> words.Text:
        return words.finding_text(self.kind.value, self.facts, language)

    @property
    def title(self) -> str:  # English, for logs
        return self.text(Language.EN).title

    @property
    def details(self) -> str:
        return self.text(Language.EN).details


@dataclass
class MetadataSnapshot:
    runs: list[RunRecord] = field(default_factory=list)
    dags: list[DagRecord] = field(default_factory=list)
    failed_tasks: list[TaskRecord] = field(default_factory=list)
    import_errors: list[ImportErrorRecord] = field(default_factory=list)


def missed_runs(dags: Iterable[DagRecord], runs: Iterable[RunRecord], policy: WatchdogPolicy,
                now: datetime) -> list[Finding]:
    """Flag DAGs whose own timetable says a run is overdue by more than its start grace.

    A scheduled DAG is overdue when the scheduler has not created the run due at `next_run_after`, or
    created it and it has not started; an asset-triggered one when upstream events have waited (for
    the inputs still missing) past the grace; any scheduled DAG when it is paused. The finding stays
    open, past midnight too, until that run starts.
    """
    runs = list(runs)
    findings = []
    for dag in dags:
        if dag.schedule in (None, "None"):
            continue
        grace = policy.start_grace_for(dag.dag_id)
        reason = _overdue(dag, [r for r in runs if r.dag_id == dag.dag_id], grace, now)
        if reason:
            findings.append(Finding(FindingKind.MISSED_RUN, dag.dag_id, {
                "dag_id": dag.dag_id, "schedule": dag.schedule, "reason": reason, "grace": grace,
                "now": now.astimezone(BUSINESS_TZ).isoformat()}, dag_id=dag.dag_id))
    return findings


def _overdue(dag: DagRecord, runs: list[RunRecord], grace: timedelta, now: datetime) -> dict[str, Any] | None:
    """Why `dag` is overdue (a reason kind of smartops.notify.words and its facts), or None."""
    if dag.paused:
        return {"kind": "paused", "dag_id": dag.dag_id}
    if not dag.periodic:
        if dag.waiting_since and dag.waiting_since + grace < now:
            return {"kind": "waiting", "since": dag.waiting_since.astimezone(BUSINESS_TZ).isoformat(),
                    "missing": ", ".join(dag.waiting_for) or "-"}
        return None
    if dag.next_run_after and dag.next_run_after + grace < now:
        return {"kind": "never_created", "due": dag.next_run_after.astimezone(BUSINESS_TZ).isoformat()}
    for run in runs:
        due = run.run_type == RunType.SCHEDULED and run.start_date is None and run.run_after
        if due and run.run_after + grace < now:
            return {"kind": "not_started", "due": run.run_after.astimezone(BUSINESS_TZ).isoformat(), "state": run.state}
    return None


def stuck_runs(runs: Iterable[RunRecord], policy: WatchdogPolicy, now: datetime) -> list[Finding]:
    """Flag running runs older than max(stuck_minimum, stuck_factor × median successful duration)."""
    runs = list(runs)
    minimum = parse_duration(policy.stuck_minimum)
    findings = []
    for run in runs:
        if run.state != "running" or run.start_date is None:
            continue
        durations = [(r.end_date - r.start_date).total_seconds() for r in runs
                     if r.dag_id == run.dag_id and r.state == "success" and r.start_date and r.end_date]
        usual = statistics.median(durations) if durations else None
        limit = max(minimum, timedelta(seconds=policy.stuck_factor * usual)) if usual else minimum
        elapsed = now - run.start_date
        if elapsed > limit:
            findings.append(Finding(FindingKind.STUCK_RUN, run.dag_id, {
                "dag_id": run.dag_id, "run_id": run.run_id, "minutes": f"{elapsed.total_seconds() / 60:.0f}",
                "started": run.start_date.isoformat(), "elapsed": f"{elapsed.total_seconds():.0f}",
                "limit": f"{limit.total_seconds():.0f}",
                "usual": f"usual {usual:.0f}s" if usual else "no successful run to compare"},
                dag_id=run.dag_id, run_id=run.run_id))
    return findings


def failures_without_alert(
    tasks: Iterable[TaskRecord], alerted: set[tuple[str, str, str, int]], grace: timedelta, now: datetime
) -> list[Finding]:
    """Flag failed tries whose failure alert was not recorded within `grace` (killed, or the callback failed).

    `alerted` holds (dag, run, task, try) of the failure alerts the callbacks recorded: another alert of
    the same task (a quality check's, say) does not stand for the failure of that try.
    """
    return [
        Finding(FindingKind.FAILED_WITHOUT_ALERT, f"{t.dag_id}.{t.task_id}", {
            "dag_id": t.dag_id, "task_id": t.task_id, "run_id": t.run_id, "try_number": t.try_number,
            "ended": t.end_date.isoformat()}, dag_id=t.dag_id, run_id=t.run_id, task_id=t.task_id)
        for t in tasks
        if (t.dag_id, t.run_id, t.task_id, t.try_number) not in alerted and now - t.end_date >= grace
    ]


def stale_tables(last_success: dict[str, datetime | None], inventory: Inventory, now: datetime) -> list[Finding]:
    """Flag inventory tables whose last successful sync is older than their freshness_sla."""
    findings = []
    for table in inventory.tables:
        loaded = last_success.get(table.name)
        if loaded is not None and now - loaded <= table.freshness_sla_delta:
            continue
        age = "never loaded" if loaded is None else f"last loaded {loaded.isoformat()}"
        findings.append(Finding(FindingKind.FRESHNESS_SLA, table.target, {
            "table": table.target, "sla": table.freshness_sla, "age": age}, severity=table.severity))
    return findings


def stale_builds(last_built: dict[str, datetime | None], limit: timedelta, now: datetime) -> list[Finding]:
    """Flag dwd/dws models and ads marts last built (published) longer than `limit` ago.

    Never-built ones are left to the stage's own failure alerts: a new install is not stale.
    """
    return [
        Finding(FindingKind.STALE_BUILD, name, {"table": name, "age": str(now - built), "built": built.isoformat(),
                                                "limit": str(limit)}, severity=Severity.MEDIUM)
        for name, built in sorted(last_built.items()) if built is not None and now - built > limit
    ]


def import_error_findings(errors: Iterable[ImportErrorRecord]) -> list[Finding]:
    """One finding per DAG file that fails to import."""
    return [Finding(FindingKind.IMPORT_ERROR, e.filename, {"filename": e.filename, "stacktrace": e.stacktrace[-1500:]})
            for e in errors]


def throughput_findings(rows: Iterable[tuple[str, float, float, int]]) -> list[Finding]:
    """Flag tables whose latest sync ran well below their trailing rows/s (an optimization hint)."""
    return [
        Finding(FindingKind.THROUGHPUT_DROP, f"ods.{table}", {"table": f"ods.{table}", "latest": latest,
                                                              "trailing": trailing, "runs": runs},
                severity=Severity.LOW)
        for table, latest, trailing, runs in rows
        if runs >= THROUGHPUT_MIN_HISTORY and trailing and latest < THROUGHPUT_DROP * trailing
    ]


def detect(warehouse: str, snapshot: MetadataSnapshot, policy: WatchdogPolicy, now: datetime,
           inventory: Inventory | None = None) -> list[Finding]:
    """Run every detector over the snapshot and the ops tables (no freshness check without an inventory)."""
    since = now - parse_duration(policy.lookback)
    with psycopg.connect(warehouse) as conn:
        alerted = {tuple(r) for r in conn.execute(named_sql(SQL, "alerted_tries"), {"since": since})}
        last_success = dict(conn.execute(named_sql(SQL, "table_freshness")).fetchall())
        throughput = conn.execute(named_sql(SQL, "throughput"), {"min_rows": THROUGHPUT_MIN_ROWS}).fetchall()
        last_built = dict(conn.execute(named_sql(SQL, "build_freshness")).fetchall())
    return [
        *missed_runs(snapshot.dags, snapshot.runs, policy, now),
        *stuck_runs(snapshot.runs, policy, now),
        *failures_without_alert(snapshot.failed_tasks, alerted, parse_duration(policy.failure_grace), now),
        *(stale_tables(last_success, inventory, now) if inventory else []),
        *import_error_findings(snapshot.import_errors),
        *throughput_findings(throughput),
        *stale_builds(last_built, parse_duration(policy.build_freshness), now),
    ]


def run_watchdog(context: AlertContext, snapshot: MetadataSnapshot, *, now: datetime | None = None) -> list[Finding]:
    """Alert on every finding (suppression applies) and resolve watchdog items that cleared."""
    config = context.config
    now = now or datetime.now(UTC)
    findings = detect(context.warehouse, snapshot, config.watchdog, now, context.inventory)
    for f in findings:
        run_url, task_url = (run_links(config.base_url, f.dag_id, f.run_id, f.task_id) if f.run_id
                             else (None, None))
        text = f.text(config.language)
        raise_alert(context, Alert(
            stage=STAGE, object=f.object, check=f.kind.value, category=_CATEGORY[f.kind], severity=f.severity,
            title=text.title, details=text.details, hint=text.hint, dag_id=f.dag_id, run_id=f.run_id,
            task_id=f.task_id, try_number=f.facts.get("try_number"), run_url=run_url, task_url=task_url,
        ), deliver=False)
    current = {(f.object, f.kind.value) for f in findings}
    with psycopg.connect(context.warehouse) as conn:
        open_items = conn.execute(named_sql(SQL, "open_watchdog_items")).fetchall()
    # A silent failure is a one-off event: it stays open until someone triages it.
    cleared = [(obj, check) for obj, check in open_items
               if (obj, check) not in current and check != FindingKind.FAILED_WITHOUT_ALERT]
    resolve(context, stage=STAGE, targets=cleared, note="watchdog: cleared")
    deliver_pending(context)  # the findings' notifications, and what earlier runs could not deliver
    log.info("watchdog: %d findings (%s)", len(findings), ", ".join(sorted({f.kind.value for f in findings})) or "none")
    return findings


def ping_heartbeat(url: str | None, *, failed: bool, summary: str) -> bool:
    """Tell the dead-man's switch that the watchdog ran (`<url>/fail` when it failed); return whether it answered.

    A missed ping is logged, never raised: the switch's own alarm is the signal that something is wrong.
    """
    if not url:
        return False
    target = url.rstrip("/") + ("/fail" if failed else "")
    try:
        httpx.post(target, json={"watchdog": summary}, timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        # The URL usually embeds the check's secret id: name only its host.
        log.warning("watchdog: heartbeat to %s not delivered: %s", urlsplit(url).netloc, type(exc).__name__)
        return False
    return True
