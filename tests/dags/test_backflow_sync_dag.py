"""backflow_sync end to end through Airflow: dag.test() on seeded demo data, bad triggers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from airflow.sdk.definitions.param import ParamValidationError

from smartops.business_date import BUSINESS_TZ
from smartops.config.inventory import load_inventory
from tests.conftest import ROOT, airflow_uri, reader_of
from tests.support.helpers import assert_ods_equals_level1, task_states


@pytest.fixture
def dag(dagbag):
    return dagbag.get_dag("backflow_sync")


def test_should_reject_a_table_outside_the_inventory_before_anything_runs(dag, airflow_connections, warehouse):
    with pytest.raises(ParamValidationError, match="no_such_table"):
        dag.test(run_conf={"tables": ["no_such_table"]})
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM ops.sync_ledger").fetchone()[0] == 0


@pytest.fixture
def seeded_level1(demo_level1: str, warehouse: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Demo Level-1 data (admin conninfo) and an empty warehouse, as the DAG's connections."""
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", airflow_uri(reader_of(demo_level1)))
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
    return demo_level1


def assert_every_table_equal(level1: str, warehouse: str) -> None:
    for table in load_inventory().tables:
        assert_ods_equals_level1(level1, warehouse, table)


@pytest.mark.slow
def test_should_keep_ods_equal_to_level1_over_three_simulated_days(
    dag, seeded_level1, warehouse
):
    from workbench.demo.simulator import simulate_day

    # Four nights in a row, each run standing for the day before it (its first sync of that business date
    # reconciles every table whole and marks key_compare deletions).
    nights = [datetime.now(UTC) - timedelta(days=3 - n) for n in range(4)]
    run = dag.test(logical_date=nights[0])
    assert set(task_states(run).values()) == {"success"}, task_states(run)
    assert_every_table_equal(seeded_level1, warehouse)
    for night in nights[1:]:
        day = simulate_day(seeded_level1, dirty_rate=0.02)
        run = dag.test(logical_date=night)
        assert set(task_states(run).values()) == {"success"}, (day.day, task_states(run))
        assert_every_table_equal(seeded_level1, warehouse)
    with psycopg.connect(warehouse) as conn:
        deleted = conn.execute("SELECT sum(rows_deleted) FROM ops.sync_ledger").fetchone()[0]
        modes = {m for (m,) in conn.execute("SELECT DISTINCT mode FROM ops.sync_ledger")}
        events = conn.execute("SELECT count(*) FROM ops.sync_ledger WHERE status = 'success'").fetchone()[0]
    assert deleted > 0, "the simulated days hard-delete rows; key_compare must have marked some"
    assert modes == {"initial", "incremental", "full"}
    assert events == 4 * len(load_inventory().tables)
    extra = latest_asset_event_extra("ods.gl_voucher_line")
    assert extra["table"] == "gl_voucher_line" and extra["mode"] == "incremental"
    assert extra["watermark"] and extra["rows_read"] > 0
    with psycopg.connect(warehouse) as conn:  # every run stands for the day before it (Asia/Shanghai)
        dates = [d for (d,) in conn.execute("SELECT DISTINCT business_date FROM ops.sync_ledger ORDER BY 1")]
        scopes = {s for (s,) in conn.execute("SELECT DISTINCT reconcile_scope FROM ops.sync_ledger")}
    assert dates == [night.astimezone(BUSINESS_TZ).date() - timedelta(days=1) for night in nights]
    assert scopes == {"table"}, "each night is the first sync of its business date"


def latest_asset_event_extra(asset_name: str) -> dict:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        return session.scalars(
            select(AssetEvent.extra).join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.name == asset_name).order_by(AssetEvent.id.desc()).limit(1)
        ).one()


@pytest.mark.slow
def test_should_fail_only_the_task_whose_level1_table_is_missing(dag, seeded_level1, warehouse):
    with psycopg.connect(seeded_level1, autocommit=True) as conn:
        conn.execute("DROP TABLE l1.budget")
    run = dag.test()
    states = task_states(run)
    assert states.pop("budget") == "failed"
    assert set(states.values()) == {"success"}, states
    with psycopg.connect(warehouse) as conn:
        error = conn.execute("SELECT error FROM ops.sync_ledger WHERE table_name = 'budget'").fetchone()[0]
    assert "l1.budget does not exist" in error


