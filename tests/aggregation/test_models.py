"""Every dwd/dws model on the hand-built ods rows of conftest.ROWS, with answers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import psycopg
import pytest

from smartops.aggregation.build import build_model
from smartops.aggregation.exceptions import ModelBuildError
from smartops.aggregation.rules import RejectRule
from smartops.backflow.schema import read_columns
from smartops.config.catalog import load_models
from tests.aggregation.conftest import BUSINESS_DATE, build_all
from tests.support.helpers import query, table_hash

D = Decimal
# Run metadata that differs between runs by design; everything else must be identical.
RUN_COLUMNS = {"run_id", "detected_at"}


def test_should_build_the_org_hierarchy_with_parent_and_level2_unit(built):
    assert query(built, "SELECT org_id, parent_org_name, level2_org_id, level2_org_name, status_label "
                        "FROM dwd.org_unit ORDER BY org_id") == [
        ("ORG1", None, "ORG1", "集团总部", "正常"),
        ("ORG2", "集团总部", "ORG2", "华东事业部", "正常"),
        ("ORG3", "华东事业部", "ORG2", "华东事业部", "正常"),
    ]


def test_should_give_every_account_its_level1_account(built):
    assert query(built, "SELECT account_code, account_level, level1_account_code, level1_account_name "
                        "FROM dwd.account ORDER BY account_code") == [
        ("1002", 1, "1002", "银行存款"), ("2241", 1, "2241", "其他应付款"),
        ("6602", 1, "6602", "管理费用"), ("660201", 2, "6602", "管理费用"),
    ]


def test_should_list_every_rejected_row_with_its_rule_and_reason(built):
    rows = query(built, "SELECT source_table, source_key, rule, reason, business_date FROM dwd.reject "
                        "ORDER BY source_table, source_key::bigint, rule")
    assert [r[:3] for r in rows] == [
        ("ar_receipt", "2", "orphan_reference"),
        ("bank_transaction", "4", "orphan_reference"),
        ("budget", "3", "negative_amount"),
        ("customer", "2", "null_required"),
        ("expense_claim", "4", "null_required"),
        ("expense_claim", "5", "negative_amount"),
        ("expense_claim", "7", "unknown_currency"),
        ("expense_claim", "8", "invalid_code"),
        ("expense_claim", "9", "source_deleted"),
        ("expense_claim", "10", "unknown_org"),
        ("gl_voucher", "101", "unbalanced_voucher"),
        ("gl_voucher", "105", "rejected_line"),
        ("gl_voucher_line", "1040", "orphan_reference"),
        ("gl_voucher_line", "1050", "unknown_account"),
        ("gl_voucher_line", "1062", "source_deleted"),
        ("payment_order", "2", "negative_amount"),
    ]
    reasons = {(r[0], r[1]): r[3] for r in rows}
    assert reasons["gl_voucher", "101"] == "debits 300.00 <> credits 200.00 over the live lines"
    assert reasons["expense_claim", "7"] == "currency 'USD' is not the functional currency CNY"
    assert reasons["gl_voucher_line", "1040"] == "voucher_id 999 has no voucher in ods.gl_voucher"
    assert {r[4] for r in rows} == {BUSINESS_DATE}
    assert {r[2] for r in rows} <= set(RejectRule)


def test_should_keep_rejected_draft_and_later_vouchers_out_of_the_ledger(built):
    lines = query(built, "SELECT line_id, account_code, currency, net_amount FROM dwd.voucher_line ORDER BY line_id")
    assert lines == [
        (1000, "660201", "CNY", D("500.00")), (1001, "2241", "CNY", D("-500.00")),
        (1030, "660201", "CNY", D("50.00")), (1031, "1002", "CNY", D("-50.00")),
        (1060, "660201", "CNY", D("70.00")), (1061, "2241", "CNY", D("-70.00")),
    ]


def test_should_sum_ledger_movements_per_org_account_and_period(built):
    assert query(built, "SELECT org_id, account_code, period, debit, credit, net FROM dws.gl_balance "
                        "ORDER BY account_code, period") == [
        ("ORG3", "1002", "2026-04", D("0.00"), D("50.00"), D("-50.00")),
        ("ORG3", "2241", "2026-03", D("0.00"), D("570.00"), D("-570.00")),
        ("ORG3", "660201", "2026-03", D("570.00"), D("0.00"), D("570.00")),
        ("ORG3", "660201", "2026-04", D("50.00"), D("0.00"), D("50.00")),
    ]
    assert query(built, "SELECT sum(net) FROM dws.gl_balance") == [(D("0.00"),)]


def test_should_roll_bank_balances_forward_day_by_day_in_shanghai_time(built):
    assert query(built, "SELECT day, inflow, outflow, net, opening_balance, closing_balance "
                        "FROM dws.bank_cash_flow_daily WHERE bank_account_id = 1 ORDER BY day") == [
        (date(2026, 4, 25), D("0.00"), D("0.00"), D("0.00"), D("1000.00"), D("1000.00")),
        (date(2026, 4, 26), D("200.00"), D("50.00"), D("150.00"), D("1000.00"), D("1150.00")),
        (date(2026, 4, 27), D("0.00"), D("30.00"), D("-30.00"), D("1150.00"), D("1120.00")),
        (date(2026, 4, 28), D("0.00"), D("0.00"), D("0.00"), D("1120.00"), D("1120.00")),
        (date(2026, 4, 29), D("0.00"), D("0.00"), D("0.00"), D("1120.00"), D("1120.00")),
        (date(2026, 4, 30), D("0.00"), D("0.00"), D("0.00"), D("1120.00"), D("1120.00")),
    ]


def test_should_clean_claims_and_total_recognised_expenses_per_month(built):
    assert query(built, "SELECT claim_id, org_id, department, category, currency, status, status_label "
                        "FROM dwd.expense_claim ORDER BY claim_id") == [
        (1, "ORG3", "销售部", "travel", "CNY", "approved", "已审批"),
        (2, "ORG3", "销售部", "travel", "CNY", "paid", "已支付"),
        (3, "ORG3", "销售部", "meals", "CNY", "pending", "审批中"),
        (11, "ORG3", "未分配部门", "travel", "CNY", "paid", "已支付"),
    ]
    assert query(built, "SELECT org_id, department, category, month, claim_count, amount, paid_amount "
                        "FROM dws.expense_monthly ORDER BY month") == [
        ("ORG3", "销售部", "travel", "2026-03", 2, D("150.00"), D("50.00")),
        ("ORG3", "未分配部门", "travel", "2026-04", 1, D("60.00"), D("60.00")),
    ]


def test_should_compute_received_outstanding_and_days_past_due_as_of_the_business_date(built):
    assert query(built, "SELECT invoice_id, total_amount, received_amount, outstanding_amount, days_past_due "
                        "FROM dwd.ar_invoice ORDER BY invoice_id") == [
        (1, D("1130.00"), D("500.00"), D("630.00"), 30),
        (2, D("200.00"), D("0.00"), D("200.00"), 0),
    ]
    assert query(built, "SELECT customer_id, org_id, invoiced, received, outstanding, overdue_amount "
                        "FROM dws.ar_customer_balance") == [(1, "ORG3", D("1330.00"), D("500.00"), D("830.00"),
                                                             D("630.00"))]


def test_should_flag_the_current_budget_version_and_keep_payments_clean(built):
    assert query(built, "SELECT budget_id, version, is_current FROM dwd.budget ORDER BY budget_id") == [
        (1, 1, False), (2, 2, True)]
    assert query(built, "SELECT payment_id, status_label FROM dwd.payment") == [(1, "已支付")]
    assert query(built, "SELECT customer_id, customer_code FROM dwd.customer") == [(1, "C1")]


def _hashes(conninfo: str) -> dict[str, tuple]:
    hashes = {}
    with psycopg.connect(conninfo) as conn:
        columns = {m.name: [c for c in read_columns(conn, m.layer, m.table) if c not in RUN_COLUMNS]
                   for m in load_models().models}
    for model in load_models().models:
        hashes[model.name] = table_hash(conninfo, model.layer, model.table, columns[model.name], model.key)
    return hashes


def test_should_publish_identical_tables_when_run_twice_for_the_same_date(built):
    first = _hashes(built)
    build_all(built, run_id="second")
    assert _hashes(built) == first
    # The second run is incremental for the ledger and the documents: nothing changed there, so their
    # rejects keep the run that detected them, but for the documents rejected as orphans (their parent
    # may have arrived); the master and plan data are re-checked whole by every run.
    rechecked = ("source_table IN ('org_unit', 'account', 'customer', 'bank_account', 'budget') "
                 "OR (rule = 'orphan_reference' AND source_table IN ('ar_invoice', 'ar_receipt', 'bank_transaction'))")
    assert query(built, f"SELECT DISTINCT {rechecked}, run_id FROM dwd.reject ORDER BY 1") == [
        (False, "test"), (True, "second")]
    assert query(built, "SELECT count(*), count(DISTINCT model) FROM ops.model_run WHERE status = 'success'") == [
        (34, 17)]


def test_should_keep_the_published_table_and_log_the_failure_when_a_build_fails(built):
    model = load_models().get("dwd.budget")
    before = query(built, "SELECT budget_id FROM dwd.budget ORDER BY 1")
    with psycopg.connect(built, autocommit=True) as conn:
        conn.execute("ALTER TABLE ods.budget RENAME COLUMN budget_amount TO amount")
    with pytest.raises(ModelBuildError, match=r"model=dwd.budget: building from .*budget.sql failed"):
        build_model(model, registry=load_models(), warehouse=built, business_date=BUSINESS_DATE, run_id="broken")
    assert query(built, "SELECT budget_id FROM dwd.budget ORDER BY 1") == before
    assert query(built, "SELECT status, error LIKE '%budget_amount%' FROM ops.model_run "
                        "WHERE run_id = 'broken'") == [("failed", True)]
    assert query(built, "SELECT to_regclass('dwd.budget__build')") == [(None,)]


def test_should_build_as_of_an_earlier_business_date(fixture_warehouse):
    build_all(fixture_warehouse, business_date=date(2026, 3, 31))
    assert query(fixture_warehouse, "SELECT DISTINCT period FROM dws.gl_balance") == [("2026-03",)]
    assert query(fixture_warehouse, "SELECT invoice_id, days_past_due FROM dwd.ar_invoice") == [(1, 0)]
    assert query(fixture_warehouse, "SELECT count(*) FROM dws.bank_cash_flow_daily") == [(0,)]


def test_should_reject_an_implausible_opening_date_instead_of_exploding_the_daily_series(built):

    with psycopg.connect(built) as conn:
        conn.execute("INSERT INTO ods.bank_account SELECT 2, org_id, bank_name, '9999', currency, 5, '0001-01-01', "
                     "balance_floor, status, updated_at FROM ods.bank_account WHERE bank_account_id = 1")
    build_all(built, run_id="junk-date")
    [(rule, reason)] = query(built, "SELECT rule, reason FROM dwd.reject WHERE source_table = 'bank_account' "
                                    "AND source_key = '2'")
    assert rule == "implausible_date" and "0001-01-01" in reason
    assert query(built, "SELECT count(*) FROM dws.bank_cash_flow_daily WHERE bank_account_id = 2") == [(0,)]
