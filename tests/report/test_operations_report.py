"""The daily operations report on demo data: figures equal the ops tables, charts, languages, re-runs, delivery."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from smartops.alerting import raise_alert, resolve
from smartops.alerting.context import AlertContext
from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import load_inventory
from smartops.notify.language import Language
from smartops.report.build import generate_report
from tests.alerting.factories import make_alert, smtp_connection, webhook_connection
from tests.support.helpers import parse_dag, scalar


def figure(html: str, name: str) -> str:
    """The text of the element marked data-figure=<name>."""
    match = re.search(rf'data-figure="{re.escape(name)}"[^>]*>([^<]*)<', html)
    assert match, f"no data-figure={name!r} in the report"
    return match.group(1).strip()


@pytest.fixture
def today() -> object:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
def report_config(tmp_path) -> AlertingConfig:
    return AlertingConfig.model_validate({"report": {"folder": str(tmp_path / "reports")}})


@pytest.fixture
def backlog(demo_warehouse) -> str:
    """Two items raised today (critical + high), one of them resolved again."""
    config = AlertingConfig()
    context = AlertContext(demo_warehouse, config)
    raise_alert(context, make_alert(severity="critical", object="ods.gl_voucher", check="balanced"))
    raise_alert(context, make_alert())
    resolve(context, stage="quality_scan", targets=[("ods.gl_voucher", "balanced")])
    return demo_warehouse


def test_should_report_the_figures_of_the_ops_tables(backlog, today, report_config):
    warehouse = backlog
    result = generate_report(warehouse, today, config=report_config, deliver_to_channels=False)
    html = result.html_path.read_text(encoding="utf-8")
    rows_moved = scalar(warehouse, "SELECT sum(rows_read) FROM ops.sync_ledger WHERE status <> 'failed'")
    recon = scalar(warehouse, "SELECT count(*) FROM ops.reconciliation")
    assert figure(html, "rows_moved") == f"{rows_moved:,}"
    tables = str(len(load_inventory().tables))
    assert (figure(html, "tables_on_time"), figure(html, "tables_total")) == (tables, tables)
    assert (figure(html, "reconciliation_matched"), figure(html, "reconciliation_mismatches")) == (str(recon), "0")
    lines = scalar(warehouse, "SELECT rows_read FROM ops.sync_ledger WHERE table_name = 'gl_voucher_line'")
    assert figure(html, "rows_moved_gl_voucher_line") == f"{lines:,}"
    open_items = (figure(html, "open_items_total"), figure(html, "open_items_high"),
                  figure(html, "open_items_critical"))
    assert open_items == ("1", "1", "0")
    assert (figure(html, "backlog_new"), figure(html, "backlog_resolved")) == ("2", "1")
    assert html.count('<svg class="chart"') == 4
    assert (figure(html, "scenarios_published"), figure(html, "scenarios_skipped")) == ("0", "0")
    assert "¥" in html  # reconciliation sums formatted as CNY
    assert json.loads(result.json_path.read_text())["headline"]["rows_moved"] == rows_moved
    assert len(result.markdown.splitlines()) <= 8
    assert f"http://localhost:8080/smartops/reports/{today}?lang=zh" in result.markdown  # the console's page


def test_should_render_english_on_request(backlog, today, report_config):
    result = generate_report(backlog, today, language=Language.EN, config=report_config, deliver_to_channels=False)
    html = result.html_path.read_text(encoding="utf-8")
    assert 'lang="en"' in html and "Rows moved" in html and "Mean time to resolve" in html
    assert figure(html, "open_items_total") == "1"
    assert result.markdown.startswith("**Level-2 Smart Operations Center")


def test_should_replace_the_report_when_re_run_for_the_same_date(backlog, today, report_config):
    first = generate_report(backlog, today, config=report_config, deliver_to_channels=False)
    raise_alert(AlertContext(backlog, AlertingConfig()), make_alert(check="another"))
    second = generate_report(backlog, today, config=report_config, deliver_to_channels=False)
    assert second.html_path == first.html_path
    assert scalar(backlog, "SELECT count(*) FROM ops.operations_report WHERE report_date = %s", today) == 1
    assert scalar(backlog, "SELECT figures -> 'headline' ->> 'open_items_total' FROM ops.operations_report") == "2"
    assert figure(second.html_path.read_text(encoding="utf-8"), "open_items_total") == "2"
    assert sorted(p.name for p in first.html_path.parent.iterdir()) == [
        f"operations_report_{today}_zh.{ext}" for ext in ("html", "json", "md")]


def test_should_say_stage_not_built_where_its_ops_table_is_missing(backlog, today, report_config):
    with psycopg.connect(backlog) as conn:
        conn.execute("DROP TABLE ops.scenario_refresh CASCADE")
        conn.execute("DROP TABLE ops.quality_result CASCADE")
    for language, words in [(Language.ZH, "该环节尚未建设"), (Language.EN, "stage not built yet")]:
        result = generate_report(backlog, today, language=language, config=report_config, deliver_to_channels=False)
        html = result.html_path.read_text(encoding="utf-8")
        assert html.count(words) == 4  # headline quality + scenarios, quality and scenario sections
        assert words in result.markdown
        assert result.figures["quality"] == {"built": False} and result.figures["scenarios"] == {"built": False}


def test_should_count_sync_runs_for_the_business_date_they_stand_for(demo_warehouse, today, report_config):
    """The 01:00 run after a business day loads that day: it and its reconciliation count there."""
    business_day = datetime(2026, 1, 5).date()
    with psycopg.connect(demo_warehouse) as conn:
        conn.execute("UPDATE ops.sync_ledger SET business_date = %s WHERE table_name = 'gl_voucher_line'",
                     (business_day,))
    lines = scalar(demo_warehouse, "SELECT rows_read FROM ops.sync_ledger WHERE table_name = 'gl_voucher_line'")
    then = generate_report(demo_warehouse, business_day, config=report_config, deliver_to_channels=False)
    now = generate_report(demo_warehouse, today, config=report_config, deliver_to_channels=False)
    assert figure(then.html_path.read_text(encoding="utf-8"), "rows_moved") == f"{lines:,}"
    assert figure(now.html_path.read_text(encoding="utf-8"), "rows_moved_gl_voucher_line") == "0"
    # its reconciliation goes with it: row count and the two amount sums
    recon = scalar(demo_warehouse, "SELECT count(*) FROM ops.reconciliation")
    assert figure(then.html_path.read_text(encoding="utf-8"), "reconciliation_matched") == "3"
    assert figure(now.html_path.read_text(encoding="utf-8"), "reconciliation_matched") == str(recon - 3)


def test_should_put_backlog_activity_on_the_business_date_of_its_run(demo_warehouse, today, report_config):
    """A week simulated in minutes: each day's items open and resolve on their own business date."""
    opened_on, resolved_on = datetime(2026, 1, 5).date(), datetime(2026, 1, 7).date()
    context = AlertContext(demo_warehouse, AlertingConfig())
    raise_alert(context, make_alert(business_date=opened_on))
    raise_alert(context, make_alert(business_date=opened_on + timedelta(days=1)))
    resolve(context, stage="quality_scan", business_date=resolved_on, targets=["ods.expense_claim"])

    def backlog_figures(day) -> tuple[str, str, str]:
        html = generate_report(demo_warehouse, day, config=report_config,
                               deliver_to_channels=False).html_path.read_text(encoding="utf-8")
        return figure(html, "backlog_new"), figure(html, "backlog_resolved"), figure(html, "open_items_total")

    assert backlog_figures(opened_on) == ("1", "0", "1")
    assert backlog_figures(opened_on + timedelta(days=1)) == ("0", "0", "1")  # recurring, still open
    assert backlog_figures(resolved_on) == ("0", "1", "0")
    assert backlog_figures(today) == ("0", "0", "0")


