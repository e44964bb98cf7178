"""Build each ads mart's contract from scenarios.yaml, its SodaCL checks and its declared columns."""

from __future__ import annotations

from smartops.business_date import BUSINESS_TZ
from smartops.config.scenarios import Scenario, ScenarioRegistry
from smartops.contracts import sodacl
from smartops.contracts.exceptions import ContractIncomplete
from smartops.contracts.model import CHANGE_POLICY, Contract, ContractColumn, GateTable, columns_hash
from smartops.paths import PROJECT_ROOT, SODA_DIR


def build_contracts(registry: ScenarioRegistry) -> list[Contract]:
    """Return the contract of every published ads table, in scenarios.yaml order.

    Raise ContractIncomplete naming the table and the fix when a scenario lacks a version, a
    deadline, the columns of a table, or its checks lack a grain or require undeclared columns.
    """
    return [build_contract(scenario, table) for scenario in registry.scenarios for table in scenario.tables]


def build_contract(scenario: Scenario, table: str) -> Contract:
    """Return the contract of `table` (a bare name the scenario publishes)."""
    qualified = f"ads.{table}"

    def incomplete(problem: str, fix: str) -> ContractIncomplete:
        return ContractIncomplete(qualified, scenario.id, problem, fix)

    if scenario.version is None:
        raise incomplete("no 'version'", "add version: 1.0.0 to the scenario")
    if scenario.deadline is None:
        raise incomplete("no 'deadline'", 'add the publish time of day, e.g. deadline: "08:00"')
    declared = scenario.columns.get(table)
    if not declared:
        raise incomplete(f"no 'columns' for {table}", f"add columns: {{{table}: {{column: type, …}}}} as the built "
                         "table has them (format_type names: text, bigint, numeric, date, boolean …)")
    check_file = scenario.check_path(table)
    grain = sodacl.grain(check_file, table)
    if not grain:
        raise incomplete(f"{check_file.name} has no duplicate_count(…) = 0 check",
                         "add one on the table's grain (the contract's key comes from it)")
    undeclared = [c for c in [*grain, *sodacl.required_columns(check_file, table)] if c not in declared]
    if undeclared:
        raise incomplete(f"{check_file.name} checks column(s) {', '.join(dict.fromkeys(undeclared))} that 'columns' "
                         "does not declare", "declare them, or fix the check")
    columns = [ContractColumn(name=name, type=type_) for name, type_ in declared.items()]
    return Contract(
        table=qualified, version=scenario.version, scenario=scenario.id, title_zh=scenario.title_zh,
        title_en=scenario.title_en, owner=scenario.owner, description=scenario.description,
        deadline=scenario.deadline, timezone=str(BUSINESS_TZ), freshness_sla=scenario.freshness_sla, grain=grain,
        columns=columns, columns_hash=columns_hash(columns), inputs=list(scenario.inputs),
        gate=[_gate_table(name) for name in scenario.gate_tables],
        checks=sodacl.read_checks(check_file, table), rules=list(scenario.rules), change_policy=list(CHANGE_POLICY),
    )


def _gate_table(qualified: str) -> GateTable:
    layer, table = qualified.split(".", 1)
    path = SODA_DIR / layer / f"{table}.yml"
    if not path.is_file():
        return GateTable(table=qualified, check_file=None, checks=[])
    return GateTable(table=qualified, check_file=str(path.relative_to(PROJECT_ROOT)),
                     checks=[c.name for c in sodacl.read_checks(path, table)])
