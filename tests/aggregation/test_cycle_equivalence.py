"""The daily cycle's faster paths equal its full paths: after several simulated days (late changes, voids,
hard deletes) the marts built from the incremental models equal the marts built from a full rebuild, row
for row, and the quality scans of the builds' changes reach the verdicts of whole-table scans."""

from __future__ import annotations

import psycopg
from psycopg import sql

from smartops.config.catalog import load_policy, load_scenarios
from smartops.quality.checkfiles import discover, select
from smartops.quality.runner import run_quality_scan
from smartops.scenarios.refresh import Status, refresh_scenario
from tests.aggregation.test_incremental import build_every
from tests.conftest import DEMO_END
from tests.support.helpers import query, sync_all
from workbench.demo.simulator import simulate_day

MODEL_LAYERS = ("dwd", "dws")
# Existence is tested, not counted, in a scan of changes; the age of the newest row moves with the clock.
NOT_COMPARED = {"has rows", "loaded within SLA"}


def scan_models(warehouse: str, day, run_id: str, *, whole: bool = False):
    policy = load_policy()
    if whole:
        policy = policy.model_copy(update={"full_scan": "every 1 scan"})
    files = [f for layer in MODEL_LAYERS for f in select(discover(), layer=layer)]
    return run_quality_scan(warehouse, files, run_id=run_id, business_date=day, policy=policy)


def verdicts(report) -> dict[tuple[str, str], tuple[str, float | None]]:
    return {(r.table_name, r.check_name): (r.outcome.value, None if r.check_name in NOT_COMPARED else r.measured_value)
            for r in report.results}


def publish_all(warehouse: str, day, run_id: str) -> list[str]:
    tables = []
    for scenario in load_scenarios().scenarios:
        result = refresh_scenario(scenario, warehouse=warehouse, business_date=day, run_id=run_id, gate=False)
        assert result.status is Status.PUBLISHED, (scenario.id, result.reason)
        tables += scenario.tables
    return tables


def differences(warehouse: str, table: str) -> tuple[int, int]:
    """Rows only in the copy built from the incremental models, rows only in the mart built after a full rebuild."""
    mart, copy = sql.Identifier("ads", table), sql.Identifier("ads", f"{table}__incremental")
    with psycopg.connect(warehouse) as conn:
        return conn.execute(sql.SQL(
            "SELECT (SELECT count(*) FROM (TABLE {c} EXCEPT ALL TABLE {m}) a), "
            "(SELECT count(*) FROM (TABLE {m} EXCEPT ALL TABLE {c}) b)").format(c=copy, m=mart)).fetchone()


def test_should_publish_the_same_marts_and_verdicts_from_the_incremental_cycle_as_from_the_full_one(
        demo_level1, demo_warehouse):
    build_every(demo_warehouse, DEMO_END, "aggregation__day0")
    scan_models(demo_warehouse, DEMO_END, "quality__day0")
    for index in range(1, 4):
        day = simulate_day(demo_level1, dirty_rate=0.02)
        sync_all(demo_level1, demo_warehouse, run_id=f"backflow__day{index}")
        build_every(demo_warehouse, day.day, f"aggregation__day{index}")
        changes = scan_models(demo_warehouse, day.day, f"quality__day{index}")
    scoped = dict(query(demo_warehouse, "SELECT table_name, scope FROM ops.quality_scan_scope WHERE scan_id = %s",
                        (changes.scan_id,)))
    assert scoped["dwd.voucher_line"] == scoped["dws.gl_balance"] == scoped["dwd.expense_claim"] == "changes", scoped
    assert scoped["dwd.org_unit"] == "table"  # rebuilt in full every run

    whole = scan_models(demo_warehouse, day.day, "quality__whole", whole=True)
    assert verdicts(changes) == verdicts(whole)

    tables = publish_all(demo_warehouse, day.day, "scenario__incremental")
    with psycopg.connect(demo_warehouse) as conn:
        for table in tables:
            conn.execute(sql.SQL("CREATE TABLE {} AS TABLE {}").format(
                sql.Identifier("ads", f"{table}__incremental"), sql.Identifier("ads", table)))
    build_every(demo_warehouse, day.day, "aggregation__full", full_rebuild=True)
    publish_all(demo_warehouse, day.day, "scenario__full")
    for table in tables:
        assert query(demo_warehouse, sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier("ads", table)).as_string())[0][0] > 0, table
        assert differences(demo_warehouse, table) == (0, 0), table
