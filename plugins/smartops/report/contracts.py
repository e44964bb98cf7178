"""The report's note on the marts' contracts: today's versions, and which changed since the report before.

Readers of the marts (the BI team) learn of a new column or a changed rule on the day its contract's
version changes: the report names the mart and the versions, and links to the contract.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from smartops.config.catalog import catalog
from smartops.contracts.build import build_contracts
from smartops.errors import ConfigError
from smartops.sqlfiles import named_sql

SQL = "report/contracts.sql"


def contract_figures(conn: psycopg.Connection, day: date) -> dict[str, Any]:
    """{versions: {table: version}, changes: [{table, from, to}]} — `from` is None for a new mart."""
    try:
        versions = {c.table: str(c.version) for c in build_contracts(catalog().scenarios)}
    except ConfigError as exc:  # an incomplete contract is the contract test's to refuse; the report goes on
        return {"versions": {}, "changes": [], "error": str(exc)}
    row = conn.execute(named_sql(SQL, "previous_versions"), {"day": day}).fetchone()
    before = (row["versions"] if isinstance(row, dict) else row[0]) if row else None
    if before is None:  # the first report that records versions: nothing to compare with
        return {"versions": versions, "changes": []}
    changes = [{"table": table, "from": before.get(table), "to": version}
               for table, version in versions.items() if before.get(table) != version]
    return {"versions": versions, "changes": changes}
