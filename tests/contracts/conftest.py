"""Fixtures: the scenario tests' hand-built warehouse (every dwd/dws model built) and the registry."""

from tests.scenarios.conftest import built, registry  # noqa: F401  (fixtures reused as they are)
