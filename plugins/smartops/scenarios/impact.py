"""Impact analysis: which scenario marts a broken table makes stale, from the declared lineage.

The lineage is derived, never hand-kept: the aggregation models' `inputs` (models.yaml, via
`model_dependencies()`) and the scenarios' `inputs` / `publishes` (scenarios.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

from smartops.config.catalog import catalog, model_dependencies
from smartops.config.scenarios import Scenario
from smartops.scenarios.exceptions import UnknownTable

# The reject list holds rows of every ods table keyed by source table, and each dwd model reads
# only the rows of the ods tables it reads itself: a broken ods table reaches a model through it
# only when the model also reads that ods table.
REJECT_MODEL = "dwd.reject"


@dataclass(frozen=True)
class Impact:
    """One affected scenario and the lineage path from the broken table to it."""

    scenario: Scenario
    path: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.scenario.id} ({self.scenario.title}) via {' → '.join(self.path)}"


def _readers(dependencies: dict[str, list[str]]) -> dict[str, list[str]]:
    """Invert `model -> inputs` into `table -> models reading it`."""
    readers: dict[str, list[str]] = {}
    for model, inputs in dependencies.items():
        for table in inputs:
            readers.setdefault(table, []).append(model)
    return readers


def _passes(path: tuple[str, ...], reader: str, dependencies: dict[str, list[str]]) -> bool:
    """Whether a problem travelling along `path` reaches `reader` (see REJECT_MODEL)."""
    if path[-1] != REJECT_MODEL or len(path) < 2 or not path[-2].startswith("ods."):
        return True
    return path[-2] in dependencies.get(reader, [])


def affected_scenarios(table: str) -> list[Impact]:
    """Return the scenarios downstream of `table` (layer.table at ods, dwd, dws or ads), registry order.

    Each comes with the shortest lineage path. An ads table affects the scenario publishing it.
    Raise UnknownTable listing the valid names when no layer knows `table`.
    Scenarios and model dependencies are the catalog's.
    """
    registry, dependencies = catalog().scenarios, model_dependencies()
    known = ({f"ods.{name}" for name in catalog().inventory.names} | set(dependencies)
             | {t for s in registry.scenarios for t in s.publishes})
    if table not in known:
        raise UnknownTable(table, sorted(known))
    readers = _readers(dependencies)
    paths: dict[str, tuple[str, ...]] = {table: (table,)}
    frontier = [table]
    while frontier:  # breadth first: the first path found to a table is a shortest one
        current = frontier.pop(0)
        for reader in readers.get(current, []):
            if reader not in paths and _passes(paths[current], reader, dependencies):
                paths[reader] = (*paths[current], reader)
                frontier.append(reader)
    impacts = []
    for scenario in registry.scenarios:
        if table in scenario.publishes:
            impacts.append(Impact(scenario, (table,)))
            continue
        reached = [paths[t] for t in scenario.inputs if t in paths]
        if reached:
            impacts.append(Impact(scenario, (*min(reached, key=len), f"ads:{scenario.id}")))
    return impacts


def impact_summary(table: str) -> str:
    """One line for alerts and the report: `ods.ar_invoice failed → 应收账龄 and 业财对账 are stale`."""
    impacts = affected_scenarios(table)
    if not impacts:
        return f"{table}: no scenario mart reads it"
    titles = [i.scenario.title_zh for i in impacts]
    joined = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
    return f"{table} failed → {joined} {'is' if len(titles) == 1 else 'are'} stale"