def test_should_sync_only_the_chosen_tables(dag, seeded_level1, warehouse):
    run = dag.test(run_conf={"tables": ["account", "org_unit"]})
    states = task_states(run)
    assert {t for t, s in states.items() if s == "success"} == {"check_inventory", "account", "org_unit"}
    assert {s for t, s in states.items() if t not in {"check_inventory", "account", "org_unit"}} == {"skipped"}


def test_should_check_the_chosen_entries_live_before_the_loads_and_keep_their_findings(dag, seeded_level1, warehouse):
    """The shipped bank_account entry's cursor has no index at Level-1: amber, a low item; account is green."""
    run = dag.test(run_conf={"tables": ["bank_account", "account"]})
    assert task_states(run)["check_inventory"] == "success"
    with psycopg.connect(warehouse) as conn:
        health = dict(conn.execute("SELECT table_name, status FROM ops.inventory_health").fetchall())
        items = conn.execute("SELECT fingerprint, severity, category FROM ops.backlog_item "
                             "WHERE fingerprint LIKE 'inventory_check:%'").fetchall()
    assert health == {"bank_account": "amber", "account": "green"}
    assert items == [("inventory_check:bank_account:cursor_indexed", "low", "sync")]
    with psycopg.connect(seeded_level1, autocommit=True) as conn:  # Level-1 adds the index: the item resolves
        conn.execute("CREATE INDEX ON l1.bank_account (updated_at)")
    dag.test(run_conf={"tables": ["bank_account"]})
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT status FROM ops.backlog_item WHERE fingerprint = "
                            "'inventory_check:bank_account:cursor_indexed'").fetchone() == ("resolved",)


def test_should_refuse_a_future_resync_bound_without_reading_or_retrying(dag, seeded_level1, warehouse):
    run = dag.test(run_conf={"tables": ["account"], "resync_from": "2999-01-01T00:00:00+08:00"})
    assert task_states(run)["account"] == "failed"
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM ops.sync_ledger").fetchone()[0] == 0, "nothing ran"
        assert conn.execute("SELECT count(*) FROM ops.table_state").fetchone()[0] == 0, "no watermark moved"


def test_should_build_one_task_per_table_of_the_inventory_named_by_smartops_inventory_path(tmp_path):
    inventory = tmp_path / "backflow_tables.yaml"
    inventory.write_text(
        "defaults: {cursor: updated_at, owner: finance-data, severity: medium, freshness_sla: 26h}\n"
        "tables:\n" + "".join(f"  - {{name: t{i}, source: l1.t{i}, primary_key: [id]}}\n" for i in range(3)))
    child = ("from airflow.dag_processing.dagbag import DagBag; import sys; "
             "print(sorted(DagBag(dag_folder=sys.argv[1]).dags['backflow_sync'].task_ids))")
    out = subprocess.run([sys.executable, "-c", child, str(ROOT / "dags" / "backflow_sync.py")], check=True,
                         capture_output=True, text=True, env={**os.environ, "SMARTOPS_INVENTORY_PATH": str(inventory)})
    assert out.stdout.split("\n")[-2] == "['check_inventory', 't0', 't1', 't2']"


def test_should_hold_one_level1_pool_slot_per_connection_a_sync_opens(dag):
    from smartops.backflow import SOURCE_SESSIONS
    from workbench.setup import POOL

    slots = {t.task_id: (t.pool, t.pool_slots) for t in dag.tasks}
    assert slots.pop("check_inventory") == ("level1_source", 1), "the check reads through one connection"
    assert set(slots.values()) == {("level1_source", SOURCE_SESSIONS)}
    size = int(POOL[1])
    assert size >= SOURCE_SESSIONS and size % SOURCE_SESSIONS == 0, "the pool counts Level-1 connections"
