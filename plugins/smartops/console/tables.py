"""The Table page's data: one inventory table's sync history, schema changes, reconciliation, quality, impact."""

from __future__ import annotations

from typing import Any

from smartops.config.catalog import catalog
from smartops.console.db import read_session
from smartops.console.errors import NotFound
from smartops.scenarios.impact import affected_scenarios
from smartops.sqlfiles import named_sql

SQL = "console/table.sql"
LEDGER_LIMIT = 60
HISTORY_LIMIT = 100


SYNC_DAG = "backflow_sync"


def task_tables(dag_id: str, task_id: str) -> list[str]:
    """The inventory tables an Airflow task syncs (the task instance tab's target); NotFound for any other task."""
    tables = dict(catalog().inventory.sync_tasks()).get(task_id) if dag_id == SYNC_DAG else None
    if not tables:
        raise NotFound(f"{dag_id}.{task_id} has no table page: the console's table pages are for the tasks of "
                       f"{SYNC_DAG} (one per inventory table or batch)")
    return [table.name for table in tables]


def table_view(warehouse: str, name: str, *, triager: bool = False) -> dict[str, Any]:
    """Return the page of inventory table `name`: newest sync runs first (LEDGER_LIMIT), the latest
    schema changes and reconciliations (HISTORY_LIMIT), the newest day's quality results and the
    scenarios downstream with their lineage paths. Raises NotFound naming the valid tables."""
    inventory = catalog().inventory
    table = inventory.by_name.get(name)
    if table is None:
        raise NotFound(f"table {name!r} is not in the backflow inventory (backflow_tables.yaml); valid tables: "
                       f"{', '.join(inventory.names)}")
    params = {"table": table.name, "qualified": table.target, "limit": HISTORY_LIMIT}
    with read_session(warehouse) as conn:
        state = conn.execute(named_sql(SQL, "state"), params).fetchone()
        ledger = conn.execute(named_sql(SQL, "ledger"), {**params, "limit": LEDGER_LIMIT}).fetchall()
        changes = conn.execute(named_sql(SQL, "schema_changes"), params).fetchall()
        reconciliation = conn.execute(named_sql(SQL, "reconciliation"), params).fetchall()
        quality = conn.execute(named_sql(SQL, "quality"), params).fetchall()
    if not triager:  # failed-row samples are Level-1 rows: only those who may triage see them
        quality = [{**q, "failed_rows_sample": None} for q in quality]
    return {
        "table": table.name, "target": table.target, "source": table.source, "description": table.description,
        "owner": table.owner, "severity": table.severity.value, "mode": table.mode.value,
        "freshness_sla": table.freshness_sla, "primary_key": table.primary_key, "cursor": table.cursor,
        "amount_columns": table.amount_columns, "state": state,
        "ledger": ledger, "schema_changes": changes, "reconciliation": reconciliation, "quality": quality,
        "downstream": [{"id": i.scenario.id, "title": i.scenario.title, "path": list(i.path)}
                       for i in affected_scenarios(table.target)],
    }
