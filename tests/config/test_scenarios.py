"""The scenario registry: the real file loads; bad entries fail naming file, entry and field."""

from __future__ import annotations

import pytest
import yaml

from smartops.config.catalog import load_scenarios
from smartops.config.loader import ConfigError
from smartops.config.scenarios import SCENARIOS_PATH, UnknownScenario

FIVE = ["expense_analysis", "fund_monitoring", "receivables_aging", "budget_execution", "reconciliation"]


@pytest.fixture
def registry():
    return load_scenarios()


def write_registry(tmp_path, **changes) -> object:
    """Copy the real registry with entry #1 changed (or an entry appended) and return its path."""
    data = yaml.safe_load(SCENARIOS_PATH.read_text(encoding="utf-8"))
    if "append" in changes:
        data["scenarios"].append(changes.pop("append"))
    data["scenarios"][0].update(changes)
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_should_load_the_five_scenarios_with_existing_sql_and_checks(registry):
    assert [s.id for s in registry.scenarios] == FIVE
    for scenario in registry.scenarios:
        assert scenario.sql_path.is_file()
        assert all(scenario.check_path(table).is_file() for table in scenario.tables)
        assert scenario.gate_tables == scenario.inputs
    assert registry.get("reconciliation").publishes == ["ads.reconciliation_detail", "ads.reconciliation_summary"]


@pytest.mark.parametrize("changes, expected", [
    ({"inputs": ["dws.expense_monthly", "dws.no_such_table"]},
     "entry 'expense_analysis' (#1), field 'inputs': 'dws.no_such_table' is neither an ods table"),
    ({"sql": "ads/no_such_file.sql"}, "field 'sql': SQL file"),
    ({"append": {**yaml.safe_load(SCENARIOS_PATH.read_text(encoding="utf-8"))["scenarios"][1]}},
     "field 'id': duplicate scenario id 'fund_monitoring'"),
    ({"publishes": ["ads.no_such_section"]},
     "statement 'no_such_section' is not in include/sql/ads/expense_analysis.sql"),
    ({"inputs": ["expense_monthly"]}, "field 'inputs.0'"),
    ({"publishes": ["dws.expense_monthly"]}, "is not an ads table name"),
], ids=["unknown-input", "missing-sql-file", "duplicate-id", "no-sql-section", "unqualified-input", "not-ads"])
def test_should_reject_bad_entries_with_clear_errors(tmp_path, changes, expected):
    path = write_registry(tmp_path, **changes)

    with pytest.raises(ConfigError) as error:
        load_scenarios(path)

    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_should_list_the_valid_ids_for_an_unknown_scenario(registry):
    with pytest.raises(UnknownScenario, match="valid scenarios: expense_analysis, fund_monitoring"):
        registry.get("cash_forecast")


@pytest.mark.parametrize("changes, expected", [
    ({"columns": {"no_such_table": {"a": "text"}}}, "field 'columns': no_such_table not published by the scenario"),
    ({"deadline": 630}, "field 'deadline': Value error, 630 is not a time of day like \"08:00\""),
    ({"version": "1.0"}, "'1.0' is not a version like 1.0.0"),
    ({"columns": {"expense_analysis": {"amount": "numeric; drop table x"}}}, "is not a PostgreSQL type"),
], ids=["columns-of-unpublished-table", "unquoted-deadline", "bad-version", "bad-type"])
def test_should_reject_bad_contract_fields(tmp_path, changes, expected):
    with pytest.raises(ConfigError, match="entry 'expense_analysis' \\(#1\\)") as error:
        load_scenarios(write_registry(tmp_path, **changes))

    assert expected in str(error.value)
