"""The continuous-optimization loop on demo data: a dirty row opens an item, it recurs, the fix resolves it;
then acknowledge / mute / resolve through the triage DAG's form and the CLI, every change audited."""

from __future__ import annotations

import io
from datetime import date, timedelta

import psycopg
import pytest

from smartops.alerting import Decision, raise_alert
from smartops.alerting.backlog import audit_trail
from smartops.alerting.checks import alert_check_results
from smartops.alerting.cli import main as backlog_cli
from smartops.alerting.context import AlertContext
from smartops.alerting.triage import TriageError, parse_until, triage
from smartops.config.inventory import load_inventory
from smartops.quality.checkfiles import discover, select
from smartops.quality.runner import run_quality_scan
from tests.alerting.factories import make_alert, make_config, webhook_connection
from tests.support.helpers import scalar, sync_all

CHECK = "amount not negative"
FINGERPRINT = f"quality_scan:ods.expense_claim:{CHECK}"
DIRTY_SHARE = 0.03  # of the claims: above the check's fail threshold (1 %), whether counted or in percent


def _scan_and_alert(warehouse: str, run_id: str, config) -> None:
    """One quality_scan of ods.expense_claim whose results go through the alert path."""
    files = select(discover(), layer="ods", table="ods.expense_claim")
    report = run_quality_scan(warehouse, files, run_id=run_id, business_date=date(2026, 11, 29))
    alert_check_results(AlertContext(warehouse, config, load_inventory()), report.results, stage="quality_scan",
                        run_id=run_id)


def _set_amount_sign(level1: str, claim_ids: list[int], sign: int) -> None:
    with psycopg.connect(level1) as conn:
        conn.execute("UPDATE l1.expense_claim SET amount = %s * abs(amount), updated_at = now()"
                     " WHERE claim_id = ANY(%s)", (sign, claim_ids))


@pytest.mark.slow
def test_should_open_count_and_auto_resolve_an_item_from_a_dirty_row(
        demo_warehouse, demo_level1, webhook_server, monkeypatch):
    level1 = demo_level1
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = make_config()
    warehouse = demo_warehouse
    with psycopg.connect(level1) as conn:
        claims = [r[0] for r in conn.execute(
            "SELECT claim_id FROM l1.expense_claim ORDER BY claim_id"
            " LIMIT ceil(%s * (SELECT count(*) FROM l1.expense_claim))", (DIRTY_SHARE,))]
    _set_amount_sign(level1, claims, -1)
    sync_all(level1, warehouse, "scheduled__demo-2")
    _scan_and_alert(warehouse, "scheduled__demo-2", config)
    item = scalar(warehouse, "SELECT row(status, occurrences, owner, category)::text FROM ops.backlog_item"
                             " WHERE fingerprint = %s", FINGERPRINT)
    assert item == "(awaiting_level1,1,finance-data,quality)"  # a dirty row Level-1 sent: its clock
    assert len(webhook_server.requests) == 1  # only the failing check notified; passing ones opened nothing
    assert scalar(warehouse, "SELECT count(*) FROM ops.backlog_item") == 1

    _scan_and_alert(warehouse, "scheduled__demo-3", config)  # still failing
    assert scalar(warehouse, "SELECT occurrences FROM ops.backlog_item WHERE fingerprint = %s", FINGERPRINT) == 2
    assert len(webhook_server.requests) == 1  # suppressed inside the interval

    _set_amount_sign(level1, claims, 1)  # fixed at Level-1
    sync_all(level1, warehouse, "scheduled__demo-4")
    _scan_and_alert(warehouse, "scheduled__demo-4", config)
    status, resolution, seconds = psycopg.connect(warehouse).execute(
        "SELECT status, resolution, resolve_seconds FROM ops.backlog_item WHERE fingerprint = %s",
        (FINGERPRINT,)).fetchone()
    assert (status, resolution) == ("resolved", "auto")
    assert seconds > 0
    item_id = scalar(warehouse, "SELECT item_id FROM ops.backlog_item WHERE fingerprint = %s", FINGERPRINT)
    assert [(a["action"], a["actor"]) for a in audit_trail(warehouse, item_id)] == [
        ("opened", "smartops"), ("auto_resolved", "smartops")]
    assert audit_trail(warehouse, item_id)[-1]["resolve_seconds"] == pytest.approx(seconds)


