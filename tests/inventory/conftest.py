"""Fixtures: a Level-1 with tables outside the demo — odd names, other schemas, missing keys and grants."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import reader_of

# Tables the demo does not have: quoted mixed-case names, a schema other than l1, no primary key,
# no key at all, and a table the read-only role was never granted.
ODD_TABLES = """
CREATE SCHEMA "Finance";
CREATE TABLE "Finance"."GL Lines" (
    "Line ID"      bigint PRIMARY KEY,
    "Voucher No"   text NOT NULL,
    "Debit Amount" numeric(18,2),
    "Line No"      integer NOT NULL,
    "Last Update"  timestamptz NOT NULL
);
CREATE INDEX "GL Lines by update" ON "Finance"."GL Lines" ("Last Update");
COMMENT ON TABLE "Finance"."GL Lines" IS '总账分录（大写表名）';
INSERT INTO "Finance"."GL Lines" VALUES (1, 'V1', 10.00, 1, now()), (2, 'V1', 0, 2, now());

CREATE SCHEMA erp;
CREATE TABLE erp.fixed_asset (
    asset_id       bigint PRIMARY KEY,
    asset_code     text NOT NULL UNIQUE,
    original_value numeric(18,2) NOT NULL,
    net_value      numeric(18,2),
    quantity       numeric(12,3),
    is_deleted     boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    gmt_modified   timestamp NOT NULL
);
CREATE INDEX fixed_asset_gmt_modified ON erp.fixed_asset (gmt_modified);
COMMENT ON TABLE erp.fixed_asset IS '固定资产卡片';
INSERT INTO erp.fixed_asset VALUES (1, 'FA1', 1000, 900, 1, false, now(), now());

CREATE TABLE erp.asset_tag (tag_code text NOT NULL UNIQUE, asset_id bigint, label text);
CREATE TABLE erp.audit_log (log_id bigint GENERATED ALWAYS AS IDENTITY, message text, logged_at timestamptz);
CREATE TABLE erp.salary (employee_id bigint PRIMARY KEY, amount numeric(18,2), updated_at timestamptz NOT NULL);
CREATE INDEX salary_updated_at ON erp.salary (updated_at);

GRANT USAGE ON SCHEMA "Finance", erp TO level1_reader;
GRANT SELECT ON "Finance"."GL Lines", erp.fixed_asset, erp.asset_tag, erp.audit_log TO level1_reader;
"""


@pytest.fixture
def odd_level1(level1_reader: str, level1: str) -> str:
    """Read-only conninfo of a Level-1 holding ODD_TABLES (besides an empty schema l1)."""
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute(ODD_TABLES)
    return level1_reader


@pytest.fixture
def demo_reader(demo_level1: str) -> str:
    """Read-only conninfo of this test's copy of the demo Level-1."""
    return reader_of(demo_level1)
