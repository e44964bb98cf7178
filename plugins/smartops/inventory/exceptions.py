"""The inventory assistant's errors; each message names the object, the rule and the fix."""

from __future__ import annotations

from smartops.errors import ConfigError


class TableNotFound(ConfigError):
    """The named Level-1 table is not in Level-1's catalog."""

    def __init__(self, table: str, where: str, others: list[str]) -> None:
        listed = ", ".join(others) if others else "none"
        super().__init__(
            f"table={table}: no such table at Level-1 ({where}); tables in that schema: {listed}. "
            'Fix the name: schema.table, with "quotes" around names that have capitals or spaces.'
        )
