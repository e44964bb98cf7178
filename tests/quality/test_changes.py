"""A scan of a build's changes reaches the verdict of a whole-table scan of the same build."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import yaml

from smartops.config.catalog import load_policy
from smartops.paths import SODA_DIR
from smartops.quality.changes import split
from smartops.quality.checkfiles import discover, select
from smartops.quality.model import Outcome
from smartops.quality.runner import run_quality_scan
from smartops.report.figures import collect
from tests.quality.conftest import BUSINESS_DATE
from tests.support.helpers import query, sync_all
from workbench.demo.simulator import simulate_day

# Counted over the changes (or a whole-table count): the same value either way. Existence and age differ.
NOT_COMPARED = {"has rows", "loaded within SLA"}


def scan(warehouse: str, run_id: str, *, whole: bool = False, layer: str = "ods"):
    policy = load_policy()
    if whole:
        policy = policy.model_copy(update={"full_scan": "every 1 scan"})
    return run_quality_scan(warehouse, select(discover(), layer=layer), run_id=run_id, business_date=BUSINESS_DATE,
                            policy=policy)


def verdicts(report) -> dict[tuple[str, str], tuple[str, float | None]]:
    return {(r.table_name, r.check_name): (r.outcome.value, None if r.check_name in NOT_COMPARED else r.measured_value)
            for r in report.results if r.source.value == "soda"}


def scopes(warehouse: str, scan_id: str) -> dict[str, str]:
    return dict(query(warehouse, "SELECT table_name, scope FROM ops.quality_scan_scope WHERE scan_id = %s",
                      (scan_id,)))


def test_should_split_a_check_file_by_what_each_check_reads():
    document = yaml.safe_load((SODA_DIR / "ods" / "gl_voucher_line.yml").read_text(encoding="utf-8"))
    parts = split(document, "gl_voucher_line")
    assert parts.groups == {"gl_voucher_line__g1": ["line_id"]}
    assert parts.exists == {"gl_voucher_line__x1": "_deleted_at IS NULL"}
    assert set(parts.counted) == {"line_id unique", "voucher_id present", "account_code present", "currency is CNY",
                                  "line is debit or credit, not both", "voucher lines reference a voucher"}
    # The orphan check has a changes query: it reads the changes; the other cross-table check the whole table.
    assert [c["failed rows"]["name"] for c in parts.document["checks for gl_voucher_line__all"]] == [
        "account_code in chart of accounts"]
    orphans = next(c["failed rows"] for c in parts.document["checks for gl_voucher_line"] if "failed rows" in c
                   and c["failed rows"]["name"] == "voucher lines reference a voucher")
    assert "${CHANGED}" in orphans["fail query"] and "changes query" not in orphans
    assert "&id" not in yaml.safe_dump(parts.document)


def test_should_scan_the_changes_of_each_new_build_and_reach_the_whole_table_verdict(demo_level1, demo_warehouse):
    first = scan(demo_warehouse, "day0")
    assert set(scopes(demo_warehouse, first.scan_id).values()) == {"table"}  # first scans read everything
    for index, rate in enumerate((0.0, 0.02), start=1):  # a clean day, then a day with dirty rows
        simulate_day(demo_level1, dirty_rate=rate)
        if rate:  # and one an old claim's row check catches: only the changes show it
            with psycopg.connect(demo_level1) as conn:
                conn.execute("UPDATE l1.expense_claim SET org_id = NULL, updated_at = now() "
                             "WHERE claim_id = (SELECT min(claim_id) FROM l1.expense_claim)")
        sync_all(demo_level1, demo_warehouse, run_id=f"backflow__day{index}")
        changes = scan(demo_warehouse, f"day{index}")
        scoped = scopes(demo_warehouse, changes.scan_id)
        assert scoped["ods.gl_voucher_line"] == scoped["ods.expense_claim"] == "changes", scoped
        assert scoped["ods.org_unit"] == "table"  # mode full: every load replaces every row
        if index == 1:
            assert scoped == {**{t: "changes" for t in scoped}, "ods.org_unit": "table", "ods.account": "table"}
        whole = scan(demo_warehouse, f"day{index}__whole", whole=True)
        assert set(scopes(demo_warehouse, whole.scan_id).values()) == {"table"}
        assert verdicts(changes) == verdicts(whole)
    assert verdicts(changes)[("ods.expense_claim", "org_id present")][0] == "warn"  # caught in the changes
    rows = query(demo_warehouse, "SELECT rows_checked, base_build_id FROM ops.quality_scan_scope "
                                 "WHERE scan_id = %s AND table_name = 'ods.gl_voucher_line'", (changes.scan_id,))
    total = query(demo_warehouse, "SELECT count(*) FROM ods.gl_voucher_line")[0][0]
    assert 0 < rows[0][0] < total / 10 and rows[0][1].startswith("sync:")
    # The daily report states what each table's latest scan read, and why.
    reported = {s["table_name"]: s for s in collect(demo_warehouse, BUSINESS_DATE, now=datetime.now(UTC))[
        "quality"]["scopes"]}
    assert reported["ods.gl_voucher_line"]["scope"] == "table"  # the latest scan of the day: the whole one
    assert reported["ods.gl_voucher_line"]["reason"].startswith("whole-table scan due")
    # A scan whose row checks found rows is no base: the next scan of such a table reads it whole.
    found = {table for (table, check), (outcome, value) in verdicts(whole).items()
             if check in counted(table) and (outcome != Outcome.PASS or value)}
    assert found, "the dirty day left rows for the row checks to find"
    after = scopes(demo_warehouse, scan(demo_warehouse, "day2__again").scan_id)
    assert {t for t, scope in after.items() if scope == "table"} == found | {"ods.org_unit", "ods.account"}


def counted(table: str) -> list[str]:
    layer, name = table.split(".")
    return split(yaml.safe_load((SODA_DIR / layer / f"{name}.yml").read_text(encoding="utf-8")), name).counted
