"""The console's API and pages on a real API server: Airflow's auth, figures equal to the ops tables, triage."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import psycopg
import pytest
from psycopg.types.json import Jsonb

from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import AlertingConfig
from smartops.config.catalog import load_scenarios
from smartops.config.inventory import load_inventory
from smartops.console.app import create_app
from smartops.scenarios.impact import affected_scenarios
from tests.support.helpers import query, scalar

AUDIT_COLUMNS = "item_id, action, actor, note, status_before, status_after, business_date"


def audit_rows(warehouse: str, item_id: int) -> list[tuple]:
    return query(warehouse, f"SELECT {AUDIT_COLUMNS} FROM ops.backlog_audit WHERE item_id = %s ORDER BY audit_id",
                 (item_id,))


def _sample_path(path: str, day: date) -> str:
    return path.format(item_id=1, day=day.isoformat(), name="console.css", kind="week", start=day.isoformat(),
                       dag_id="backflow_sync", task_id="some_task", table="ads.some_mart")


def test_should_refuse_every_route_to_anonymous_and_invalid_tokens(console_server, console_data):
    routes = [(method, _sample_path(route.path, console_data.business_date))
              for route in create_app().routes for method in getattr(route, "methods", ())]
    assert len(routes) >= 14, routes
    table_names = load_inventory().names
    for credentials, expected in ((None, 401), ("not-a-jwt", 403)):
        headers = {"Authorization": f"Bearer {credentials}"} if credentials else {}
        with httpx.Client(base_url=f"{console_server.url}/smartops", headers=headers) as client:
            for method, path in routes:
                response = client.request(method, path, json={"action": "ack", "note": "x"})
                assert response.status_code == expected, (method, path, response.status_code, response.text[:200])
                # no table shown as data (a page's own address, echoed in the login link, may contain a name)
                shown = [n for n in table_names if f">{n}<" in response.text or f'"{n}"' in response.text]
                assert not shown, (method, path, response.text)


def test_should_register_the_plugin_through_airflows_loader(console_server):
    with httpx.Client(base_url=console_server.url, headers={
            "Authorization": f"Bearer {console_server.token('admin')}"}) as client:
        plugins = {p["name"]: p for p in client.get("/api/v2/plugins").json()["plugins"]}
    console = plugins["smartops_console"]
    assert [app["url_prefix"] for app in console["fastapi_apps"]] == ["/smartops"]
    nav, task_tab = console["external_views"]
    assert (nav["name"], nav["url_route"], nav["href"], nav["destination"]) == (
        "运营中心", "smartops", "/smartops/", "nav")
    assert (task_tab["href"], task_tab["destination"]) == ("/smartops/tasks/{DAG_ID}/{TASK_ID}", "task_instance")


def test_should_open_a_sync_tasks_table_page_from_its_task_instance_tab(console_server, console_data):
    with console_server.client("viewer") as client:
        tab = client.get("/tasks/backflow_sync/ar_invoice", follow_redirects=False)
        other = client.get("/tasks/quality_scan/scan")
        page = client.get(tab.headers["location"].removeprefix("/smartops"))
    assert (tab.status_code, tab.headers["location"]) == (303, "/smartops/tables/ar_invoice")
    assert page.status_code == 200 and "ar_invoice" in page.text
    assert other.status_code == 404 and "quality_scan.scan has no table page" in other.text


def test_should_show_every_table_and_scenario_with_the_figures_of_the_ops_tables(console_server, console_data):
    warehouse, day = console_data.warehouse, console_data.business_date
    with console_server.client("viewer") as client:
        view = client.get("/api/today").json()
        page = client.get("/").text
    assert view["business_date"] == day.isoformat() and view["timezone"] == "Asia/Shanghai"
    assert datetime.fromisoformat(view["now"]).utcoffset() == timedelta(hours=8)
    inventory, registry = load_inventory(), load_scenarios()
    assert [t["table"] for t in view["tables"]] == inventory.names
    assert [s["scenario"] for s in view["scenarios"]] == [s.id for s in registry.scenarios]

    latest = {r[0]: r[1:] for r in query(warehouse, """
        SELECT DISTINCT ON (table_name) table_name, status, mode, rows_read, run_id
        FROM ops.sync_ledger ORDER BY table_name, finished_at DESC""")}
    watermarks = dict(query(warehouse, "SELECT table_name, watermark FROM ops.table_state"))
    quality = {(t, o): n for t, o, n in query(warehouse, """
        SELECT table_name, outcome, count(*) FROM ops.quality_latest WHERE business_date = %s
        GROUP BY table_name, outcome""", (day,))}
    for row in view["tables"]:
        name = row["table"]
        status, mode, rows_read, run_id = latest[name]
        assert (row["sync"]["status"], row["sync"]["mode"], row["sync"]["rows_read"]) == (status, mode, rows_read)
        assert row["watermark"] == watermarks[name]
        assert {k: row["quality"][k] for k in ("pass", "warn", "fail", "error")} == {
            o: quality.get((f"ods.{name}", o), 0) for o in ("pass", "warn", "fail", "error")}, name
        mismatches = scalar(warehouse, "SELECT count(*) FILTER (WHERE NOT matched) FROM ops.reconciliation "
                                       "WHERE table_name = %s AND run_id = %s", name, run_id)
        assert row["reconciliation"]["verdict"] == ("mismatch" if mismatches else "matched"), name
        if row["quality"]["fail"] or status != "success" or mismatches:
            assert row["state"] == "red", name
        assert re.search(rf'<tr class="{row["state"]}" data-table="{name}"', page), name

    attempts = {r[0]: r[1:] for r in query(warehouse, """
        SELECT DISTINCT ON (scenario) scenario, status, reason FROM ops.scenario_refresh
        ORDER BY scenario, started_at DESC""")}
    for row in view["scenarios"]:
        assert (row["status"], row["reason"]) == attempts[row["scenario"]]
        assert f'data-scenario="{row["scenario"]}"' in page

    headline = view["headline"]
    assert headline["rows_moved"] == scalar(warehouse, "SELECT sum(rows_read) FROM ops.sync_ledger "
                                                      "WHERE business_date = %s AND status <> 'failed'", day)
    assert headline["scenarios_published"] == scalar(warehouse, "SELECT count(DISTINCT scenario) FROM "
                                                                "ops.scenario_refresh WHERE business_date = %s "
                                                                "AND status = 'published'", day)
    assert f'data-figure="rows_moved">{headline["rows_moved"]:,}<' in page
    assert f'data-figure="business_date">{day.isoformat()}<' in page


def test_should_list_backlog_items_with_occurrences_impact_deliveries_and_audit(console_server, console_data):
    warehouse = console_data.warehouse
    with console_server.client("viewer") as client:
        everything = client.get("/api/backlog").json()["items"]
        critical = client.get("/api/backlog", params={"severity": "critical", "status": "open"}).json()["items"]
        refused = client.get("/api/backlog", params={"status": "closed"})
    assert len(everything) == scalar(warehouse, "SELECT count(*) FROM ops.backlog_item")
    assert {i["item_id"] for i in critical} == {r[0] for r in query(
        warehouse, "SELECT item_id FROM ops.backlog_item WHERE severity = 'critical' AND status = 'open'")}
    assert refused.status_code == 422 and "status" in refused.text

    notified = next(i for i in everything if i["notifications"])
    assert notified["occurrences"] == scalar(warehouse, "SELECT occurrences FROM ops.backlog_item WHERE item_id = %s",
                                             notified["item_id"])
    assert [(n["channel"], n["status"], n["attempts"]) for n in notified["notifications"]] == query(warehouse, """
        SELECT DISTINCT ON (channel) channel, status, attempts FROM ops.notification WHERE item_id = %s
        ORDER BY channel, created_at DESC, notification_id DESC""", (notified["item_id"],))
    assert [(a["action"], a["actor"]) for a in notified["audit"]] == query(
        warehouse, "SELECT action, actor FROM ops.backlog_audit WHERE item_id = %s ORDER BY audit_id",
        (notified["item_id"],))
    on_table = next(i for i in everything if i["object_name"] == "ods.gl_voucher_line")
    assert [s["id"] for s in on_table["affected_scenarios"]] == [
        i.scenario.id for i in affected_scenarios("ods.gl_voucher_line")]


def test_should_triage_with_the_users_name_writing_the_rows_the_triage_dag_writes(
        console_server, console_data, new_item, monkeypatch):
    from tests.conftest import airflow_uri
    from tests.support.helpers import parse_dag

    warehouse = console_data.warehouse
    by_console, by_dag = new_item(), new_item()
    with console_server.client("ops") as client:
        response = client.post(f"/api/backlog/{by_console}/triage", json={"action": "ack", "note": "on it"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "acknowledged"
    assert response.json()["audit"][-1]["actor"] == "ops"

    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
    run = parse_dag("backlog_triage").test(run_conf={"item_id": by_dag, "action": "ack", "note": "on it"})
    assert run.get_task_instance("apply_triage").state == "success"
    console_rows, dag_rows = audit_rows(warehouse, by_console), audit_rows(warehouse, by_dag)
    assert console_rows[-1] == (by_console, "acknowledged", "ops", "on it", "open", "acknowledged", None)
    assert [r[1:2] + r[3:] for r in console_rows] == [r[1:2] + r[3:] for r in dag_rows]  # all but id and actor
    assert dag_rows[-1][2] == "dag_test"
    assert query(warehouse, "SELECT status FROM ops.backlog_item WHERE item_id IN (%s, %s)",
                 (by_console, by_dag)) == [("acknowledged",)] * 2


def test_should_mute_until_midnight_asia_shanghai_and_resolve_with_a_note(console_server, console_data, new_item):
    warehouse = console_data.warehouse
    item = new_item()
    until = datetime.now(BUSINESS_TZ).date() + timedelta(days=7)
    with console_server.client("ops") as client:
        muted = client.post(f"/api/backlog/{item}/triage",
                            json={"action": "mute", "note": "known Level-1 issue", "muted_until": until.isoformat()})
        resolved = client.post(f"/api/backlog/{item}/triage", json={"action": "resolve", "note": "fixed at source"})
    assert muted.status_code == resolved.status_code == 200, (muted.text, resolved.text)
    assert datetime.fromisoformat(muted.json()["muted_until"]) == datetime(until.year, until.month, until.day,
                                                                           tzinfo=BUSINESS_TZ)
    assert resolved.json()["status"] == "resolved"
    assert scalar(warehouse, "SELECT resolution_note FROM ops.backlog_item WHERE item_id = %s", item) == \
        "fixed at source"
    assert [r[1:4] for r in audit_rows(warehouse, item)][-2:] == [
        ("muted", "ops", "known Level-1 issue"), ("resolved", "ops", "fixed at source")]


def test_should_refuse_triage_to_a_user_without_the_permission(console_server, console_data, new_item):
    item = new_item()
    before = audit_rows(console_data.warehouse, item)
    with console_server.client("viewer") as client:
        assert client.get(f"/api/backlog/{item}").status_code == 200  # may read
        response = client.post(f"/api/backlog/{item}/triage", json={"action": "ack", "note": "me too"})
        me = client.get("/api/me").json()
    assert response.status_code == 403, response.text
    assert me == {"name": "viewer", "can_triage": False}
    assert audit_rows(console_data.warehouse, item) == before
    with console_server.client("ops") as client:
        assert client.get("/api/me").json() == {"name": "ops", "can_triage": True}


def _csrf(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)


def test_should_require_the_pages_csrf_token_for_cookie_sessions(console_server, console_data, new_item):
    item = new_item()
    url = f"/api/backlog/{item}/triage"
    body = {"action": "ack", "note": "from the page"}
    with httpx.Client(base_url=f"{console_server.url}/smartops",
                      cookies={"_token": console_server.token("ops")}) as ops, \
            httpx.Client(base_url=f"{console_server.url}/smartops",
                         cookies={"_token": console_server.token("admin")}) as admin:
        token = _csrf(ops.get("/backlog").text)
        other_users_token = _csrf(admin.get("/backlog").text)
        assert ops.post(url, json=body).status_code == 403
        assert ops.post(url, json=body, headers={"X-SmartOps-CSRF": other_users_token}).status_code == 403
        assert ops.post(url, json=body, headers={"X-SmartOps-CSRF": token + "x"}).status_code == 403
        form = ops.post(url, data=body, headers={"X-SmartOps-CSRF": token})
        assert form.status_code == 415, form.text
        assert ops.get(url).status_code == 405  # no triage by GET
        assert audit_rows(console_data.warehouse, item)[-1][1] == "opened"
        accepted = ops.post(url, json=body, headers={"X-SmartOps-CSRF": token})
    assert accepted.status_code == 200, accepted.text
    assert audit_rows(console_data.warehouse, item)[-1][1:3] == ("acknowledged", "ops")


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"action": "ack", "note": "  "}, 422, "note"),
    ({"action": "ack", "note": "x" * 501}, 422, "note"),
    ({"action": "mute", "note": "quiet"}, 422, "muted_until"),
    ({"action": "mute", "note": "quiet", "muted_until": "today"}, 422, "not in the past"),
    ({"action": "mute", "note": "quiet", "muted_until": "+91"}, 422, "90 days"),
    ({"action": "ack", "note": "x", "muted_until": "+3"}, 422, "only to action 'mute'"),
    ({"action": "close", "note": "x"}, 422, "action"),
    ({"action": "ack", "note": "x", "actor": "someone else"}, 422, "actor"),
], ids=["blank-note", "long-note", "mute-without-date", "mute-today", "mute-too-long", "date-without-mute",
        "unknown-action", "actor-from-the-client"])
def test_should_validate_triage_input_and_change_nothing(console_server, console_data, new_item, body, status, words):
    item = new_item()
    today = datetime.now(BUSINESS_TZ).date()
    if body.get("muted_until") == "today":
        body = {**body, "muted_until": today.isoformat()}
    elif str(body.get("muted_until", "")).startswith("+"):
        body = {**body, "muted_until": (today + timedelta(days=int(body["muted_until"]))).isoformat()}
    before = audit_rows(console_data.warehouse, item)
    with console_server.client("ops") as client:
        response = client.post(f"/api/backlog/{item}/triage", json=body)
    assert response.status_code == status, response.text
    assert words in response.text
    assert audit_rows(console_data.warehouse, item) == before


def test_should_answer_unknown_and_resolved_items_without_changing_them(console_server, console_data, new_item):
    item = new_item()
    with console_server.client("ops") as client:
        assert client.post(f"/api/backlog/{item}/triage", json={"action": "resolve", "note": "done"}).status_code == 200
        again = client.post(f"/api/backlog/{item}/triage", json={"action": "ack", "note": "late"})
        missing = client.post("/api/backlog/999999/triage", json={"action": "ack", "note": "?"})
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    assert audit_rows(console_data.warehouse, item)[-1][1] == "resolved"


def test_should_render_level1_values_escaped(console_server, console_data, new_item):
    warehouse = console_data.warehouse
    script = "<script>alert('level1')</script>"
    item = new_item(title=f"客户名称 {script}", details=f'name="<img src=x onerror=alert(1)>" {script}')
    with psycopg.connect(warehouse) as conn:
        conn.execute("""
            INSERT INTO ops.quality_result (scan_id, run_id, business_date, source, table_name, check_name, outcome,
                                            severity, blocking, failed_rows_sample, message)
            VALUES (gen_random_uuid(), 'console-test', %s, 'soda', 'ods.customer', 'zz escaped sample', 'fail',
                    'medium', false, %s, %s)""",
                     (console_data.business_date, Jsonb([{"customer_name": script}]), script))
    with console_server.client("viewer") as client:
        backlog = client.get("/backlog")
        table = client.get("/tables/customer")
    for page in (backlog, table):
        assert script not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert f'id="item-{item}"' in backlog.text


def test_should_serve_the_stored_reports_in_both_languages(console_server, console_data):
    warehouse, day = console_data.warehouse, console_data.business_date
    stored = scalar(warehouse, "SELECT html FROM ops.operations_report WHERE report_date = %s AND language = 'zh'", day)
    with console_server.client("viewer") as client:
        listing = client.get("/api/reports").json()
        zh = client.get(f"/reports/{day}/document", params={"lang": "zh"})
        en = client.get(f"/api/reports/{day}", params={"lang": "en"}).json()
        page = client.get(f"/reports/{day}").text
        missing = client.get("/api/reports/2001-01-01")
    assert [(r["report_date"], r["languages"]) for r in listing] == [(day.isoformat(), ["zh"])]
    assert zh.text == stored and "default-src 'none'" in zh.headers["content-security-policy"]
    assert en["rendered_from"] == "zh" and 'lang="en"' in en["html"] and "Rows moved" in en["html"]
    assert en["headline"] == scalar(warehouse, "SELECT figures -> 'headline' FROM ops.operations_report")
    assert f'src="/smartops/reports/{day}/document?lang=zh"' in page
    assert missing.status_code == 404 and day.isoformat() in missing.json()["detail"]


def test_should_show_a_tables_history_charts_and_downstream_scenarios(console_server, console_data):
    warehouse = console_data.warehouse
    with console_server.client("viewer") as client:
        view = client.get("/api/tables/ar_invoice").json()
        page = client.get("/tables/ar_invoice").text
        unknown = client.get("/tables/no_such_table")
    assert [r["run_id"] for r in view["ledger"]] == [r[0] for r in query(
        warehouse, "SELECT run_id FROM ops.sync_ledger WHERE table_name = 'ar_invoice' ORDER BY started_at DESC")]
    assert [Decimal(str(r["source_value"])) for r in view["reconciliation"]] == [r[0] for r in query(
        warehouse, "SELECT source_value FROM ops.reconciliation WHERE table_name = 'ar_invoice' "
                   "ORDER BY checked_at DESC, reconciliation_id DESC")]
    assert {q["check_name"] for q in view["quality"]} == {r[0] for r in query(
        warehouse, "SELECT check_name FROM ops.quality_latest WHERE table_name = 'ods.ar_invoice' "
                   "AND business_date = %s", (console_data.business_date,))}
    assert [d["id"] for d in view["downstream"]] == [i.scenario.id for i in affected_scenarios("ods.ar_invoice")]
    assert view["downstream"] and page.count('<svg class="chart"') == 2
    assert unknown.status_code == 404 and "gl_voucher_line" in unknown.text


def test_should_serve_the_links_chat_and_mail_carry(console_server, console_data, new_item):
    """AlertingConfig.console_url builds the report and item links of messages: both open console pages."""
    config = AlertingConfig(airflow_base_url=console_server.url)
    day, item = console_data.business_date.isoformat(), new_item()
    report, backlog = config.console_url("reports", day, lang="en"), config.console_url("backlog", item=str(item))
    bearer = {"Authorization": f"Bearer {console_server.token('viewer')}"}
    assert httpx.get(report).status_code == 401  # the link itself carries no credential
    page = httpx.get(report, headers=bearer)
    assert page.status_code == 200 and f"/reports/{day}/document?lang=en" in page.text
    one = httpx.get(backlog, headers=bearer)
    assert one.status_code == 200
    assert re.findall(r'<article class="item" id="item-(\d+)"', one.text) == [str(item)]


@pytest.mark.parametrize("path", ["/api/backlog/9223372036854775808", "/api/today?date=9999-12-31",
                                  "/api/today?date=0001-01-01", "/api/reports/0001-01-01", "/?date=9999-12-31"])
def test_should_answer_impossible_ids_and_dates_with_422(console_server, path):
    with console_server.client("viewer") as viewer:
        response = viewer.get(path)
    assert response.status_code == 422, f"{path}: {response.status_code} {response.text[:200]}"


def test_should_build_the_login_link_from_the_deployments_address_not_the_host_header(console_server):
    response = httpx.get(f"{console_server.url}/smartops/", headers={"Host": "evil.example"})
    assert response.status_code == 401
    from urllib.parse import unquote

    assert "evil.example" not in response.text and f"next={console_server.url}/smartops/" in unquote(response.text)


def test_should_show_samples_and_delivery_errors_only_to_users_who_may_triage(console_server, console_data):
    table = "gl_voucher_line"
    with console_server.client("viewer") as viewer, console_server.client("ops") as ops:
        seen = {who: client.get(f"/api/tables/{table}").json()["quality"] for who, client in
                (("viewer", viewer), ("ops", ops))}
        backlog = {who: client.get("/api/backlog").json()["items"]
                   for who, client in (("viewer", viewer), ("ops", ops))}
    assert any(q["failed_rows_sample"] for q in seen["ops"]), "the dirty day's failing checks keep samples"
    assert not any(q["failed_rows_sample"] for q in seen["viewer"])
    errors = {who: {n["error"] for i in items for n in i["notifications"] if n.get("error")}
              for who, items in backlog.items()}
    assert errors["ops"] and errors["viewer"] == {"(shown to users who may triage)"}


def test_should_show_every_entrys_live_health_from_the_syncs_check(console_server, console_data):
    with console_server.client("viewer") as client:
        view = client.get("/api/inventory").json()
        page = client.get("/inventory").text
    statuses = {e["table_name"]: e["status"] for e in view["entries"]}
    assert list(statuses) == load_inventory().names
    # what check_inventory recorded in the cycle: the shipped bank_account cursor has no index at Level-1
    recorded = query(console_data.warehouse, "SELECT DISTINCT ON (table_name) table_name, status "
                                             "FROM ops.inventory_health ORDER BY table_name, checked_at DESC")
    assert statuses == dict(recorded)
    assert statuses["bank_account"] == "amber" and view["counts"]["amber"] >= 1
    assert 'data-table="bank_account" data-status="amber"' in page and "cursor_indexed" in page
    assert "Onboard a table" not in page, "a Viewer may not trigger backflow_sync: no onboarding link"


def test_should_propose_an_entry_only_to_those_who_may_sync(console_server):
    with console_server.client("admin") as admin, console_server.client("viewer") as viewer:
        proposal = admin.get("/api/inventory/onboard", params={"source": "l1.ar_invoice"}).json()
        page = admin.get("/inventory/onboard", params={"source": "l1.ar_invoice"}).text
        refused = viewer.get("/inventory/onboard", params={"source": "l1.ar_invoice"})
        missing = admin.get("/api/inventory/onboard", params={"source": "l1.no_such_table"})
        malformed = admin.get("/api/inventory/onboard", params={"source": "l1.x; DROP TABLE y"})
    assert proposal["source"] == "l1.ar_invoice" and proposal["already"] == ["ar_invoice"]
    assert proposal["yaml"].startswith("- name: ar_invoice") and "primary_key: [invoice_id]" in proposal["yaml"]
    assert "data-section=\"proposal\"" in page and "- name: ar_invoice" in page
    assert refused.status_code == 403
    assert missing.status_code == 404 and "no_such_table" in missing.json()["detail"]
    assert malformed.status_code == 422


def test_should_serve_each_marts_contract_as_docs_contracts_holds_it(console_server):
    from smartops.contracts.files import published_contract

    with console_server.client("viewer") as client:
        contracts = client.get("/api/contracts").json()
        one = client.get(f"/api/contracts/{contracts[0]['table']}").json()
        page = client.get(f"/contracts/{contracts[0]['table']}").text
        unknown = client.get("/api/contracts/ads.nothing")
    assert [c["table"] for c in contracts] == [f"ads.{t}" for s in load_scenarios().scenarios for t in s.tables]
    assert one == published_contract(one["table"]), "the console serves what docs/contracts/ publishes"
    assert f'data-field="version">{one["version"]}' in page and one["rules"][0] in page
    assert unknown.status_code == 404 and contracts[0]["table"] in unknown.json()["detail"]


def test_should_list_what_each_level1_owner_still_owes_with_its_own_clock(console_server, console_data):
    from smartops.alerting import raise_alert
    from smartops.alerting.context import AlertContext
    from tests.alerting.factories import make_alert

    context = AlertContext(console_data.warehouse, AlertingConfig(), load_inventory())
    item = raise_alert(context, make_alert(object="ods.bank_account", check="console-upstream-check",
                                           title="账号格式错误")).item_id
    with console_server.client("viewer") as client:
        view = client.get("/api/upstream").json()
        page = client.get("/upstream").text
        fssc_only = client.get("/api/upstream", params={"owner": "group-fssc"}).json()
        backlog = client.get("/backlog", params={"item": item}).text
    treasury = next(o for o in view["open"] if o["owner"] == "group-treasury")
    assert item in [i["item_id"] for i in treasury["list"]]
    assert next(i for i in treasury["list"] if i["item_id"] == item)["status"] == "awaiting_level1"
    assert set(view["owners"]) == {t.level1_owner for t in load_inventory().tables if t.level1_owner}
    assert 'data-level1-owner="group-treasury"' in page and f'data-item="{item}"' in page
    assert all(o["owner"] == "group-fssc" for o in fssc_only["open"]), "the owner filter narrows to one team"
    assert 'data-field="level1"' in backlog and "group-treasury" in backlog


def test_should_hand_an_item_to_a_level1_owner_from_the_page(console_server, console_data, new_item):
    ours = new_item(object="dwd.expense_claim")
    url = f"/api/backlog/{ours}/triage"
    with console_server.client("ops") as client:
        page = client.get("/backlog", params={"item": ours}).text
        unknown = client.post(url, json={"action": "await_level1", "note": "theirs", "level1_owner": "nobody"})
        handed = client.post(url, json={"action": "await_level1", "note": "their rule", "level1_owner": "group-fssc"})
    assert '<select name="level1_owner"' in page and '<option value="group-treasury">' in page
    assert unknown.status_code == 409 and "known: group-fssc, group-treasury" in unknown.text
    assert handed.status_code == 200, handed.text
    assert (handed.json()["status"], handed.json()["level1_owner"]) == ("awaiting_level1", "group-fssc")