def test_should_report_a_day_without_activity_as_empty(backlog, report_config):
    result = generate_report(backlog, datetime(2026, 1, 5).date(), config=report_config, deliver_to_channels=False)
    html = result.html_path.read_text(encoding="utf-8")
    assert (figure(html, "rows_moved"), figure(html, "tables_on_time"), figure(html, "open_items_total")) == (
        "0", "0", "0")


def test_should_deliver_the_report_by_email_and_chat(demo_warehouse, today, tmp_path, smtp_server, webhook_server,
                                                     monkeypatch):
    smtp_connection(monkeypatch, "test_smtp", smtp_server.port)
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    config = AlertingConfig.model_validate({
        "airflow_base_url": "https://ops.example.com/",
        "channels": [{"name": "mail", "type": "email", "conn_id": "test_smtp", "to": ["ops@example.com"]},
                     {"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
        "report": {"channels": ["mail", "ding"], "folder": str(tmp_path)},
    })
    result = generate_report(demo_warehouse, today, config=config, now=datetime.now(UTC))
    assert [d["delivered"] for d in result.deliveries] == [True, True]
    console_page = f"https://ops.example.com/smartops/reports/{today}?lang=zh"
    [mail] = smtp_server.messages
    body = next(p for p in mail.walk() if p.get_content_type() == "text/html" and not p.get_filename())
    html = body.get_content()
    assert "<svg" not in html and "<style" not in html, "mail clients render neither SVG nor stylesheets"
    assert 'data-chart="trend"' in html and 'bgcolor="#2f6db5"' in html  # the trends as table bars
    assert console_page.replace("&", "&amp;") in html
    [attached] = [p for p in mail.walk() if p.get_filename()]
    assert attached.get_filename() == f"operations_report_{today}_zh.html"
    assert '<svg class="chart"' in attached.get_content().decode()  # the full report, charts included
    assert console_page in webhook_server.requests[0].body["markdown"]["text"]
    with psycopg.connect(demo_warehouse) as conn:
        assert conn.execute("SELECT jsonb_array_length(deliveries) FROM ops.operations_report").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM ops.notification WHERE kind = 'report' AND status = 'delivered'"
                            ).fetchone()[0] == 2


@pytest.mark.slow
def test_should_build_the_report_for_any_date_through_the_dag(demo_warehouse, airflow_db, demo_connections,
                                                             tmp_path, monkeypatch, today):
    config_file = tmp_path / "alerting.yaml"
    config_file.write_text(f"report:\n  folder: {tmp_path / 'reports'}\n")
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(config_file))
    dag = parse_dag("operations_report")
    run = dag.test(run_conf={"report_date": today.isoformat(), "language": "en", "deliver": False})
    assert run.get_task_instance("build_report").state == "success"
    html = (tmp_path / "reports" / today.isoformat() / f"operations_report_{today}_en.html").read_text()
    assert figure(html, "tables_on_time") == str(len(load_inventory().tables))
    assert scalar(demo_warehouse, "SELECT run_id FROM ops.operations_report") == run.run_id


