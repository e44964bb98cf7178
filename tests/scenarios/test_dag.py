"""scenario_refresh through Airflow: dag.test() skips on a refused gate; demo data end to end."""

from __future__ import annotations

from datetime import date

import pytest

from smartops.quality.checkfiles import discover
from smartops.quality.runner import run_quality_scan
from smartops.scenarios.refresh import Status
from tests.aggregation.conftest import build_all
from tests.support.helpers import asset_events, parse_dag, query, task_states

DEMO_DATE = date(2026, 11, 28)


@pytest.fixture
def scenario_dag(airflow_db):
    return parse_dag("scenario_refresh")


def test_should_run_one_task_per_scenario_on_the_quality_results_asset(scenario_dag, registry):
    from smartops.assets import RESULTS_ASSET

    assert scenario_dag.task_ids == [s.id for s in registry.scenarios]
    assert [a.name for a in scenario_dag.timetable.asset_condition.objects] == [RESULTS_ASSET.name]
    outlets = {t.task_id: sorted(a.name for a in t.outlets) for t in scenario_dag.tasks}
    assert outlets["reconciliation"] == ["ads.reconciliation_detail", "ads.reconciliation_summary"]


def test_should_skip_the_task_and_alert_when_the_gate_refuses(scenario_dag, built, airflow_connections):
    dag_run = scenario_dag.test(run_conf={"scenarios": ["receivables_aging"], "business_date": "2026-04-30"})

    assert set(task_states(dag_run).values()) == {"skipped"}
    assert query(built, "SELECT scenario, status FROM ops.scenario_refresh") == [("receivables_aging", "skipped")]
    assert query(built, "SELECT to_regclass('ads.receivables_aging') IS NULL") == [(True,)]
    assert query(built, "SELECT category, title LIKE '应收账龄%%' FROM ops.alert_event "
                        "WHERE item_id IN (SELECT item_id FROM ops.backlog_item)") == [("scenario", True)]
    assert asset_events("scenario_refresh", dag_run.run_id) == {}


@pytest.mark.slow
def test_should_publish_all_five_from_demo_data_consistent_with_dws(scenario_dag, registry, demo_warehouse,
                                                                     demo_connections):
    warehouse = demo_warehouse
    build_all(warehouse, DEMO_DATE, run_id="aggregation")
    run_quality_scan(warehouse, [f for f in discover() if f.layer in ("dwd", "dws")], run_id="quality",
                     business_date=DEMO_DATE)

    dag_run = scenario_dag.test(run_conf={"business_date": DEMO_DATE.isoformat()})

    assert set(task_states(dag_run).values()) == {"success"}, query(
        warehouse, "SELECT scenario, reason FROM ops.scenario_refresh WHERE status <> 'published'")
    events = asset_events("scenario_refresh", dag_run.run_id)
    published = [t for s in registry.scenarios for t in s.publishes]
    assert set(events) == set(published)
    for table in published:
        assert events[table]["status"] == Status.PUBLISHED
        assert query(warehouse, f"SELECT count(*) FROM {table}")[0][0] == events[table]["table_rows"][table] > 0
    # Budget execution's actuals are the dws ledger movements of the budgeted accounts.
    assert query(warehouse, """
        SELECT count(*) FROM ads.budget_execution b
        LEFT JOIN dws.gl_balance g USING (org_id, account_code, period)
        WHERE b.actual_amount <> coalesce(g.net, 0)""") == [(0,)]
    # Receivables aging has the grain and totals of dws.ar_customer_balance.
    assert query(warehouse, "SELECT count(*), sum(outstanding), sum(overdue_amount) FROM ads.receivables_aging") == \
        query(warehouse, "SELECT count(*), sum(outstanding), sum(overdue_amount) FROM dws.ar_customer_balance")
    # Expense analysis carries every dws expense cell; fund monitoring the dws balances of its window.
    assert query(warehouse, "SELECT sum(amount), sum(claim_count) FROM ads.expense_analysis") == \
        query(warehouse, "SELECT sum(amount), sum(claim_count) FROM dws.expense_monthly")
    assert query(warehouse, """
        SELECT count(*) FROM ads.fund_monitoring f
        JOIN dws.bank_cash_flow_daily d USING (bank_account_id, day)
        WHERE f.closing_balance <> d.closing_balance""") == [(0,)]
    # Reconciliation: the demo books every paid claim and every invoice, so most documents match.
    rates = dict(query(warehouse, "SELECT org_id, match_rate FROM ads.reconciliation_summary WHERE doc_type = 'all'"))
    assert rates and min(rates.values()) > 0.9, rates