@pytest.mark.slow
def test_should_acknowledge_mute_and_resolve_through_the_triage_dag(
        dagbag, airflow_connections, warehouse, alerting_config_file):
    item_id = raise_alert(AlertContext(warehouse, make_config(routes={})), make_alert()).item_id
    dag = dagbag.get_dag("backlog_triage")
    mute_until = (date.today() + timedelta(days=7)).isoformat()
    for action, extra in [("ack", {}), ("mute", {"muted_until": mute_until}), ("resolve", {})]:
        run = dag.test(run_conf={"item_id": item_id, "action": action, "note": f"{action} by test", **extra})
        assert run.get_task_instance("apply_triage").state == "success", action
    trail = audit_trail(warehouse, item_id)
    assert [(a["action"], a["status_after"], a["note"]) for a in trail] == [
        ("opened", "open", "负数金额 2 行"), ("acknowledged", "acknowledged", "ack by test"),
        ("muted", "muted", "mute by test"), ("resolved", "resolved", "resolve by test")]
    assert {a["actor"] for a in trail[1:]} == {"dag_test"}  # the triggering user
    assert scalar(warehouse, "SELECT resolution FROM ops.backlog_item WHERE item_id = %s", item_id) == "manual"
    # A refused change fails the run without changing anything.
    refused = dag.test(run_conf={"item_id": item_id, "action": "ack", "note": "again"})
    assert refused.get_task_instance("apply_triage").state == "failed"
    assert len(audit_trail(warehouse, item_id)) == 4


def test_should_keep_counting_but_not_notify_a_muted_or_acknowledged_item(warehouse, webhook_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    context = AlertContext(warehouse, make_config(suppression_interval="0s"))
    item_id = raise_alert(context, make_alert()).item_id
    triage(context, item_id, action="ack", actor="alice", note="looking")
    assert raise_alert(context, make_alert()).decision is Decision.ACKNOWLEDGED
    mute_until = parse_until((date.today() + timedelta(days=60)).isoformat())  # mutes end within 90 days
    triage(context, item_id, action="mute", actor="alice", note="known", muted_until=mute_until)
    outcome = raise_alert(context, make_alert())
    assert (outcome.decision, outcome.occurrences) == (Decision.MUTED, 3)
    assert len(webhook_server.requests) == 1
    with pytest.raises(TriageError, match="not in the future"):
        triage(context, item_id, action="mute", actor="alice", note="x", muted_until=parse_until("2001-01-01"))


def test_should_list_and_change_items_from_the_cli(warehouse):
    item_id = raise_alert(AlertContext(warehouse, make_config(routes={})), make_alert()).item_id
    out = io.StringIO()
    assert backlog_cli(["--warehouse", warehouse, "ack", str(item_id), "--note", "cli", "--actor", "bob"], out) == 0
    assert backlog_cli(["--warehouse", warehouse, "list", "--status", "acknowledged"], out) == 0
    assert f"item {item_id}: acknowledged" in out.getvalue()
    assert "quality_scan:ods.expense_claim:amount_not_negative" in out.getvalue() and "1 items" in out.getvalue()
    assert audit_trail(warehouse, item_id)[-1]["actor"] == "bob"
    assert backlog_cli(["--warehouse", warehouse, "resolve", "999", "--note", "x"], out) == 2


def test_should_hold_the_triage_bounds_on_every_path_and_expire_a_critical_acknowledgement(warehouse, airflow_db):
    from smartops.vocabulary import Severity
    from tests.support.helpers import parse_dag

    context = AlertContext(warehouse, make_config(routes={}, escalation={
        "after_occurrences": 5, "channels": [], "acknowledgement_expires": "1h"}))
    item = raise_alert(context, make_alert(severity=Severity.CRITICAL)).item_id
    for change, refusal in [
        ({"action": "mute", "note": "for ever", "muted_until": parse_until("9999-12-31")}, "more than 90 days ahead"),
        ({"action": "ack", "note": "x" * 501}, "501 characters; at most 500"),
        ({"action": "ack", "note": "ok\n2026-12-07 INFO resolved by admin"}, "control characters"),
        ({"action": "ack", "note": "   "}, "give a note"),
    ]:
        with pytest.raises(TriageError, match=refusal):
            triage(context, item, actor="eve", **change)
    out = io.StringIO()
    assert backlog_cli(["--warehouse", warehouse, "mute", str(item), "--until", "9999-12-31", "--note", "x"], out) == 2
    assert [a["action"] for a in audit_trail(warehouse, item)] == ["opened"], "every refusal changed nothing"
    assert parse_dag("backlog_triage").params.get_param("note").schema["maxLength"] == 500  # the form says so too

    triage(context, item, action="ack", actor="alice", note="on it")
    assert raise_alert(context, make_alert(severity=Severity.CRITICAL)).decision is Decision.ACKNOWLEDGED
    with psycopg.connect(warehouse) as conn:  # an hour later
        conn.execute("UPDATE ops.backlog_item SET muted_until = now() - interval '1 second' WHERE item_id = %s",
                     (item,))
    assert raise_alert(context, make_alert(severity=Severity.CRITICAL)).item_status.value == "open", \
        "a critical item cannot be acknowledged and forgotten"
    assert audit_trail(warehouse, item)[-1]["note"] == "acknowledgement expired"