def test_should_show_the_notifications_that_did_not_reach_their_channel(warehouse, today, report_config, free_port,
                                                                        monkeypatch):
    from tests.alerting.factories import make_config

    webhook_connection(monkeypatch, "test_ding", f"http://127.0.0.1:{free_port}/down")
    raise_alert(AlertContext(warehouse, make_config()), make_alert())

    result = generate_report(warehouse, today, config=report_config, deliver_to_channels=False)

    html = result.html_path.read_text(encoding="utf-8")
    assert (figure(html, "notifications_delivered"), figure(html, "notifications_pending")) == ("0", "1")
    [undelivered] = result.figures["notifications"]["undelivered"]
    assert undelivered["channel"] == "ding" and "URLError" in undelivered["last_error"]


def test_should_list_the_days_audited_overrides(warehouse, report_config):
    with psycopg.connect(warehouse) as conn:
        conn.execute("INSERT INTO ops.manual_override (kind, dag_id, run_id, task_id, actor, reason, business_date) "
                     "VALUES ('skip_gate', 'scenario_refresh', 'manual__1', 'fund_monitoring', 'ops-li', "
                     "'scan re-run by hand', '2026-01-05')")

    result = generate_report(warehouse, datetime(2026, 1, 5).date(), config=report_config, deliver_to_channels=False)

    [override] = result.figures["overrides"]
    assert (override["kind"], override["actor"], override["reason"]) == ("skip_gate", "ops-li", "scan re-run by hand")
    assert 'data-override="skip_gate"' in result.html_path.read_text(encoding="utf-8")


def test_should_judge_a_replayed_day_by_the_business_date_its_syncs_stand_for(demo_warehouse, report_config):
    """A week replayed today (make demo): each day's syncs finished today, yet they load that day on time."""
    day = datetime(2026, 1, 5).date()
    with psycopg.connect(demo_warehouse) as conn:
        conn.execute("UPDATE ops.sync_ledger SET business_date = %s", (day,))

    replayed = generate_report(demo_warehouse, day, config=report_config, deliver_to_channels=False)
    before = generate_report(demo_warehouse, day - timedelta(days=1), config=report_config, deliver_to_channels=False)

    assert replayed.figures["headline"]["tables_on_time"] == len(load_inventory().tables)
    assert all(t["age_hours"] == 0 for t in replayed.figures["tables"])
    assert before.figures["headline"]["tables_on_time"] == 0, "the day before had no load yet"


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_should_refuse_an_impossible_report_date_with_a_clear_message(warehouse, report_config, day):
    from smartops.report.build import ReportDateInvalid

    with pytest.raises(ReportDateInvalid, match=rf"report_date={day.isoformat()} is outside 2000-01-01"):
        generate_report(warehouse, day, config=report_config, deliver_to_channels=False)


def test_should_say_so_on_the_day_a_marts_contract_version_changes(warehouse, report_config, monkeypatch):
    """Day 1 records the versions; day 2 with scenarios.yaml bumping one mart's version names the change."""
    import yaml

    from smartops.config.catalog import catalog, load_scenarios
    from smartops.config.scenarios import SCENARIOS_PATH

    day = date(2026, 1, 5)
    first = generate_report(warehouse, day, config=report_config, deliver_to_channels=False)
    assert first.figures["contracts"]["changes"] == [] and first.figures["contracts"]["versions"]
    scenarios = yaml.safe_load(SCENARIOS_PATH.read_text(encoding="utf-8"))
    scenarios["scenarios"][0]["version"] = "9.0.0"
    bumped = SCENARIOS_PATH.parent / "scenarios.bumped.yaml"
    try:
        bumped.write_text(yaml.safe_dump(scenarios, allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr("smartops.report.contracts.catalog", lambda: catalog(scenarios=bumped))
        tables = [f"ads.{t}" for t in load_scenarios(bumped).scenarios[0].tables]
        second = generate_report(warehouse, day + timedelta(days=1), config=report_config, deliver_to_channels=False)
    finally:
        bumped.unlink()
    changes = second.figures["contracts"]["changes"]
    assert [(c["table"], c["to"]) for c in changes] == [(t, "9.0.0") for t in tables]
    assert f'data-contract="{tables[0]}"' in second.html_path.read_text(encoding="utf-8")
    assert f"{tables[0]} {first.figures['contracts']['versions'][tables[0]]} → 9.0.0" in second.markdown
