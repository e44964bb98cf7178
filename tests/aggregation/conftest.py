"""Fixtures: a warehouse whose ods tables hold a small hand-built data set with known answers."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from psycopg import sql

from smartops.aggregation.build import build_model
from smartops.config.catalog import load_models
from smartops.config.inventory import load_inventory
from workbench.demo.generator import SCHEMA_SQL

BUSINESS_DATE = date(2026, 4, 30)

# ods rows, column order as in workbench/demo/sql/level1_schema.sql (updated_at is stamped below).
ROWS: dict[str, list[tuple]] = {
    "org_unit": [
        ("ORG1", "10", "集团总部", None, 1, "华北", "active"),
        ("ORG2", "1001", "华东事业部", "ORG1", 2, "华东", "active"),
        ("ORG3", "100101", "上海分公司", "ORG2", 3, "华东", "active"),
    ],
    "account": [
        ("1002", "银行存款", "asset", None, "debit", True),
        ("2241", "其他应付款", "liability", None, "credit", True),
        ("6602", "管理费用", "expense", None, "debit", False),
        ("660201", "差旅费", "expense", "6602", "debit", True),
    ],
    "customer": [
        (1, "c1", "客户甲", "ORG3", "制造业", 5000, "active"),
        (2, "C2", None, "ORG3", "制造业", 5000, "active"),          # null_required
    ],
    "gl_voucher": [
        (100, "V100", "ORG3", "2026-03", "2026-03-10", "expense_claim", 1, "posted", "u"),
        (101, "V101", "ORG3", "2026-03", "2026-03-12", "manual", None, "posted", "u"),    # unbalanced
        (102, "V102", "ORG3", "2026-03", "2026-03-13", "manual", None, "draft", "u"),     # not a fact
        (103, "V103", "ORG3", "2026-04", "2026-04-02", "manual", None, "posted", "u"),
        (104, "V104", "ORG3", "2026-05", "2026-05-01", "manual", None, "posted", "u"),    # after the date
        (105, "V105", "ORG3", "2026-03", "2026-03-15", "manual", None, "posted", "u"),    # rejected line
        (106, "V106", "ORG3", "2026-03", "2026-03-16", "manual", None, "posted", "u"),
    ],
    "gl_voucher_line": [
        (1000, 100, 1, "660201", 500, 0, "CNY", "差旅"), (1001, 100, 2, "2241", 0, 500, "CNY", "差旅"),
        (1010, 101, 1, "660201", 300, 0, "CNY", "x"), (1011, 101, 2, "1002", 0, 200, "CNY", "x"),
        (1020, 102, 1, "660201", 100, 0, "CNY", "x"), (1021, 102, 2, "1002", 0, 100, "CNY", "x"),
        (1030, 103, 1, " 660201 ", 50, 0, " cny", "x"), (1031, 103, 2, "1002", 0, 50, "RMB", "x"),
        (1035, 104, 1, "660201", 9, 0, "CNY", "x"), (1036, 104, 2, "1002", 0, 9, "CNY", "x"),
        (1040, 999, 1, "660201", 40, 0, "CNY", "orphan"),
        (1050, 105, 1, "9999", 10, 0, "CNY", "x"), (1051, 105, 2, "1002", 0, 10, "CNY", "x"),
        (1060, 106, 1, "660201", 70, 0, "CNY", "x"), (1061, 106, 2, "2241", 0, 70, "CNY", "x"),
        (1062, 106, 3, "660201", 5, 0, "CNY", "deleted"),
    ],
    "expense_claim": [
        (1, "E1", " org3 ", "销售部", "张三", "Travel", 100, "RMB", "2026-03-05", "approved"),
        (2, "E2", "ORG3", "销售部", "张三", "travel", 50, "CNY", "2026-03-20", "paid"),
        (3, "E3", "ORG3", "销售部", "李四", "meals", 30, "CNY", "2026-03-21", "submitted"),
        (4, "E4", None, "销售部", "李四", "meals", 30, "CNY", "2026-03-21", "approved"),
        (5, "E5", "ORG3", "销售部", "李四", "meals", -10, "CNY", "2026-03-22", "approved"),
        (6, "E6", "ORG3", "销售部", "李四", "meals", 80, "CNY", "2026-03-22", "voided"),
        (7, "E7", "ORG3", "销售部", "李四", "meals", 20, "USD", "2026-03-22", "approved"),
        (8, "E8", "ORG3", "销售部", "李四", "meals", 20, "CNY", "2026-03-22", "weird"),
        (9, "E9", "ORG3", "销售部", "李四", "travel", 70, "CNY", "2026-04-01", "paid"),
        (10, "E10", "ORGX", "销售部", "李四", "travel", 70, "CNY", "2026-04-01", "paid"),
        (11, "E11", "ORG3", None, "李四", "travel", 60, "CNY", "2026-04-02", "paid"),
    ],
    "payment_order": [
        (1, "P1", "ORG3", 1, "张三", 50, "CNY", "2026-03-25", "expense_claim", 2, "paid"),
        (2, "P2", "ORG3", 1, "张三", -5, "CNY", "2026-03-25", None, None, "paid"),
    ],
    "ar_invoice": [
        (1, "I1", "ORG3", 1, None, "2026-03-01", "2026-03-31", 1000, 130, "CNY", "issued"),
        (2, "I2", "ORG3", 1, None, "2026-04-10", "2026-05-10", 200, None, "CNY", "issued"),
        (3, "I3", "ORG3", 1, None, "2026-04-10", "2026-05-10", 700, 0, "CNY", "voided"),
    ],
    "ar_receipt": [
        (1, "R1", 1, "ORG3", 1, "2026-03-20", 500, "CNY", 1),
        (2, "R2", 999, "ORG3", 1, "2026-03-20", 100, "CNY", 1),          # orphan
        (3, "R3", 1, "ORG3", 1, "2026-05-05", 300, "CNY", 1),            # after the date
    ],
    "budget": [
        (1, "ORG3", "销售部", "660201", "2026-03", 1000, 1),
        (2, "ORG3", "销售部", "660201", "2026-03", 1200, 2),
        (3, "ORG3", "销售部", "660201", "2026-04", -1, 1),
    ],
    "bank_account": [
        (1, "ORG3", "招商银行", "6225", "CNY", 1000, "2026-04-25", 100, "active"),
    ],
    "bank_transaction": [
        (1, 1, "ORG3", "2026-04-26 10:00+08", "in", 200, "客户甲", "回款", None, None),
        (2, 1, "ORG3", "2026-04-26 23:30+08", "OUT ", 50, "张三", "报销", None, None),
        (3, 1, "ORG3", "2026-04-27 00:30+08", "out", 30, "张三", "报销", None, None),
        (4, 77, "ORG3", "2026-04-27 09:00+08", "in", 10, "?", "?", None, None),       # orphan
        (5, 1, "ORG3", "2026-05-02 09:00+08", "in", 999, "?", "?", None, None),      # after the date
    ],
}
DELETED = {"gl_voucher_line": "line_id = 1062", "expense_claim": "claim_id = 9"}


def create_ods_tables(conninfo: str) -> None:
    """Create every inventory table in ods with the Level-1 columns plus the load metadata columns."""
    with psycopg.connect(conninfo, autocommit=True) as conn, conn.transaction():
        conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for name in load_inventory().names:
            conn.execute(sql.SQL(
                "CREATE TABLE {ods} (LIKE {l1}, _loaded_at timestamptz NOT NULL DEFAULT now(), "
                "_run_id text DEFAULT 'fixture', _deleted_at timestamptz)"
            ).format(ods=sql.Identifier("ods", name), l1=sql.Identifier("l1", name)))
        conn.execute("DROP SCHEMA l1 CASCADE")


def insert_rows(conninfo: str, rows: dict[str, list[tuple]]) -> None:
    """Insert `rows` into the ods tables (updated_at = a fixed time)."""
    with psycopg.connect(conninfo) as conn:
        for table, values in rows.items():
            width = len(values[0]) + 1
            conn.cursor().executemany(
                sql.SQL("INSERT INTO {} SELECT {}").format(
                    sql.Identifier("ods", table), sql.SQL(", ").join([sql.Placeholder()] * width)),
                [(*row, "2026-04-30 12:00+08") for row in values],
            )


def build_all(conninfo: str, business_date: date = BUSINESS_DATE, run_id: str = "test") -> dict[str, int]:
    """Build every model in dependency order; return {model: rows}."""
    registry = load_models()
    return {m.name: build_model(m, registry=registry, warehouse=conninfo, business_date=business_date,
                                run_id=run_id).rows for m in registry.ordered}


@pytest.fixture
def fixture_warehouse(warehouse: str) -> str:
    """A migrated warehouse holding the hand-built ods rows (ROWS, with DELETED soft-deleted)."""
    create_ods_tables(warehouse)
    insert_rows(warehouse, ROWS)
    with psycopg.connect(warehouse) as conn:
        for table, where in DELETED.items():
            conn.execute(sql.SQL("UPDATE {} SET _deleted_at = '2026-04-29 08:00+08' WHERE {}").format(
                sql.Identifier("ods", table), sql.SQL(where)))
    return warehouse


@pytest.fixture
def built(fixture_warehouse: str) -> str:
    """The fixture warehouse with every model built for BUSINESS_DATE."""
    build_all(fixture_warehouse)
    return fixture_warehouse
