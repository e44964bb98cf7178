"""Impact analysis on the real registry and models: which scenario marts a broken table makes stale."""

from __future__ import annotations

import pytest

from smartops.scenarios.cli import main
from smartops.scenarios.exceptions import UnknownTable
from smartops.scenarios.impact import affected_scenarios, impact_summary


@pytest.mark.parametrize("table, expected", [
    ("ods.ar_invoice", ["receivables_aging", "reconciliation"]),
    ("ods.ar_receipt", ["receivables_aging", "reconciliation"]),
    ("ods.gl_voucher_line", ["budget_execution", "reconciliation"]),
    ("ods.budget", ["expense_analysis", "budget_execution"]),
    ("ods.bank_transaction", ["fund_monitoring"]),
    ("dws.gl_balance", ["budget_execution"]),
    ("dwd.reject", ["expense_analysis", "fund_monitoring", "receivables_aging", "budget_execution",
                    "reconciliation"]),
    ("ads.reconciliation_summary", ["reconciliation"]),
    ("ods.contract", []),
])
def test_should_list_the_scenarios_downstream_of_a_table(table, expected):
    assert [i.scenario.id for i in affected_scenarios(table)] == expected


def test_should_give_the_lineage_path_through_the_aggregation_models():
    [budget] = affected_scenarios("dws.gl_balance")
    paths = {i.scenario.id: i.path for i in affected_scenarios("ods.gl_voucher_line")}

    assert budget.path == ("dws.gl_balance", "ads:budget_execution")
    assert paths["budget_execution"] == ("ods.gl_voucher_line", "dwd.voucher_line", "dws.gl_balance",
                                         "ads:budget_execution")


def test_should_summarise_the_impact_for_alerts():
    assert impact_summary("ods.ar_invoice") == "ods.ar_invoice failed → 应收账龄 and 业财对账 are stale"
    assert impact_summary("ods.contract") == "ods.contract: no scenario mart reads it"


def test_should_reject_an_unknown_table_listing_valid_names():
    with pytest.raises(UnknownTable, match="'ods.nope'.*ods.ar_invoice"):
        affected_scenarios("ods.nope")


def test_should_print_the_impact_from_the_command_line(capsys):
    assert main(["impact", "ods.ar_invoice"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "ods.ar_invoice feeds 2 scenario(s):"
    assert "receivables_aging" in out and "应收账龄" in out and "reconciliation" in out

    assert main(["impact", "ods.nope"]) == 2
    assert "error: table='ods.nope'" in capsys.readouterr().err
