"""The contracts' errors; each message names the scenario or table, the rule and the fix."""

from __future__ import annotations

from smartops.contracts.model import REGENERATE
from smartops.errors import ConfigError


class ContractIncomplete(ConfigError):
    """A published mart lacks what its contract needs (version, deadline, columns, grain)."""

    def __init__(self, table: str, scenario: str, problem: str, fix: str) -> None:
        super().__init__(f"table={table} (scenario {scenario!r} in scenarios.yaml): {problem}; {fix}, then run "
                         f"{REGENERATE}")


class VersionNotBumped(ConfigError):
    """A mart's columns or types changed while its contract version stayed (or went back)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
