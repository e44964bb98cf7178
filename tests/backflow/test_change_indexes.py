"""Incremental ods tables carry indexes on their change columns; migration 0030 adds them to older tables."""

from __future__ import annotations

import psycopg

from smartops.backflow.sync import sync_table
from smartops.warehouse.migrate import migrate
from tests.backflow.test_sync import make_table
from tests.support.helpers import query

INDEXES = "SELECT indexname FROM pg_indexes WHERE schemaname = 'ods' AND tablename = %s ORDER BY indexname"


def test_should_index_the_change_columns_of_an_incremental_table_on_its_full_load(doc, warehouse):  # noqa: F811
    sync_table(make_table(), source=doc, warehouse=warehouse, run_id="r1")
    assert query(warehouse, INDEXES, ("doc",)) == [("doc_deleted_at",), ("doc_loaded_at",), ("doc_pkey",)]
    sync_table(make_table(), source=doc, warehouse=warehouse, run_id="r2", full_reload=True)  # and again
    assert query(warehouse, INDEXES, ("doc",)) == [("doc_deleted_at",), ("doc_loaded_at",), ("doc_pkey",)]
    with psycopg.connect(warehouse) as conn:  # the rows changed since a time after the load: both indexes
        since = conn.execute("SELECT max(_loaded_at) FROM ods.doc").fetchone()[0]
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT doc_id FROM ods.doc WHERE _loaded_at > %(t)s OR _deleted_at > %(t)s", {"t": since}))
        # the full load's own rows are not in the _loaded_at index: it was built empty
        entries = conn.execute("SELECT count(*) FROM ods.doc WHERE _loaded_at > %s", (since,)).fetchone()[0]
    assert "doc_loaded_at" in plan and "doc_deleted_at" in plan, plan
    assert entries == 0


def test_should_leave_full_mode_tables_unindexed(doc, warehouse):  # noqa: F811
    sync_table(make_table(mode="full", cursor=None), source=doc, warehouse=warehouse, run_id="r1")
    assert query(warehouse, INDEXES, ("doc",)) == [("doc_pkey",)]


def test_should_index_tables_loaded_before_the_migration(make_database):
    warehouse = make_database("wh")
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA ods")
        conn.execute("CREATE TABLE ods.old (id bigint PRIMARY KEY, _loaded_at timestamptz NOT NULL, "
                     "_run_id text, _deleted_at timestamptz)")
    migrate(warehouse)
    assert query(warehouse, INDEXES, ("old",)) == [("old_deleted_at",), ("old_loaded_at",), ("old_pkey",)]
