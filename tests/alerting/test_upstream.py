"""一级协同: items Level-1 caused are tagged by rule, wait on Level-1's clock, and reach their owner in a digest."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import psycopg
import pytest

from smartops.alerting import raise_alert
from smartops.alerting.context import AlertContext
from smartops.alerting.models import Category, Decision, ItemStatus
from smartops.alerting.triage import TriageError, triage
from smartops.alerting.upstream import level1_owner
from smartops.alerting.upstream_digest import send_upstream_digests
from smartops.business_date import BUSINESS_TZ
from smartops.config.inventory import load_inventory
from smartops.inventory.model import CheckName
from smartops.report.figures import day_bounds
from smartops.report.upstream import upstream_figures
from tests.alerting.factories import make_alert, make_config, smtp_connection, webhook_connection
from tests.support.helpers import scalar

DAY = date(2026, 12, 4)
ACCOUNT_NO = "6222021234567890"


def test_should_tag_only_what_level1_caused_with_the_tables_level1_owner():
    inventory = load_inventory()
    expected = [  # (stage, object, check) -> Level-1 owner or None (ours)
        (("quality_scan", "ods.expense_claim", "amount not negative"), "group-fssc"),  # a dirty row as sent
        (("quality_scan", "dwd.expense_claim", "amount not negative"), None),  # our model's output
        (("backflow_sync", "payment_order", "SchemaDriftError"), "group-treasury"),  # a column dropped at Level-1
        (("backflow_sync", "ar_invoice", "ReconciliationMismatch"), "group-fssc"),  # hard deletes nobody detects
        (("backflow_sync", "payment_order", "ReconciliationMismatch"), None),  # key_compare detects deletes
        (("backflow_sync", "ar_invoice", "OperationalError"), None),  # our warehouse, our network
        (("data_pulse", "ods.gl_voucher", "closed_period_change"), "group-fssc"),
        (("data_pulse", "ods.bank_transaction", "stale"), "group-treasury"),
        (("inventory_check", "ar_invoice", CheckName.CURSOR_NOT_FUTURE.value), "group-fssc"),
        (("inventory_check", "ar_invoice", CheckName.CURSOR_INDEXED.value), None),  # our entry's choice
        (("scenario_refresh", "ads.fund_monitoring", "MartBuildError"), None),
    ]
    for (stage, obj, check), owner in expected:
        alert = make_alert(stage=stage, object=obj, check=check)
        assert level1_owner(alert, inventory) == owner, (stage, obj, check)
    untagged = type(inventory)(tables=[t.model_copy(update={"level1_owner": None}) for t in inventory.tables])
    assert level1_owner(make_alert(), untagged) is None, "no level1_owner in the inventory: the item stays ours"
    assert level1_owner(make_alert(), None) is None


def _context(warehouse: str, **config) -> AlertContext:
    return AlertContext(warehouse, make_config(**config), load_inventory())


def test_should_run_level1s_clock_while_an_item_awaits_them_and_ours_after_resume(warehouse, webhook_server,
                                                                                  monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    context = _context(warehouse, escalation={"after_occurrences": 2, "channels": ["ding"]})
    upstream = [raise_alert(context, make_alert()) for _ in range(3)]
    assert [o.item_status for o in upstream] == [ItemStatus.AWAITING_LEVEL1] * 3
    assert Decision.ESCALATE not in [o.decision for o in upstream], "Level-1's item: their digest asks, no escalation"
    ours = raise_alert(context, make_alert(object="dwd.expense_claim"))
    assert ours.item_status is ItemStatus.OPEN
    item = upstream[0].item_id

    with pytest.raises(TriageError, match="names no Level-1 owner"):
        triage(context, ours.item_id, action="await_level1", actor="ops", note="not theirs")
    with pytest.raises(TriageError, match="not awaiting Level-1"):
        triage(context, ours.item_id, action="resume", actor="ops", note="nothing to resume")
    # opened 12 h ago, waiting on Level-1 for the last 8 of them
    with psycopg.connect(warehouse) as conn:
        conn.execute("UPDATE ops.backlog_item SET opened_at = now() - interval '12 hours',"
                     " awaiting_since = now() - interval '8 hours' WHERE item_id = %s", (item,))
    assert triage(context, item, action="resume", actor="ops", note="Level-1 fixed it; our reload") is ItemStatus.OPEN
    assert triage(context, item, action="resolve", actor="ops", note="reloaded") is ItemStatus.RESOLVED
    waited, total = scalar(warehouse, "SELECT array[awaiting_seconds, resolve_seconds] FROM ops.backlog_item"
                                      " WHERE item_id = %s", item)
    assert waited == pytest.approx(8 * 3600, abs=60) and total == pytest.approx(12 * 3600, abs=60)
    assert scalar(warehouse, "SELECT array_agg(action ORDER BY audit_id) FROM ops.backlog_audit"
                             " WHERE item_id = %s", item) == ["opened", "resumed", "resolved"]

    today = datetime.now(BUSINESS_TZ).date()
    with psycopg.connect(warehouse, row_factory=psycopg.rows.dict_row) as conn:
        split = upstream_figures(conn, today, today)  # resolved by hand today, outside a dated run
    assert (split["ours_hours"], split["upstream_hours"]) == (pytest.approx(4, abs=0.05), pytest.approx(8, abs=0.05))
    assert split["upstream_resolved"] == 1 and split["open"] == [], "the item is resolved, nobody owes anything"


def test_should_hand_an_item_the_rules_call_ours_to_a_known_level1_owner_and_keep_it_there(warehouse):
    context = _context(warehouse)
    ours = raise_alert(context, make_alert(object="dwd.expense_claim")).item_id
    with pytest.raises(TriageError, match="not a Level-1 owner.*known: group-fssc, group-treasury"):
        triage(context, ours, action="await_level1", actor="ops", note="theirs", level1_owner="group-nobody")
    with pytest.raises(TriageError, match="applies only to action 'await_level1'"):
        triage(context, ours, action="ack", actor="ops", note="on it", level1_owner="group-fssc")
    assert scalar(warehouse, "SELECT row(status, level1_owner)::text FROM ops.backlog_item WHERE item_id = %s",
                  ours) == "(open,)", "refused: nothing changed"

    assert triage(context, ours, action="await_level1", actor="ops", note="their posting rule",
                  level1_owner=" group-fssc ") is ItemStatus.AWAITING_LEVEL1
    again = raise_alert(context, make_alert(object="dwd.expense_claim"))  # the rules still say ours
    assert again.item_status is ItemStatus.AWAITING_LEVEL1
    assert scalar(warehouse, "SELECT level1_owner FROM ops.backlog_item WHERE item_id = %s", ours) == "group-fssc"


def _plant_sample(warehouse: str) -> None:
    """What quality_scan stores for a failing check on ods.bank_account: the key and the checked column."""
    with psycopg.connect(warehouse) as conn:
        conn.execute(
            "INSERT INTO ops.quality_result (scan_id, run_id, business_date, source, table_name, check_name, outcome,"
            " severity, blocking, measured_value, failed_rows_sample) VALUES (gen_random_uuid(), 'scan-1', %s,"
            " 'soda', 'ods.bank_account', 'account_no format', 'fail', 'high', false, 1, %s)",
            (DAY, json.dumps([{"bank_account_id": 7, "account_no": ACCOUNT_NO}])))


def _csv_of(mail) -> list[dict[str, str]]:
    attachment = next(part for part in mail.iter_attachments() if (part.get_filename() or "").endswith(".csv"))
    content = attachment.get_content()
    return list(csv.DictReader(io.StringIO(content.decode() if isinstance(content, bytes) else content)))


def test_should_send_each_level1_owner_a_digest_with_masked_evidence_only_when_new_or_due(
        warehouse, webhook_server, smtp_server, monkeypatch):
    webhook_connection(monkeypatch, "test_ding", webhook_server.url + "/ding")
    smtp_connection(monkeypatch, "test_smtp", smtp_server.port)
    context = _context(
        warehouse, routes={"by_severity": {}},  # the ops team's own routes stay quiet here: only digests speak
        channels=[{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"},
                  {"name": "treasury_mail", "type": "email", "conn_id": "test_smtp",
                   "to": ["treasury-it@example.com"]}],
        upstream={"resend_after": "3d", "owners": {"group-treasury": ["treasury_mail", "ding"]}})
    treasury = raise_alert(context, make_alert(object="ods.bank_account", check="account_no format", owner="treasury",
                                               title="账号格式错误 1 行"))
    raise_alert(context, make_alert())  # group-fssc: Level-1's, but alerting.yaml gives it no channel
    raise_alert(context, make_alert(stage="aggregation", object="dwd.voucher_line", check="ModelBuildError",
                                    category=Category.PLATFORM))  # ours: in no digest
    _plant_sample(warehouse)

    sent = send_upstream_digests(context, business_date=DAY, run_id="scheduled__digest")
    assert [(d.owner, d.items, d.new_items, sorted(d.delivered)) for d in sent] == [
        ("group-treasury", 1, 1, ["ding", "treasury_mail"])]
    [mail] = smtp_server.messages
    assert mail["To"] == "treasury-it@example.com" and "group-treasury" in mail["Subject"]
    assert ACCOUNT_NO not in mail.as_string(), "the account number never leaves in full"
    rows = _csv_of(mail)
    assert [(r["row"], r["object"], r["check"], r["occurrences"]) for r in rows] == [
        ("item", "ods.bank_account", "account_no format", "1"),
        ("sample", "ods.bank_account", "account_no format", "1")]
    assert json.loads(rows[1]["sample"]) == {"bank_account_id": 7, "account_no": "************7890"}
    assert rows[0]["first_seen"].endswith("+08:00") and rows[0]["is_new"] == "True"
    [chat] = [r.body for r in webhook_server.requests]
    text = json.dumps(chat, ensure_ascii=False)
    assert "账号格式错误 1 行" in text and "/smartops/upstream?owner=group-treasury" in text
    assert scalar(warehouse, "SELECT row(category, status)::text FROM ops.backlog_item"
                             " WHERE fingerprint = 'upstream_digest:group-fssc:no_route'") == "(config,open)"

    assert send_upstream_digests(context, business_date=DAY) == [], "nothing new, nothing due: nothing sent"
    assert len(smtp_server.messages) == 1
    with psycopg.connect(warehouse) as conn:  # three days later, still open
        conn.execute("UPDATE ops.upstream_digest_item SET last_sent_at = last_sent_at - interval '3 days 1 minute'")
    [again] = send_upstream_digests(context, business_date=DAY + timedelta(days=3))
    assert (again.items, again.new_items) == (1, 0) and _csv_of(smtp_server.messages[-1])[0]["is_new"] == "False"
    assert scalar(warehouse, "SELECT times_sent FROM ops.upstream_digest_item WHERE item_id = %s",
                  treasury.item_id) == 2

    with psycopg.connect(warehouse) as conn:  # the last digest never arrived: every message expired undelivered
        conn.execute("UPDATE ops.notification SET status = 'expired' WHERE kind = 'upstream'"
                     " AND notification_id IN (SELECT unnest(notification_ids) FROM ops.upstream_digest"
                     " WHERE digest_id = (SELECT max(digest_id) FROM ops.upstream_digest))")
    [undelivered] = send_upstream_digests(context, business_date=DAY + timedelta(days=3))
    assert undelivered.items == 1 and len(smtp_server.messages) == 3, "an expired digest does not count as sent"

    triage(context, treasury.item_id, action="resolve", actor="ops", note="Level-1 corrected the account")
    with psycopg.connect(warehouse) as conn:
        conn.execute("UPDATE ops.upstream_digest_item SET last_sent_at = last_sent_at - interval '4 days'")
    assert send_upstream_digests(context, business_date=DAY + timedelta(days=7)) == [], "a resolved item is not owed"
    assert scalar(warehouse, "SELECT count(*) FROM ops.upstream_digest WHERE level1_owner = 'group-treasury'") == 3


def test_should_show_the_split_and_owners_in_the_daily_report(warehouse, monkeypatch):
    from smartops.notify.language import Language
    from smartops.report.figures import collect
    from smartops.report.render import render_html, render_markdown

    context = _context(warehouse)
    raise_alert(context, make_alert(object="ods.bank_account", check="account_no format", business_date=DAY))
    start, end = day_bounds(DAY)
    with psycopg.connect(warehouse) as conn:  # opened during the business date
        conn.execute("UPDATE ops.backlog_item SET opened_at = %s, first_seen_at = %s",
                     (start + timedelta(hours=9),) * 2)
    figures = collect(warehouse, DAY, now=end + timedelta(hours=8))
    [owner] = figures["upstream"]["open"]
    assert (owner["owner"], owner["items"]) == ("group-treasury", 1)
    assert "group-treasury 1" in render_markdown(figures, Language.ZH, "http://x")
    assert 'data-level1-owner="group-treasury"' in render_html(figures, Language.EN, end.isoformat())
