"""The console's pages for the outside: the inventory's live health, onboarding a Level-1 table, mart contracts,
and 一级协同 — what each Level-1 team still owes us, how long it waited, which digests reached them.

Inventory health reads what backflow_sync's check_inventory recorded (ops.inventory_health); onboarding runs
`smartops.inventory.propose` against Level-1 through the read-only connection (the same YAML as the CLI);
contracts are built from scenarios.yaml and the marts' checks, as docs/contracts/ holds them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import psycopg

from smartops.business_date import BUSINESS_TZ
from smartops.config.catalog import catalog
from smartops.console.db import read_session
from smartops.console.errors import ConsoleError, NotFound
from smartops.contracts.build import build_contracts
from smartops.inventory.exceptions import TableNotFound
from smartops.inventory.health import latest_health
from smartops.inventory.propose import propose
from smartops.inventory.render import proposal_yaml
from smartops.report.upstream import SQL as UPSTREAM_SQL
from smartops.report.upstream import upstream_figures
from smartops.sqlfiles import named_sql
from smartops.warehouse.connections import LEVEL1_CONN_ID, conninfo, describe

UPSTREAM_WINDOW = timedelta(days=30)  # the time-to-resolve split covers the items resolved in this window
RECENT_DIGESTS = 30
# schema.table as Level-1 names it (quoted identifiers are not offered here: the CLI takes them)
_SOURCE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}\.[A-Za-z_][A-Za-z0-9_$]{0,62}$")


class Level1Unavailable(ConsoleError):
    """Level-1 could not be read for a proposal (the connection is missing or the server is down)."""

    status_code = 503


class BadSource(ConsoleError):
    status_code = 422


def inventory_health_view(warehouse: str) -> dict[str, Any]:
    """Every inventory entry's newest live check: status and each finding's reason, worst first."""
    inventory = catalog().inventory
    with read_session(warehouse) as conn:
        entries = latest_health(conn, inventory.names)
    for entry in entries:
        spec = inventory.by_name[entry["table_name"]]
        entry.update(source=spec.source, owner=spec.owner, level1_owner=spec.level1_owner)
        entry["findings"] = sorted(entry["findings"], key=lambda f: ("red", "amber", "green").index(f["status"]))
    counts = {status: sum(e["status"] == status for e in entries) for status in ("red", "amber", "green", None)}
    return {"entries": entries, "counts": {str(k).lower(): v for k, v in counts.items()}}


def onboard_view(source: str | None) -> dict[str, Any]:
    """A ready inventory entry for Level-1 table `source` (schema.table), or just the form when none is asked."""
    if not source:
        return {"source": None, "yaml": None, "warnings": []}
    if not _SOURCE.match(source):
        raise BadSource(f"{source!r} is not schema.table (e.g. l1.gl_voucher); quoted names: use "
                        "`python -m smartops inventory propose`")
    try:
        level1 = conninfo(LEVEL1_CONN_ID)
    except Exception as exc:  # the connection is not defined on this API server
        raise Level1Unavailable(f"Airflow connection {LEVEL1_CONN_ID} is not defined here ({type(exc).__name__}); "
                                "define it on the API server to onboard from the console") from exc
    try:
        proposal = propose(level1, source)
    except TableNotFound as exc:
        raise NotFound(str(exc)) from exc
    except psycopg.OperationalError as exc:
        raise Level1Unavailable(f"Level-1 {describe(level1)} cannot be reached ({type(exc).__name__})") from exc
    already = [t.name for t in catalog().inventory.tables if t.source == str(proposal.source)]
    return {"source": str(proposal.source), "yaml": proposal_yaml(proposal), "already": already,
            "warnings": [{"kind": w.kind.value, "message": w.message} for w in proposal.warnings]}


def contracts_view() -> list[dict[str, Any]]:
    """Every published mart's contract (what docs/contracts/<table>.json holds), in scenarios.yaml order."""
    return [contract.model_dump(mode="json") for contract in build_contracts(catalog().scenarios)]


def contract_view(table: str) -> dict[str, Any]:
    """One mart's contract by table name (bare or ads.-qualified); NotFound lists the published ones."""
    contracts = {c["table"]: c for c in contracts_view()}
    qualified = table if table.startswith("ads.") else f"ads.{table}"
    if qualified not in contracts:
        raise NotFound(f"no contract for {table!r}: the published marts are {', '.join(contracts)}")
    return contracts[qualified]


def upstream_view(warehouse: str, owner: str | None = None) -> dict[str, Any]:
    """一级协同: open upstream items by owner and age, the 30-day time to resolve split ours / Level-1's,
    the recent digests and whether they were delivered; `owner` narrows to one Level-1 team."""
    today = datetime.now(BUSINESS_TZ).date()
    with read_session(warehouse) as conn:
        figures = upstream_figures(conn, today - UPSTREAM_WINDOW + timedelta(days=1), today)
        digests = conn.execute(named_sql(UPSTREAM_SQL, "recent_digests"), {"limit": RECENT_DIGESTS}).fetchall()
    owners = sorted({t.level1_owner for t in catalog().inventory.tables if t.level1_owner})
    if owner:
        figures["open"] = [o for o in figures["open"] if o["owner"] == owner]
        digests = [d for d in digests if d["level1_owner"] == owner]
    return {"owner": owner, "owners": owners, "window_days": UPSTREAM_WINDOW.days, **figures, "digests": digests}
