"""Helpers shared by tests: queries, syncing every table, DAG parsing, comparing Level-1 with ods."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from smartops.backflow.schema import read_columns
from smartops.config.inventory import BackflowTable


def query(conninfo: str, statement: str, params: tuple | dict | None = None) -> list[tuple]:
    """All rows of one statement."""
    with psycopg.connect(conninfo) as conn:
        return conn.execute(statement, params).fetchall()


def scalar(conninfo: str, statement: str, *params: object) -> Any:
    """The first column of the first row of one statement (None when there is no row)."""
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(statement, params or None).fetchone()
    return row[0] if row else None


def sync_all(level1: str, warehouse: str, run_id: str, **options: Any) -> None:
    """Backflow every inventory table once, as one backflow_sync run does."""
    from smartops.backflow.sync import sync_table
    from smartops.config.inventory import load_inventory

    for table in load_inventory().tables:
        sync_table(table, source=level1, warehouse=warehouse, run_id=run_id, **options)


def parse_dag(dag_id: str):
    """Parse dags/<dag_id>.py afresh (for tests that change the DAG object, e.g. its retries)."""
    from airflow.dag_processing.dagbag import DagBag

    from tests.conftest import ROOT

    dag = DagBag(dag_folder=str(ROOT / "dags" / f"{dag_id}.py")).get_dag(dag_id)
    assert dag is not None, f"dags/{dag_id}.py defines no DAG {dag_id!r}"
    return dag


def asset_events(dag_id: str, run_id: str) -> dict[str, dict]:
    """Map asset name -> extra of the events one run emitted."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = (session.query(AssetModel.name, AssetEvent.extra)
                .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
                .filter(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == run_id).all())
    return dict(rows)


def task_states(dag_run) -> dict[str, str]:
    """Map task id -> state of a finished dag.test() run."""
    return {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}


def table_hash(conninfo: str, schema: str, table: str, columns: list[str], key: list[str], where: str = "") -> tuple:
    """Return (row count, md5 over all rows ordered by key) of the given columns."""
    with psycopg.connect(conninfo) as conn:
        return conn.execute(sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY {key}), '')) "
            "FROM (SELECT {columns} FROM {table} {where}) r"
        ).format(
            key=sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(k)) for k in key),
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            table=sql.Identifier(schema, table), where=sql.SQL(where),
        )).fetchone()


def assert_ods_equals_level1(level1: str, warehouse: str, table: BackflowTable) -> None:
    """ods.<table>'s live rows equal the Level-1 table, column for column."""
    with psycopg.connect(level1) as conn:
        columns = list(read_columns(conn, table.source_schema, table.source_table))
    source = table_hash(level1, table.source_schema, table.source_table, columns, table.primary_key)
    ods = table_hash(warehouse, "ods", table.name, columns, table.primary_key, "WHERE _deleted_at IS NULL")
    assert ods == source, f"ods.{table.name} differs from {table.source}: ods={ods} level1={source}"
