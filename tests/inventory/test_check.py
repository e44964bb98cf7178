"""check: every inventory entry validated live against Level-1; planted faults turn amber or red."""

from __future__ import annotations

import psycopg

from smartops.config.inventory import BackflowTable, load_inventory
from smartops.inventory.check import check
from smartops.inventory.model import CheckName, HealthStatus
from smartops.vocabulary import Category

GREEN, AMBER, RED = HealthStatus.GREEN, HealthStatus.AMBER, HealthStatus.RED
# The shipped inventory syncs l1.bank_account incrementally, but Level-1 has no index on its updated_at.
SHIPPED_AMBER = {"bank_account": [CheckName.CURSOR_INDEXED]}


def statuses(results) -> dict[str, tuple[HealthStatus, list[CheckName]]]:
    return {h.table: (h.status, [f.check for f in h.problems]) for h in results}


def test_should_pass_the_shipped_inventory_on_the_demo_except_the_unindexed_cursor(demo_reader):
    results = check(demo_reader, load_inventory())

    assert [h.table for h in results] == load_inventory().names
    assert {t: p for t, (_, p) in statuses(results).items() if p} == SHIPPED_AMBER
    assert {h.status for h in results} == {GREEN, AMBER}


def test_should_flag_a_missing_index_a_duplicate_key_and_a_future_cursor(demo_level1, demo_reader):
    with psycopg.connect(demo_level1, autocommit=True) as conn:
        conn.execute("DROP INDEX l1.gl_voucher_line_updated_at")
        conn.execute("ALTER TABLE l1.customer DROP CONSTRAINT customer_pkey")
        conn.execute("INSERT INTO l1.customer SELECT * FROM l1.customer ORDER BY updated_at DESC LIMIT 1")
        conn.execute("UPDATE l1.expense_claim SET updated_at = now() + interval '30 days' "
                     "WHERE claim_id = (SELECT min(claim_id) FROM l1.expense_claim)")

    results = {h.table: h for h in check(demo_reader, load_inventory())}

    line, customer, claim = results["gl_voucher_line"], results["customer"], results["expense_claim"]
    assert (line.status, [(f.check, f.category) for f in line.problems]) == (
        AMBER, [(CheckName.CURSOR_INDEXED, Category.SYNC)])
    assert "CREATE INDEX ON l1.gl_voucher_line (updated_at)" in line.problems[0].reason
    assert (customer.status, [(f.check, f.category) for f in customer.problems]) == (
        RED, [(CheckName.KEY_UNIQUE, Category.CONFIG)])
    assert "repeats" in customer.problems[0].reason and "fix 'primary_key'" in customer.problems[0].reason
    assert (claim.status, [(f.check, f.category) for f in claim.problems]) == (
        RED, [(CheckName.CURSOR_NOT_FUTURE, Category.SYNC)])
    assert "in the future" in claim.problems[0].reason
    untouched = {t: h.status for t, h in results.items()
                 if t not in {"gl_voucher_line", "customer", "expense_claim", *SHIPPED_AMBER}}
    assert set(untouched.values()) == {GREEN}


def entry(name: str, source: str, **fields) -> dict:
    return {"name": name, "source": source, "primary_key": ["id"], "cursor": "updated_at", "owner": "o",
            "severity": "low", "freshness_sla": "26h", **fields}


def test_should_flag_entries_that_do_not_match_level1(level1, level1_reader):
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("CREATE TABLE l1.doc (id bigint, amount text, updated_at timestamptz)")
        conn.execute("INSERT INTO l1.doc VALUES (1, '5', now()), (2, '6', NULL)")
        conn.execute("CREATE TABLE l1.day_doc (id bigint PRIMARY KEY, doc_date date NOT NULL)")
        conn.execute("CREATE TABLE l1.hidden (id bigint PRIMARY KEY, updated_at timestamptz)")
        conn.execute("REVOKE SELECT ON l1.hidden FROM level1_reader")  # l1's default privileges granted it
    # entries checked one by one (an inventory would refuse two entries of l1.doc)
    inventory = [BackflowTable.model_validate(e) for e in (
        entry("gone", "l1.gone"),
        entry("doc", "l1.doc", amount_columns=["amount", "tax"]),
        entry("doc_wrong_cursor", "l1.doc", cursor="modified_at"),
        entry("day_doc", "l1.day_doc", cursor="doc_date"),
        entry("hidden", "l1.hidden"),
    )]

    results = statuses(check(level1_reader, inventory))

    assert results == {
        "gone": (RED, [CheckName.TABLE]),
        # Red first: the NULL cursor and the amounts; then the key Level-1 does not enforce and the missing index.
        "doc": (RED, [CheckName.CURSOR_NOT_NULL, CheckName.AMOUNT_COLUMNS, CheckName.KEY_UNIQUE,
                      CheckName.CURSOR_INDEXED]),
        "doc_wrong_cursor": (RED, [CheckName.CURSOR_COLUMN, CheckName.KEY_UNIQUE]),
        "day_doc": (AMBER, [CheckName.CURSOR_INDEXED, CheckName.LOOKBACK]),
        "hidden": (RED, [CheckName.GRANT, CheckName.CURSOR_INDEXED]),
    }
