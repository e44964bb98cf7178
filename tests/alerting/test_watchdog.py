"""The watchdog: each detector over constructed records, the alert loop on a real warehouse, the real reader."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import yaml

from smartops.alerting.context import AlertContext
from smartops.alerting.service import raise_alert
from smartops.alerting.watchdog import (
    DagRecord,
    FindingKind,
    MetadataSnapshot,
    RunRecord,
    TaskRecord,
    failures_without_alert,
    import_error_findings,
    missed_runs,
    run_watchdog,
    stale_tables,
    stuck_runs,
)
from smartops.config.alerting import WatchdogPolicy
from smartops.config.inventory import load_inventory
from tests.alerting.factories import make_alert, make_config
from tests.support.helpers import scalar

# 2026-11-29 10:00 Asia/Shanghai
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
POLICY = WatchdogPolicy(start_grace="1h", start_grace_per_dag={"operations_report": "30m"})
DUE_0100 = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 01:00 Shanghai on NOW's day


def _backflow(next_run_after: datetime, paused: bool = False) -> DagRecord:
    return DagRecord("backflow_sync", paused, "0 1 * * *", True, next_run_after)


def _run(state: str, start_hours_ago: float, minutes: float | None = None, dag_id: str = "backflow_sync") -> RunRecord:
    start = NOW - timedelta(hours=start_hours_ago)
    return RunRecord(dag_id, f"scheduled__{start.isoformat()}", state, start,
                     start + timedelta(minutes=minutes) if minutes is not None else None)


def test_should_detect_a_scheduled_run_the_scheduler_never_created_past_its_grace():
    [finding] = missed_runs([_backflow(DUE_0100)], [], POLICY, NOW)  # 10:00, 01:00's run not created
    assert (finding.kind, finding.object) == (FindingKind.MISSED_RUN, "backflow_sync")
    assert "due at 2026-11-29T01:00:00+08:00 was never created" in finding.details
    assert missed_runs([_backflow(DUE_0100)], [], POLICY, DUE_0100 + timedelta(minutes=30)) == [], "inside the grace"
    served = _backflow(DUE_0100 + timedelta(days=1))  # the scheduler created it and moved on
    assert missed_runs([served], [_run("success", 9, 10)], POLICY, NOW) == []


def test_should_keep_a_missed_run_after_midnight_until_the_run_starts():
    after_midnight = NOW.replace(hour=16, minute=30)  # 00:30 Shanghai the next day
    queued = RunRecord("backflow_sync", "scheduled__x", "queued", None, run_type="scheduled", run_after=DUE_0100)
    dag = _backflow(DUE_0100 + timedelta(days=1))
    [finding] = missed_runs([dag], [queued], POLICY, after_midnight)
    assert "due at 2026-11-29T01:00:00+08:00 is queued, not started" in finding.details, "still that slot"
    started = RunRecord("backflow_sync", "scheduled__x", "running", after_midnight, run_after=DUE_0100)
    assert missed_runs([dag], [started], POLICY, after_midnight) == []


def test_should_take_the_grace_per_dag_and_flag_a_paused_schedule():
    report = DagRecord("operations_report", False, "0 8 * * *", True, NOW - timedelta(minutes=40))
    assert [f.object for f in missed_runs([report], [], POLICY, NOW)] == ["operations_report"], "30m grace"
    paused = _backflow(DUE_0100 + timedelta(days=1), paused=True)
    [finding] = missed_runs([paused], [], POLICY, NOW)
    assert "paused" in finding.details
    manual = DagRecord("backlog_triage", True, None, False)
    assert missed_runs([manual], [], POLICY, NOW) == [], "a manual-only DAG is never due"


def test_should_name_the_inputs_an_asset_triggered_dag_still_waits_for():
    waiting = DagRecord("aggregation", False, "Asset", False, None, NOW - timedelta(hours=2), ("ods.gl_voucher",))
    [finding] = missed_runs([waiting], [], POLICY, NOW)
    assert "inputs still missing: ods.gl_voucher" in finding.details
    recent = DagRecord("aggregation", False, "Asset", False, None, NOW - timedelta(minutes=10), ("ods.gl_voucher",))
    assert missed_runs([recent], [], POLICY, NOW) == []


def test_should_refuse_the_old_hand_kept_schedule_naming_its_replacement():
    with pytest.raises(ValueError, match="expected_runs is gone.*start_grace"):
        WatchdogPolicy.model_validate({"expected_runs": []})


def test_should_detect_a_run_stuck_far_beyond_its_usual_duration():
    history = [_run("success", 24 * d + 9, 10) for d in (1, 2, 3)]  # usually 10 minutes
    policy = WatchdogPolicy(stuck_factor=3.0, stuck_minimum="20m")
    [finding] = stuck_runs([*history, _run("running", 1)], policy, NOW)  # 60 min > max(20m, 3 × 10m)
    assert (finding.kind, finding.dag_id) == (FindingKind.STUCK_RUN, "backflow_sync")
    assert "limit 1800s" in finding.details
    assert stuck_runs([*history, _run("running", 0.4)], policy, NOW) == []  # 24 min < 30 min


def test_should_detect_a_failed_task_that_produced_no_alert_event():
    killed = TaskRecord("backflow_sync", "r1", "gl_voucher", NOW - timedelta(minutes=30))
    alerted = TaskRecord("backflow_sync", "r1", "budget", NOW - timedelta(minutes=30))
    just_now = TaskRecord("backflow_sync", "r1", "account", NOW - timedelta(minutes=1))
    findings = failures_without_alert([killed, alerted, just_now], {("backflow_sync", "r1", "budget", 1)},
                                      timedelta(minutes=10), NOW)
    assert [(f.kind, f.object) for f in findings] == [(FindingKind.FAILED_WITHOUT_ALERT, "backflow_sync.gl_voucher")]


def test_should_not_let_another_alert_of_the_task_hide_a_killed_try(warehouse):
    """A quality task raised its check alerts, then was SIGKILLed: its failure was never alerted."""
    from smartops.alerting.watchdog import SQL
    from smartops.sqlfiles import named_sql

    context = AlertContext(warehouse, make_config(routes={}))
    raise_alert(context, make_alert(dag_id="quality_scan", run_id="r1", task_id="scan"))  # a check's alert
    raise_alert(context, make_alert(check="Boom", dag_id="quality_scan", run_id="r1", task_id="scan", try_number=1))
    with psycopg.connect(warehouse) as conn:
        rows = conn.execute(named_sql(SQL, "alerted_tries"), {"since": datetime(2000, 1, 1, tzinfo=UTC)})
        alerted = {tuple(r) for r in rows}
    killed_try_2 = TaskRecord("quality_scan", "r1", "scan", NOW - timedelta(minutes=30), try_number=2)
    alerted_try_1 = TaskRecord("quality_scan", "r1", "scan", NOW - timedelta(minutes=40), try_number=1)
    findings = failures_without_alert([killed_try_2, alerted_try_1], alerted, timedelta(minutes=10), NOW)
    assert [(f.object, f.facts["try_number"]) for f in findings] == [("quality_scan.scan", 2)]


def test_should_flag_tables_past_their_freshness_sla():
    inventory = load_inventory()
    fresh = {t.name: NOW - timedelta(hours=1) for t in inventory.tables}
    stale = {**fresh, "gl_voucher": NOW - timedelta(hours=7), "budget": None}  # SLA 6h; never loaded
    assert stale_tables(fresh, inventory, NOW) == []
    assert sorted(f.object for f in stale_tables(stale, inventory, NOW)) == ["ods.budget", "ods.gl_voucher"]


def test_should_alert_once_per_finding_and_resolve_what_cleared(warehouse):
    inventory = load_inventory()
    with psycopg.connect(warehouse) as conn:
        for table in inventory.tables:
            conn.execute("INSERT INTO ops.table_state (table_name, cursor_column, last_status, last_success_at)"
                         " VALUES (%s, 'updated_at', 'success', %s)", (table.name, NOW - timedelta(hours=1)))
    config = make_config(routes={}, watchdog={"start_grace": "1h", "failure_grace": "5m"})
    silent = TaskRecord("backflow_sync", "r1", "gl_voucher", NOW - timedelta(minutes=30))
    snapshot = MetadataSnapshot(runs=[_run("success", 25, 10)], failed_tasks=[silent], dags=[_backflow(DUE_0100)])
    context = AlertContext(warehouse, config, load_inventory())
    kinds = sorted(f.kind.value for f in run_watchdog(context, snapshot, now=NOW))
    assert kinds == ["failed_without_alert", "missed_run"]
    # The silent failure now has an alert event and today's run was created and started: nothing is left.
    snapshot.dags[:] = [_backflow(DUE_0100 + timedelta(days=1))]
    snapshot.runs.append(_run("running", 0.1))
    assert run_watchdog(context, snapshot, now=NOW) == []
    assert scalar(warehouse, "SELECT status FROM ops.backlog_item WHERE check_name = 'missed_run'") == "resolved"


def test_should_find_models_and_marts_not_rebuilt_within_build_freshness(warehouse):
    with psycopg.connect(warehouse) as conn:
        for model, hours, status in (("dwd.voucher_line", 30, "success"), ("dws.gl_balance", 2, "success"),
                                     ("dws.gl_balance", 1, "failed")):
            conn.execute("INSERT INTO ops.model_run (run_id, model, business_date, status, started_at, finished_at, "
                         "duration_s) VALUES ('r', %s, '2026-11-28', %s, %s, %s, 1)",
                         (model, status, NOW - timedelta(hours=hours), NOW - timedelta(hours=hours)))
        for scenario, hours, status in (("fund_monitoring", 50, "published"), ("fund_monitoring", 3, "skipped"),
                                        ("expense_analysis", 3, "published")):
            conn.execute("INSERT INTO ops.scenario_refresh (run_id, scenario, business_date, status, inputs_freshness, "
                         "started_at, finished_at, duration_s) VALUES ('r', %s, '2026-11-28', %s, '{}', %s, %s, 1)",
                         (scenario, status, NOW - timedelta(hours=hours), NOW - timedelta(hours=hours)))
    config = make_config(routes={}, watchdog={"build_freshness": "26h"})
    stale = [f for f in run_watchdog(AlertContext(warehouse, config, load_inventory()), MetadataSnapshot(), now=NOW)
             if f.kind is FindingKind.STALE_BUILD]
    assert [f.object for f in stale] == ["ads:fund_monitoring", "dwd.voucher_line"], "skipped refreshes do not count"
    assert scalar(warehouse, "SELECT count(*) FROM ops.backlog_item WHERE check_name = 'stale_build' "
                             "AND category = 'freshness'") == 2


@pytest.fixture(scope="module")
def airflow_api(airflow_db, databases, warehouse_template, tmp_path_factory):
    """A real `airflow api-server` over the tests' metadata DB; the watchdog's endpoint (user admin)."""
    from smartops.alerting.airflow_api import ApiEndpoint
    from tests.support.console import SIMPLE_AUTH_MANAGER, api_server

    folder = tmp_path_factory.mktemp("watchdog-api")
    passwords = folder / "passwords.json"
    # A copy: a session connected to the shared template would make every other worker's clone of it fail.
    warehouse = databases.conninfo(databases.template("watchdog_wh", warehouse_template))
    with api_server(folder, warehouse, {
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
    }) as (url, _log):
        yield ApiEndpoint(url, "admin", json.loads(passwords.read_text())["admin"])


def test_should_read_runs_and_failed_tasks_through_the_rest_api(airflow_api, airflow_connections, warehouse,
                                                                alerting_config_file):
    from smartops.alerting.airflow_api import read_state
    from tests.operators.test_callbacks import _probe_dag

    run = _probe_dag().test(run_conf={"fail": True})
    now = datetime.now(UTC)
    snapshot = read_state(airflow_api, runs_since=now - timedelta(hours=1), tasks_since=now - timedelta(hours=1))
    assert any(r.run_id == run.run_id and r.state == "failed" and r.start_date for r in snapshot.runs)
    assert ("callback_probe", run.run_id, "gl_voucher") in {(t.dag_id, t.run_id, t.task_id)
                                                            for t in snapshot.failed_tasks}


def test_should_find_the_api_and_its_user_through_the_airflow_api_connection(airflow_api, monkeypatch):
    from smartops.alerting.airflow_api import endpoint, read_state

    host = airflow_api.base_url.removeprefix("http://")
    monkeypatch.setenv("AIRFLOW_CONN_AIRFLOW_API", f"http://{airflow_api.username}:{airflow_api.password}@{host}")
    api = endpoint()
    assert api == airflow_api
    assert read_state(api, runs_since=NOW, tasks_since=NOW).runs is not None


def test_should_name_the_missing_connection_and_never_read_a_password_file(monkeypatch, tmp_path):
    from smartops.alerting.airflow_api import AirflowApiUnreachable, endpoint
    from smartops.errors import is_retryable

    monkeypatch.delenv("AIRFLOW_CONN_AIRFLOW_API", raising=False)
    planted = tmp_path / "simple_auth_manager_passwords.json.generated"
    planted.write_text('{"admin": "planted-password"}')
    monkeypatch.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", str(planted))
    with pytest.raises(AirflowApiUnreachable, match="connection 'airflow_api' is not defined") as missing:
        endpoint()
    assert "planted-password" not in str(missing.value) and is_retryable(missing.value)
    monkeypatch.setenv("AIRFLOW_CONN_AIRFLOW_API", '{"conn_type": "http", "host": "http://127.0.0.1:1"}')
    with pytest.raises(AirflowApiUnreachable, match="no login or password"):
        endpoint()


def test_should_fail_retryably_naming_the_api_when_it_is_down_or_refuses_the_user(airflow_api, free_port):
    from smartops.alerting.airflow_api import AirflowApiUnreachable, ApiEndpoint, read_state
    from smartops.errors import is_retryable

    since = datetime.now(UTC)
    with pytest.raises(AirflowApiUnreachable, match=rf"127.0.0.1:{free_port}.*ConnectError") as down:
        read_state(ApiEndpoint(f"http://127.0.0.1:{free_port}", "admin", "x"), runs_since=since, tasks_since=since)
    assert is_retryable(down.value)
    with pytest.raises(AirflowApiUnreachable, match="token refused for user 'admin'"):
        read_state(ApiEndpoint(airflow_api.base_url, "admin", "wrong"), runs_since=since, tasks_since=since)


def test_should_ping_the_fail_url_when_the_watchdog_cannot_run_and_never_raise_for_a_dead_switch(
        webhook_server, free_port, caplog):
    from smartops.alerting.watchdog import ping_heartbeat

    assert ping_heartbeat(f"{webhook_server.url}/ping/c0ffee", failed=True, summary="AirflowApiUnreachable")
    assert [(r.path, r.body) for r in webhook_server.requests] == [
        ("/ping/c0ffee/fail", {"watchdog": "AirflowApiUnreachable"})]
    assert not ping_heartbeat(f"http://127.0.0.1:{free_port}/ping/secret-id", failed=False, summary="0 findings")
    assert "not delivered" in caplog.text and "secret-id" not in caplog.text, "the check id stays out of the log"
    assert not ping_heartbeat(None, failed=False, summary="")


def test_should_report_a_dag_file_that_does_not_import(airflow_api, tmp_path):
    """A broken DAG file, parsed by a real DagBag and recorded as the DAG processor records it."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.errors import ParseImportError
    from airflow.utils.session import create_session

    from smartops.alerting.airflow_api import read_state

    broken = tmp_path / "broken_dag.py"
    broken.write_text("from airflow.sdk import DAG\nwith DAG(dag_id='broken'):\n    undefined_operator()\n")
    errors = DagBag(dag_folder=str(tmp_path)).import_errors
    assert list(errors) == [str(broken)]
    with create_session() as session:
        session.add(ParseImportError(filename=str(broken), bundle_name="dags-folder", stacktrace=errors[str(broken)],
                                     timestamp=NOW))
    try:
        snapshot = read_state(airflow_api, runs_since=NOW, tasks_since=NOW)
        [finding] = [f for f in import_error_findings(snapshot.import_errors) if f.object == str(broken)]
        assert finding.kind is FindingKind.IMPORT_ERROR
        assert "undefined_operator" in finding.details
    finally:
        with create_session() as session:
            session.query(ParseImportError).filter(ParseImportError.filename == str(broken)).delete()


@pytest.mark.slow
def test_should_run_the_watchdog_dag_against_real_airflow_state(dagbag, airflow_api, airflow_connections, warehouse,
                                                                alerting_config_file, webhook_server, monkeypatch):
    host = airflow_api.base_url.removeprefix("http://")
    monkeypatch.setenv("AIRFLOW_CONN_AIRFLOW_API", f"http://{airflow_api.username}:{airflow_api.password}@{host}")
    config = yaml.safe_load(alerting_config_file.read_text())
    heartbeat = {"heartbeat_url": f"{webhook_server.url}/ping/c0ffee"}
    alerting_config_file.write_text(yaml.safe_dump({**config, "watchdog": heartbeat}))
    run = dagbag.get_dag("watchdog").test()
    assert run.get_task_instance("watch").state == "success"
    [ping] = webhook_server.requests
    assert ping.path == "/ping/c0ffee" and ping.body["watchdog"].endswith("findings"), "the dead-man's switch heard it"
    # An empty warehouse: every inventory table is past its freshness SLA (never loaded).
    assert scalar(warehouse, "SELECT count(*) FROM ops.backlog_item WHERE check_name = 'freshness_sla'") == \
        len(load_inventory().tables)
