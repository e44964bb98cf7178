"""The phases of a sync meet Level-1 politely: no snapshot held while waiting, no scan left running on failure."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from smartops.backflow import reconcile
from smartops.errors import is_retryable
from smartops.warehouse.swap import ObjectBusy, lock_object
from tests.backflow.test_sync import make_table, run


def level1_sessions(level1: str, marker: str) -> list[tuple]:
    with psycopg.connect(level1, autocommit=True) as conn:
        return conn.execute("SELECT state, backend_xmin IS NOT NULL FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE %s",
                            (f"%{marker}%",)).fetchall()


def test_should_cancel_the_background_totals_scan_when_the_load_fails(doc, warehouse, monkeypatch):
    table = make_table()
    run(table, doc, warehouse, "r1")  # the first load; the next run of the day reconciles the whole table again

    def slow_level1_totals(table, conn, schema, name, **kw):
        if schema == table.source_schema and not kw:  # the whole-table scan on the background session
            conn.execute("SELECT pg_sleep(60) /* smartops-background-scan */")
        return real_totals(table, conn, schema, name, **kw)

    def failing_load(*args, **kwargs):
        deadline = time.monotonic() + 10
        while not level1_sessions(doc, "smartops-background-scan"):
            assert time.monotonic() < deadline, "the background scan never started"
            time.sleep(0.05)
        raise RuntimeError("the load failed")

    real_totals = reconcile.totals
    monkeypatch.setattr(reconcile, "totals", slow_level1_totals)
    monkeypatch.setattr("smartops.backflow.sync.load_full", failing_load)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="the load failed"):
        run(table, doc, warehouse, "r2", full_reload=True)
    assert time.monotonic() - started < 30, "the failed sync waited for the background scan"
    assert level1_sessions(doc, "smartops-background-scan") == [], "the background scan still runs at Level-1"


def test_should_take_the_table_lock_before_opening_a_level1_snapshot(doc, warehouse, monkeypatch):
    table = make_table()
    monkeypatch.setattr("smartops.backflow.sync.lock_object",
                        lambda conn, key: lock_object(conn, key, wait="2s"))
    holder = psycopg.connect(warehouse)
    try:
        with holder.transaction():
            lock_object(holder, table.target)  # another run of the same table holds it
            outcome: dict = {}
            worker = threading.Thread(target=lambda: outcome.setdefault("error", _capture(
                lambda: run(table, doc, warehouse, "waiting"))))
            worker.start()
            time.sleep(1)
            # while it waits, Level-1 sees no session of it (in particular none holding a snapshot)
            assert level1_sessions(doc, "") == []
            worker.join(30)
    finally:
        holder.close()
    assert isinstance(outcome["error"], ObjectBusy) and is_retryable(outcome["error"])
    assert "doc" in str(outcome["error"]) and "2s" in str(outcome["error"])


def _capture(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 — the test inspects it
        return exc
    return None


def test_should_load_an_enum_column_as_text(level1, warehouse):
    from tests.backflow.test_sync import execute
    from tests.support.helpers import assert_ods_equals_level1

    execute(level1, "CREATE TYPE l1.doc_state AS ENUM ('draft', 'posted')")
    execute(level1, "CREATE TABLE l1.doc (doc_id int PRIMARY KEY, state l1.doc_state, amount numeric, "
                    "updated_at timestamptz NOT NULL)")
    execute(level1, "INSERT INTO l1.doc VALUES (1, 'draft', 1, now()), (2, 'posted', 2, now())")
    table = make_table()
    run(table, level1, warehouse, "r1")
    assert_ods_equals_level1(level1, warehouse, table)
    run(table, level1, warehouse, "r2")  # no drift is seen between the enum and its text copy


@pytest.mark.parametrize("problem, error, message", [
    ("duplicate key", "DuplicateKeys", r"duplicate values of the primary key \(doc_id\).*Key \(doc_id\)=\(1\)"),
    ("missing amount", "ColumnMissing", "amount_columns column 'amount' is not a column of l1.doc"),
])
def test_should_name_the_table_and_column_of_an_odd_level1_table(level1, warehouse, problem, error, message):
    from smartops.backflow.exceptions import BackflowError
    from smartops.vocabulary import Category
    from tests.backflow.test_sync import execute

    if problem == "duplicate key":  # a full table whose Level-1 has no key of its own
        execute(level1, "CREATE TABLE l1.doc (doc_id int, amount numeric, updated_at timestamptz NOT NULL)")
        execute(level1, "INSERT INTO l1.doc VALUES (1, 1, now()), (1, 2, now())")
        table = make_table(mode="full")
    else:
        execute(level1, "CREATE TABLE l1.doc (doc_id int PRIMARY KEY, total numeric, updated_at timestamptz)")
        table = make_table()
    with pytest.raises(BackflowError, match=message) as failed:
        run(table, level1, warehouse, "r1")
    assert type(failed.value).__name__ == error and failed.value.category is Category.SYNC
    assert not is_retryable(failed.value)
