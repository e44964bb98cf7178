"""Each scenario's SQL on a hand-built data set with known answers (published through the real refresh)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartops.scenarios.refresh import Status, refresh_scenario
from tests.scenarios.conftest import BUSINESS_DATE, rows_by


def publish(warehouse: str, registry, scenario_id: str) -> None:
    result = refresh_scenario(registry.get(scenario_id), warehouse=warehouse, business_date=BUSINESS_DATE,
                              run_id="test__marts", gate=False)
    assert result.status is Status.PUBLISHED


def test_should_age_receivables_on_exact_day_boundaries(built, registry):
    publish(built, registry, "receivables_aging")

    rows = rows_by(built, "ads.receivables_aging", ("customer_id", "org_id"))

    first, second = rows[(1, "ORG2")], rows[(2, "ORG2")]
    # customer 1: 0 days (50) and 30 days (100) -> 0-30; 31 days (200 - 50 received) and 90 days (400)
    # -> 31-90; 91 days (800) -> 91-180.
    assert (first["aging_0_30"], first["aging_31_90"], first["aging_91_180"]) == (150, 550, 800)
    assert (first["current_amount"], first["overdue_amount"], first["outstanding"]) == (50, 1450, 1500)
    assert first["overdue_ratio"] == Decimal("0.9667")
    # customer 2: 180 days -> 91-180; 181 and 365 -> 181-365; 366 -> over 365.
    assert (second["aging_91_180"], second["aging_181_365"], second["aging_over_365"]) == (1000, 6000, 8000)
    assert (second["overdue_ratio"], second["max_days_past_due"]) == (Decimal("1.0000"), 366)
    assert (second["overdue_rank"], first["overdue_rank"]) == (1, 2)
    assert rows[(3, "ORG3")]["overdue_rank"] is None and not rows[(3, "ORG3")]["is_top_overdue"]


def test_should_compute_budget_execution_with_zero_budget_as_no_rate(built, registry):
    publish(built, registry, "budget_execution")

    rows = rows_by(built, "ads.budget_execution", ("account_code", "period"))

    assert set(rows) == {("660201", "2026-03"), ("660201", "2026-04"), ("660202", "2026-04")}
    march = rows[("660201", "2026-03")]  # budget v2 1200 (v1 superseded) + 管理部 300; voucher V5 500
    assert (march["budget_amount"], march["actual_amount"], march["execution_rate"]) == (1500, 500, Decimal("0.3333"))
    assert (march["over_budget"], march["remaining_budget"]) == (False, 1000)
    zero = rows[("660201", "2026-04")]  # budget 0; vouchers V1 100 + V3 30
    assert (zero["budget_amount"], zero["actual_amount"], zero["execution_rate"]) == (0, 130, None)
    assert (zero["over_budget"], zero["remaining_budget"]) == (True, -130)
    meals = rows[("660202", "2026-04")]
    assert (meals["execution_rate"], meals["over_budget"], meals["remaining_budget"]) == (Decimal("1.5000"), True, -25)


def test_should_reconcile_documents_and_vouchers_with_one_unmatched_on_each_side(built, registry):
    publish(built, registry, "reconciliation")

    detail = rows_by(built, "ads.reconciliation_detail", ("doc_type", "doc_id"))
    summary = rows_by(built, "ads.reconciliation_summary", ("org_id", "doc_type"))

    assert detail[("expense_claim", 1)]["match_status"] == "matched"
    assert detail[("payment", 1)]["match_status"] == "matched"  # booked by its claim's voucher V1
    assert detail[("ar_invoice", 20)]["match_status"] == "matched"  # 1000 + 130 tax = voucher debit 1130
    assert (detail[("expense_claim", 2)]["match_status"], detail[("expense_claim", 2)]["voucher_no"]) == \
        ("document_only", None)
    assert (detail[("expense_claim", 99)]["match_status"], detail[("expense_claim", 99)]["voucher_no"]) == \
        ("voucher_only", "V3")
    assert (detail[("expense_claim", 4)]["match_status"], detail[("expense_claim", 4)]["amount_diff"]) == \
        ("amount_diff", -5)
    org3 = summary[("ORG3", "all")]
    assert (org3["documents"], org3["matched"], org3["amount_diff_count"], org3["document_only"],
            org3["voucher_only"], org3["amount_diff_total"], org3["match_rate"]) == (5, 3, 1, 1, 1, 5, Decimal("0.6"))
    assert summary[("ORG3", "expense_claim")]["match_rate"] == Decimal("0.3333")


def test_should_analyse_expenses_against_budget_month_on_month_and_year_on_year(built, registry):
    publish(built, registry, "expense_analysis")

    rows = rows_by(built, "ads.expense_analysis", ("department", "category", "month"))

    april = rows[("销售部", "travel", "2026-04")]  # E1 100 + E2 60 paid, E3 40 approved; E7 submitted
    assert (april["claim_count"], april["amount"], april["avg_amount"]) == (3, 200, Decimal("66.67"))
    assert (april["budget_amount"], april["execution_rate"]) == (0, None)
    assert (april["prev_month_amount"], april["mom_change"]) == (160, Decimal("0.25"))
    assert (april["prev_year_amount"], april["yoy_change"]) == (100, Decimal("1"))
    assert rows[("销售部", "meals", "2026-04")]["execution_rate"] == Decimal("1.6")
    unspent = rows[("管理部", "travel", "2026-03")]  # a budget without claims stays visible
    assert (unspent["claim_count"], unspent["amount"], unspent["avg_amount"], unspent["execution_rate"]) == \
        (0, 0, None, 0)


@pytest.mark.parametrize("threshold, large_days", [(1_000_000, {"2026-04-28", "2026-04-29"}),
                                                   (1_500_000, {"2026-04-28"})])
def test_should_flag_large_transactions_and_balances_below_the_floor(built, registry, threshold, large_days):
    base = registry.get("fund_monitoring")
    scenario = base.model_copy(update={"params": {**base.params, "large_transaction_threshold": threshold,
                                                  "default_balance_floor": 600}})
    refresh_scenario(scenario, warehouse=built, business_date=BUSINESS_DATE, run_id="test__fund", gate=False)

    rows = rows_by(built, "ads.fund_monitoring", ("bank_account_id", "day"))

    assert len(rows) == 6 + 11  # account 1 opened 04-25, account 2 on 04-20
    assert {d.isoformat() for (account, d), r in rows.items() if r["large_txn_count"]} == large_days
    last = {account: r for (account, d), r in rows.items() if d == BUSINESS_DATE}
    assert (last[1]["opening_balance"], last[1]["outflow"], last[1]["closing_balance"]) == (999_950, 1_000_000, -50)
    assert (last[1]["balance_floor"], last[1]["below_floor"]) == (100, True)   # the account's own floor
    assert (last[2]["balance_floor"], last[2]["below_floor"]) == (600, True)   # no floor: the default
