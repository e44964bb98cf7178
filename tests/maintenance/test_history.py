"""Retention of the ops history: old attempts, messages, samples and events go; what is kept stays whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from smartops.alerting.context import AlertContext
from smartops.alerting.service import raise_alert
from smartops.config.retention import OpsRetention, RetentionPolicy
from smartops.errors import ConfigError
from smartops.maintenance.history import prune_history
from tests.alerting.factories import make_alert, make_config
from tests.support.helpers import query, scalar

NOW = datetime(2026, 12, 6, 3, 30, tzinfo=UTC)


def _history(warehouse: str) -> dict[str, int]:
    """Two alerts (an old and a recent occurrence each), delivered; one old quality result with a sample."""
    context = AlertContext(warehouse, make_config())
    for check in ("old_check", "recent_check"):
        raise_alert(context, make_alert(check=check), deliver=False)
    age = {"old_check": timedelta(days=500), "recent_check": timedelta(days=5)}
    with psycopg.connect(warehouse) as conn:
        for check, delta in age.items():
            conn.execute("UPDATE ops.alert_event SET raised_at = %(at)s WHERE fingerprint LIKE '%%:' || %(check)s",
                         {"at": NOW - delta, "check": check})
            conn.execute("UPDATE ops.notification n SET created_at = %(at)s, status = 'delivered' "
                         "FROM ops.alert_event e "
                         "WHERE n.event_id = e.event_id AND e.fingerprint LIKE '%%:' || %(check)s",
                         {"at": NOW - delta, "check": check})
            conn.execute("INSERT INTO ops.alert_delivery (event_id, notification_id, channel, channel_type, "
                         "delivered, attempts, attempted_at) SELECT n.event_id, n.notification_id, n.channel, "
                         "'dingtalk', true, 1, %(at)s FROM ops.notification n JOIN ops.alert_event e USING (event_id) "
                         "WHERE e.fingerprint LIKE '%%:' || %(check)s", {"at": NOW - delta, "check": check})
        conn.execute("INSERT INTO ops.notification (kind, channel, subject, message, status, expires_at, "
                     "created_at) VALUES ('alert', 'ding', 'waiting', '{}', 'pending', %(at)s, %(at)s)",
                     {"at": NOW - age["old_check"]})
        for days in (40, 2):
            conn.execute(
                "INSERT INTO ops.quality_result (scan_id, run_id, business_date, source, table_name, check_name, "
                "outcome, severity, blocking, failed_rows_sample, checked_at) VALUES (gen_random_uuid(), 'r', %(day)s, "
                "'soda', "
                "'ods.bank_account', 'valid_no', 'fail', 'high', false, '[{\"account_no\": \"***\"}]', %(at)s)",
                {"day": (NOW - timedelta(days=days)).date(), "at": NOW - timedelta(days=days)})
    return age


def test_should_prune_each_kind_past_its_window_and_keep_the_rest(warehouse):
    _history(warehouse)
    items_before = scalar(warehouse, "SELECT count(*) FROM ops.backlog_item")

    results = prune_history(warehouse, OpsRetention(), now=NOW, run_id="manual__t", actor="ops.lee")

    assert {r.step.value: r.rows for r in results} == {
        "attempt_log": 1, "notifications": 1, "failed_row_samples": 1, "alert_events": 1}
    assert query(warehouse, "SELECT split_part(fingerprint, ':', 3) FROM ops.alert_event") == [("recent_check",)]
    assert query(warehouse, "SELECT status FROM ops.notification ORDER BY status") == [("delivered",), ("pending",)]
    assert query(warehouse, "SELECT failed_rows_sample IS NULL FROM ops.quality_result ORDER BY checked_at") == [
        (True,), (False,)], "the old result stays, its sample goes"
    assert scalar(warehouse, "SELECT count(*) FROM ops.backlog_item") == items_before, "items stay: MTTR"
    ledger = query(warehouse, "SELECT step, rows_affected, outcome, actor, cutoff FROM ops.maintenance_run "
                              "ORDER BY maintenance_id")
    assert [row[:4] for row in ledger] == [("attempt_log", 1, "success", "ops.lee"),
                                           ("notifications", 1, "success", "ops.lee"),
                                           ("failed_row_samples", 1, "success", "ops.lee"),
                                           ("alert_events", 1, "success", "ops.lee")]
    assert ledger[3][4] == NOW - timedelta(days=400)


def test_should_count_without_deleting_in_a_dry_run(warehouse):
    _history(warehouse)
    results = prune_history(warehouse, OpsRetention(), now=NOW, run_id="manual__t", actor="ops.lee", dry_run=True)
    assert [r.rows for r in results] == [1, 1, 1, 0], "dry: the old event is still pointed to by its message"
    assert scalar(warehouse, "SELECT count(*) FROM ops.alert_event") == 2
    assert scalar(warehouse, "SELECT count(*) FROM ops.quality_result WHERE failed_rows_sample IS NULL") == 0
    assert query(warehouse, "SELECT DISTINCT outcome FROM ops.maintenance_run") == [("dry_run",)]


def test_should_keep_a_digest_while_a_kept_message_was_folded_into_it(warehouse):
    with psycopg.connect(warehouse) as conn:
        digest = conn.execute("INSERT INTO ops.notification (kind, channel, subject, message, status, expires_at, "
                              "created_at) VALUES ('digest', 'ding', 'd', '{}', 'delivered', %(at)s, %(at)s) "
                              "RETURNING notification_id", {"at": NOW - timedelta(days=100)}).fetchone()[0]
        conn.execute("INSERT INTO ops.notification (kind, channel, subject, message, status, expires_at, created_at, "
                     "digest_id) VALUES ('alert', 'ding', 'a', '{}', 'delivered', %(at)s, %(at)s, %(digest)s)",
                     {"at": NOW - timedelta(days=10), "digest": digest})
    prune_history(warehouse, OpsRetention(), now=NOW, run_id="manual__t", actor="scheduler")
    assert scalar(warehouse, "SELECT count(*) FROM ops.notification") == 2


@pytest.mark.parametrize("field, value", [("attempt_log", "30d"), ("alert_events", "61d"),
                                          ("failed_row_samples", "12h")])
def test_should_refuse_a_window_shorter_than_what_the_report_needs(field, value):
    with pytest.raises(ConfigError, match=rf"retention.yaml: field 'ops.{field}'.*shorter than"):
        from smartops.config.loader import parse_model
        parse_model(f"ops:\n  {field}: {value}\n", "retention.yaml", RetentionPolicy, list_key="ops")
