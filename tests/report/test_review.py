"""The weekly and monthly operations review: figures against the previous period, stored, zh and en."""

from __future__ import annotations

from datetime import date

from smartops.alerting.context import AlertContext
from smartops.alerting.pulse import alert_pulse
from smartops.config.alerting import AlertingConfig
from smartops.config.inventory import load_inventory
from smartops.notify.language import Language
from smartops.report.review import Period, ReviewKind, collect_review, generate_review
from tests.alerting.factories import make_config
from tests.pulse.test_judge import history_until, judge, ledger
from tests.support.helpers import query


def test_should_compare_a_week_with_the_week_before(warehouse):
    empty = date(2026, 1, 13)  # a Tuesday of the week 01-12 … 01-18
    ledger(warehouse, history_until(date(2026, 1, 18), {empty: 0}))
    context = AlertContext(warehouse, make_config(routes={}), load_inventory())
    for day in [date(2026, 1, 8), empty, date(2026, 1, 14)]:
        alert_pulse(context, judge(warehouse, day))

    week = Period.containing(ReviewKind.WEEK, empty)
    assert (week.start, week.end, week.previous.start) == (date(2026, 1, 12), date(2026, 1, 18), date(2026, 1, 5))
    figures = collect_review(warehouse, week)
    headline = figures["headline"]
    assert headline["anomalies"]["value"] >= 2 and headline["anomalies"]["previous"] == 0  # zero rows + stale
    assert headline["on_time_rate"]["value"] == round(7 / (7 * len(load_inventory().names)), 4), "one table synced"
    assert headline["items_resolved"]["value"] >= 1, "the next normal day resolved the volume item"
    # 一级协同: the pulse's items are Level-1's; their resolution counts in the week of its business date
    assert headline["mttr_upstream_hours"]["value"] is not None and headline["mttr_ours_hours"]["value"] is not None
    assert {a["finding"] for a in figures["anomalies"]} >= {"zero_rows", "stale"}
    assert any(r["fingerprint"] == "data_pulse:ods.gl_voucher:zero_rows" for r in figures["recurring"])


def test_should_store_and_render_a_monthly_review_in_both_languages(warehouse, tmp_path):
    ledger(warehouse, history_until(date(2026, 1, 31)))
    config = AlertingConfig.model_validate({"report": {"folder": str(tmp_path)}})
    month = Period.last_complete(ReviewKind.MONTH, date(2026, 2, 1))
    assert (month.start, month.end) == (date(2026, 1, 1), date(2026, 1, 31))
    for language in Language:
        generate_review(warehouse, month, config=config, language=language, deliver_to_channels=False)
    stored = dict(query(warehouse, "SELECT language, markdown FROM ops.operations_review WHERE kind = 'month'"))
    assert stored["zh"].startswith("**二级智慧运营中心 · 运营月报 — 2026-01-01 – 2026-01-31**")
    assert stored["en"].startswith("**Level-2 Smart Operations Center · Monthly operations review")
    [(html,)] = query(warehouse, "SELECT html FROM ops.operations_review WHERE kind = 'month' AND language = 'en'")
    assert 'data-figure="on_time_rate"' in html and "previous" in html
