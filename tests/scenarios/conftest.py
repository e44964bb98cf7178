"""Fixtures: a warehouse whose ods holds a small hand-built data set with known scenario answers."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg
import pytest
from psycopg import sql

from smartops.config.catalog import load_scenarios
from tests.aggregation.conftest import build_all, create_ods_tables, insert_rows

BUSINESS_DATE = date(2026, 4, 30)


def due(days_past_due: int) -> str:
    """The due date that is `days_past_due` days before BUSINESS_DATE."""
    return (BUSINESS_DATE - timedelta(days=days_past_due)).isoformat()


def issued(days_past_due: int) -> str:
    return (BUSINESS_DATE - timedelta(days=days_past_due + 30)).isoformat()


# ods rows, column order as in workbench/demo/sql/level1_schema.sql (updated_at is stamped by insert_rows).
# ORG2 holds the aging invoices (no vouchers); ORG3 the documents and vouchers to reconcile.
ROWS: dict[str, list[tuple]] = {
    "org_unit": [
        ("ORG1", "10", "集团总部", None, 1, "华北", "active"),
        ("ORG2", "1001", "华东事业部", "ORG1", 2, "华东", "active"),
        ("ORG3", "100101", "上海分公司", "ORG2", 3, "华东", "active"),
    ],
    "account": [
        ("1002", "银行存款", "asset", None, "debit", True),
        ("1122", "应收账款", "asset", None, "debit", True),
        ("2221", "应交税费", "liability", None, "credit", True),
        ("6001", "主营业务收入", "revenue", None, "credit", True),
        ("6602", "管理费用", "expense", None, "debit", False),
        ("660201", "差旅费", "expense", "6602", "debit", True),
        ("660202", "业务招待费", "expense", "6602", "debit", True),
    ],
    "customer": [
        (1, "C1", "客户甲", "ORG2", "制造业", 50000, "active"),
        (2, "C2", "客户乙", "ORG2", "制造业", 50000, "active"),
        (3, "C3", "客户丙", "ORG3", "零售业", 50000, "active"),
    ],
    "gl_voucher": [
        (1, "V1", "ORG3", "2026-04", "2026-04-10", "expense_claim", 1, "posted", "u"),
        (2, "V2", "ORG3", "2026-04", "2026-04-12", "expense_claim", 4, "posted", "u"),
        (3, "V3", "ORG3", "2026-04", "2026-04-15", "expense_claim", 99, "posted", "u"),   # no such claim
        (4, "V4", "ORG3", "2026-04", "2026-04-05", "ar_invoice", 20, "posted", "u"),
        (5, "V5", "ORG3", "2026-03", "2026-03-20", "manual", None, "posted", "u"),
    ],
    "gl_voucher_line": [
        (11, 1, 1, "660201", 100, 0, "CNY", "报销"), (12, 1, 2, "1002", 0, 100, "CNY", "报销"),
        (21, 2, 1, "660202", 75, 0, "CNY", "报销"), (22, 2, 2, "1002", 0, 75, "CNY", "报销"),
        (31, 3, 1, "660201", 30, 0, "CNY", "报销"), (32, 3, 2, "1002", 0, 30, "CNY", "报销"),
        (41, 4, 1, "1122", 1130, 0, "CNY", "开票"), (42, 4, 2, "6001", 0, 1000, "CNY", "开票"),
        (43, 4, 3, "2221", 0, 130, "CNY", "开票"),
        (51, 5, 1, "660201", 500, 0, "CNY", "差旅"), (52, 5, 2, "1002", 0, 500, "CNY", "差旅"),
    ],
    "expense_claim": [
        (1, "E1", "ORG3", "销售部", "张三", "travel", 100, "CNY", "2026-04-08", "paid"),
        (2, "E2", "ORG3", "销售部", "张三", "travel", 60, "CNY", "2026-04-09", "paid"),      # no voucher
        (3, "E3", "ORG3", "销售部", "李四", "travel", 40, "CNY", "2026-04-11", "approved"),
        (4, "E4", "ORG3", "销售部", "李四", "meals", 80, "CNY", "2026-04-11", "paid"),       # voucher says 75
        (5, "E5", "ORG3", "销售部", "李四", "travel", 160, "CNY", "2026-03-15", "approved"),
        (6, "E6", "ORG3", "销售部", "李四", "travel", 100, "CNY", "2025-04-20", "approved"),
        (7, "E7", "ORG3", "销售部", "李四", "travel", 999, "CNY", "2026-04-20", "submitted"),  # not an expense yet
    ],
    "payment_order": [
        (1, "P1", "ORG3", 1, "张三", 100, "CNY", "2026-04-10", "expense_claim", 1, "paid"),
    ],
    "ar_invoice": [
        (101, "I101", "ORG2", 1, None, issued(0), due(0), 50, 0, "CNY", "issued"),
        (102, "I102", "ORG2", 1, None, issued(30), due(30), 100, 0, "CNY", "issued"),
        (103, "I103", "ORG2", 1, None, issued(31), due(31), 200, 0, "CNY", "partially_paid"),
        (104, "I104", "ORG2", 1, None, issued(90), due(90), 400, 0, "CNY", "issued"),
        (105, "I105", "ORG2", 1, None, issued(91), due(91), 800, 0, "CNY", "issued"),
        (106, "I106", "ORG2", 2, None, issued(180), due(180), 1000, 0, "CNY", "issued"),
        (107, "I107", "ORG2", 2, None, issued(181), due(181), 2000, 0, "CNY", "issued"),
        (108, "I108", "ORG2", 2, None, issued(365), due(365), 4000, 0, "CNY", "issued"),
        (109, "I109", "ORG2", 2, None, issued(366), due(366), 8000, 0, "CNY", "issued"),
        (20, "I20", "ORG3", 3, None, "2026-04-05", "2026-06-04", 1000, 130, "CNY", "issued"),
    ],
    "ar_receipt": [
        (1, "R1", 103, "ORG2", 1, "2026-04-01", 50, "CNY", 1),
    ],
    "budget": [
        (1, "ORG3", "销售部", "660201", "2026-03", 1000, 1),
        (2, "ORG3", "销售部", "660201", "2026-03", 1200, 2),
        (3, "ORG3", "管理部", "660201", "2026-03", 300, 1),
        (4, "ORG3", "销售部", "660201", "2026-04", 0, 1),
        (5, "ORG3", "销售部", "660202", "2026-04", 50, 1),
    ],
    "bank_account": [
        (1, "ORG3", "招商银行", "6225", "CNY", 1000, "2026-04-25", 100, "active"),
        (2, "ORG3", "工商银行", "6222", "CNY", 500, "2026-04-20", None, "active"),
    ],
    "bank_transaction": [
        (1, 1, "ORG3", "2026-04-28 10:00+08", "in", 2000000, "客户丙", "回款", None, None),
        (2, 1, "ORG3", "2026-04-28 11:00+08", "out", 50, "张三", "报销", None, None),
        (3, 1, "ORG3", "2026-04-29 09:00+08", "out", 1001000, "供应商", "货款", None, None),
        (4, 1, "ORG3", "2026-04-30 09:00+08", "out", 1000000, "供应商", "货款", None, None),
    ],
}


def rows_by(conninfo: str, table: str, key: tuple[str, ...]) -> dict[tuple, dict]:
    """The rows of `table` as dicts, keyed by the values of `key`."""
    with psycopg.connect(conninfo, row_factory=psycopg.rows.dict_row) as conn:
        rows = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(*table.split(".")))).fetchall()
    return {tuple(r[k] for k in key): r for r in rows}


@pytest.fixture(scope="session")
def registry():
    return load_scenarios()


@pytest.fixture
def built(warehouse: str) -> str:
    """A migrated warehouse with the hand-built ods rows and every dwd/dws model built for BUSINESS_DATE."""
    create_ods_tables(warehouse)
    insert_rows(warehouse, ROWS)
    build_all(warehouse, BUSINESS_DATE)
    return warehouse


@pytest.fixture
def scratch_sql():
    """Factory: write a throw-away scenario SQL file under include/sql/ads/ (removed after the test)."""
    import uuid

    from smartops.paths import SQL_DIR

    written = []

    def write(text: str) -> str:
        relative = f"ads/zz_test_{uuid.uuid4().hex[:8]}.sql"
        (SQL_DIR / relative).write_text(text, encoding="utf-8")
        written.append(SQL_DIR / relative)
        return relative

    yield write
    for path in written:
        path.unlink(missing_ok=True)
