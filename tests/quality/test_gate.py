"""The quality gate answers from stored results: latest result per check for the business date."""

from __future__ import annotations

import psycopg
import pytest

from smartops.quality.checkfiles import discover, select
from smartops.quality.exceptions import InvalidGateRequest
from smartops.quality.gate import check_gate
from smartops.quality.runner import run_quality_scan
from tests.quality.conftest import BUSINESS_DATE
from tests.support.helpers import sync_all
from workbench.demo.simulator import simulate_day

LEDGER = ["ods.gl_voucher", "ods.gl_voucher_line"]


def scan_tables(warehouse: str, tables: list[str], run_id: str = "test__gate") -> None:
    files = [f for table in tables for f in select(discover(), table=table)]
    run_quality_scan(warehouse, files, run_id=run_id, business_date=BUSINESS_DATE)


def test_should_pass_tables_whose_checks_all_passed(demo_warehouse):
    scan_tables(demo_warehouse, [*LEDGER, "ods.expense_claim"])

    decision = check_gate(demo_warehouse, [*LEDGER, "ods.expense_claim"], BUSINESS_DATE)
    assert (decision.passed, decision.reasons) == (True, [])
    assert set(decision.builds) == {*LEDGER, "ods.expense_claim"}
    assert all(build.startswith("sync:") for build in decision.builds.values())


def test_should_refuse_with_reasons_when_a_fail_level_check_failed(demo_level1, demo_warehouse):
    day = simulate_day(demo_level1, dirty_rate=0.02)
    sync_all(demo_level1, demo_warehouse, run_id="backflow__day")
    scan_tables(demo_warehouse, [*LEDGER, "ods.expense_claim"])

    decision = check_gate(demo_warehouse, [*LEDGER, "ods.expense_claim"], BUSINESS_DATE)

    assert not decision.passed
    assert len(decision.reasons) == 2, decision.reasons  # expense_claim only warns: it passes
    unbalanced = len(day.dirty["unbalanced_voucher"])
    assert decision.reasons[0].startswith("ods.gl_voucher: check 'voucher debit equals credit' fail at ")
    assert f"value={unbalanced}" in decision.reasons[0] and "fail when failed rows > 0" in decision.reasons[0]
    assert decision.reasons[1].startswith("ods.gl_voucher_line: check 'voucher lines reference a voucher' fail")


def test_should_answer_from_the_latest_result_of_each_check(demo_level1, demo_warehouse):
    day = simulate_day(demo_level1, dirty_rate=0.02)
    sync_all(demo_level1, demo_warehouse, run_id="backflow__day")
    scan_tables(demo_warehouse, ["ods.gl_voucher"], run_id="first")
    assert not check_gate(demo_warehouse, ["ods.gl_voucher"], BUSINESS_DATE).passed

    with psycopg.connect(demo_warehouse) as conn:  # the unbalanced vouchers are withdrawn
        conn.execute("UPDATE ods.gl_voucher SET _deleted_at = now() WHERE voucher_id = ANY(%s)",
                     ([key for _, key in day.dirty["unbalanced_voucher"]],))
    scan_tables(demo_warehouse, ["ods.gl_voucher"], run_id="second")

    assert check_gate(demo_warehouse, ["ods.gl_voucher"], BUSINESS_DATE).passed


def test_should_refuse_a_build_that_no_scan_checked(demo_level1, demo_warehouse):
    scan_tables(demo_warehouse, ["ods.gl_voucher"])
    assert check_gate(demo_warehouse, ["ods.gl_voucher"], BUSINESS_DATE).passed
    simulate_day(demo_level1, dirty_rate=0.0)
    sync_all(demo_level1, demo_warehouse, run_id="backflow__day")  # a new build of every ods table

    decision = check_gate(demo_warehouse, ["ods.gl_voucher", "dws.gl_balance"], BUSINESS_DATE)

    assert not decision.passed
    assert decision.reasons[0].startswith("ods.gl_voucher: its current build (sync:")
    assert "has not been scanned; run quality_scan for it (table=ods.gl_voucher) first" in decision.reasons[0]
    assert decision.reasons[1] == ("dws.gl_balance: never built; run the stage that builds it before publishing "
                                   "from it")


def test_should_refuse_a_table_whose_check_file_errored(demo_warehouse):
    with psycopg.connect(demo_warehouse) as conn:
        conn.execute("ALTER TABLE ods.gl_voucher RENAME COLUMN period TO fiscal_period")
    scan_tables(demo_warehouse, ["ods.gl_voucher"])

    decision = check_gate(demo_warehouse, ["ods.gl_voucher"], BUSINESS_DATE)

    assert not decision.passed
    assert any(r.startswith("ods.gl_voucher: check 'scan' error") and "period" in r for r in decision.reasons)
    assert any(r.startswith("ods.gl_voucher: check 'schema' fail") for r in decision.reasons)


def test_should_reject_a_table_name_without_its_layer(warehouse):
    with pytest.raises(InvalidGateRequest, match="table='gl_balance'.*'dws.gl_balance'"):
        check_gate(warehouse, ["gl_balance"], BUSINESS_DATE)
