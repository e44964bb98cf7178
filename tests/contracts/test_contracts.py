"""Mart contracts: declared columns match the built marts, committed files are current, versions are bumped."""

from __future__ import annotations

import shutil

import pytest

from smartops.backflow.schema import read_columns
from smartops.config.catalog import load_scenarios
from smartops.config.scenarios import ScenarioRegistry
from smartops.contracts.build import build_contract, build_contracts
from smartops.contracts.cli import main
from smartops.contracts.exceptions import ContractIncomplete, VersionNotBumped
from smartops.contracts.files import generated_files, published_contract, stale_files, write_contracts
from smartops.contracts.lock import lock_problems, read_lock
from smartops.contracts.model import LOCK_PATH, REGENERATE
from smartops.scenarios.refresh import Status, refresh_scenario
from tests.scenarios.conftest import BUSINESS_DATE


def test_should_build_every_mart_with_exactly_the_declared_columns_and_types(built, registry):
    import psycopg

    for scenario in registry.scenarios:
        result = refresh_scenario(scenario, warehouse=built, business_date=BUSINESS_DATE, run_id="test__contracts",
                                  gate=False)
        assert result.status is Status.PUBLISHED, result.reason
        with psycopg.connect(built) as conn:
            for table in scenario.tables:
                actual = list(read_columns(conn, "ads", table).items())
                assert actual == list(scenario.columns[table].items()), (
                    f"ads.{table}: the built columns differ from scenario {scenario.id!r}'s columns in "
                    f"scenarios.yaml; built: {dict(actual)}. Declare what the SQL builds, bump version in "
                    f"scenarios.yaml and run {REGENERATE}")


def test_should_have_committed_the_contracts_as_generated():
    stale = stale_files(generated_files(build_contracts(load_scenarios())))

    assert not stale, f"{[str(p) for p in stale]} differ from scenarios.yaml and the checks: run {REGENERATE}"


def test_should_not_change_a_released_mart_without_a_version_bump():
    problems = lock_problems(build_contracts(load_scenarios()), read_lock())

    assert not problems, "\n".join(problems)


def with_columns(registry: ScenarioRegistry, scenario_id: str, table: str, columns: dict,
                 **changes) -> ScenarioRegistry:
    """The registry with one table's declared columns (and further fields of its scenario) replaced."""
    scenarios = [s.model_copy(update={"columns": {**s.columns, table: columns}, **changes}) if s.id == scenario_id
                 else s for s in registry.scenarios]
    return registry.model_copy(update={"scenarios": scenarios})


def test_should_refuse_a_retyped_column_until_the_version_is_bumped(registry, tmp_path):
    lock = tmp_path / "contracts.lock.json"
    shutil.copyfile(LOCK_PATH, lock)
    aging = registry.get("receivables_aging")
    retyped = {**aging.columns["receivables_aging"], "open_invoices": "integer"}
    changed = build_contracts(with_columns(registry, "receivables_aging", "receivables_aging", retyped))

    with pytest.raises(VersionNotBumped) as refused:
        write_contracts(changed, folder=tmp_path / "docs", lock_path=lock)

    released = read_lock()["ads.receivables_aging"]["columns_hash"]
    assert f"ads.receivables_aging: columns or types changed (hash {released} -> " in str(refused.value)
    assert f"bump version in scenarios.yaml and run {REGENERATE}" in str(refused.value)
    assert not (tmp_path / "docs").exists() and lock.read_text() == LOCK_PATH.read_text()

    bumped = build_contracts(with_columns(registry, "receivables_aging", "receivables_aging", retyped,
                                          version="2.0.0"))
    written = write_contracts(bumped, folder=tmp_path / "docs", lock_path=lock)

    assert read_lock(lock)["ads.receivables_aging"]["version"] == "2.0.0" and lock in written
    assert published_contract("ads.receivables_aging", tmp_path / "docs")["columns"][3] == {
        "name": "open_invoices", "type": "integer"}


def test_should_refuse_a_version_that_goes_back(registry):
    older = registry.model_copy(update={"scenarios": [
        s.model_copy(update={"version": "0.9.0"}) if s.id == "fund_monitoring" else s for s in registry.scenarios]})

    assert lock_problems(build_contracts(older), read_lock()) == [
        "ads.fund_monitoring: version 0.9.0 is lower than the released 1.0.0; versions only go up: fix version in "
        "scenarios.yaml"]


def test_should_publish_one_contract_per_mart_with_grain_owner_deadline_gate_and_rules(registry):
    contracts = {c.table: c for c in build_contracts(registry)}

    assert list(contracts) == [t for s in registry.scenarios for t in s.publishes]
    for contract in contracts.values():
        scenario = registry.get(contract.scenario)
        assert set(contract.grain) <= {c.name for c in contract.columns}
        assert (contract.owner, contract.deadline, contract.timezone) == (scenario.owner, "08:00", "Asia/Shanghai")
        assert [g.table for g in contract.gate] == scenario.gate_tables and all(g.checks for g in contract.gate)
        assert contract.rules and contract.checks and contract.change_policy
    detail = contracts["ads.reconciliation_detail"]
    assert detail.grain == ["doc_type", "doc_id", "match_status"]
    assert any("only from its planned pay_date" in rule for rule in detail.rules)
    assert "matched rows have no amount difference" in [c.name for c in detail.checks]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"version": None}, "no 'version'; add version: 1.0.0"),
    ({"deadline": None}, "no 'deadline'"),
    ({"columns": {}}, "no 'columns' for budget_execution"),
    ({"columns": {"budget_execution": {"org_id": "text"}}}, "checks column(s) account_code, period, budget_amount"),
], ids=["no-version", "no-deadline", "no-columns", "undeclared-checked-columns"])
def test_should_name_the_table_and_the_fix_when_a_contract_is_incomplete(registry, changes, expected):
    scenario = registry.get("budget_execution").model_copy(update=changes)

    with pytest.raises(ContractIncomplete) as error:
        build_contract(scenario, "budget_execution")

    assert str(error.value).startswith("table=ads.budget_execution (scenario 'budget_execution' in scenarios.yaml)")
    assert expected in str(error.value) and REGENERATE in str(error.value)


def test_should_report_up_to_date_contracts_from_the_command_line(capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "contracts up to date\n"
