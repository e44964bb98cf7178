"""The crash property: SIGKILL mid-copy leaves ods and the watermark as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from tests.backflow.test_sync import make_table, run, state
from tests.conftest import ROOT
from tests.support.helpers import assert_ods_equals_level1

SYNC_IN_SUBPROCESS = """
import sys
from smartops.backflow.sync import sync_table
from smartops.config.inventory import BackflowTable
table = BackflowTable(name="big", source="l1.big", primary_key=["id"], cursor="updated_at",
                      amount_columns=["amount"], owner="t", severity="high", freshness_sla="6h")
sync_table(table, source=sys.argv[1], warehouse=sys.argv[2], run_id="killed")
"""


def copy_progress(warehouse: str) -> int:
    with psycopg.connect(warehouse, autocommit=True) as conn:
        row = conn.execute("SELECT tuples_processed FROM pg_stat_progress_copy "
                           "WHERE datname = current_database()").fetchone()
    return row[0] if row else 0


def wait_for_backends_to_end(warehouse: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(warehouse, autocommit=True) as conn:
        while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND backend_type = 'client backend'").fetchone()[0]:
            assert time.monotonic() < deadline, "the killed client's backend did not end"
            time.sleep(0.1)


@pytest.mark.slow
def test_should_leave_ods_and_watermark_unchanged_when_killed_mid_copy(level1, warehouse):
    table = make_table(name="big", source="l1.big", primary_key=["id"])
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("CREATE TABLE l1.big (id bigint PRIMARY KEY, amount numeric(18,2), note text, "
                     "updated_at timestamptz NOT NULL)")
        conn.execute("INSERT INTO l1.big SELECT g, g, 'first', '2026-01-01'::timestamptz + g * interval '1 s' "
                     "FROM generate_series(1, 1000) g")
    run(table, level1, warehouse, "r1")
    before = state(warehouse, "big")
    with psycopg.connect(level1, autocommit=True) as conn:  # big enough to be caught mid-copy
        conn.execute("INSERT INTO l1.big SELECT g, g, repeat('x', 100), "
                     "'2026-02-01'::timestamptz + g * interval '1 ms' FROM generate_series(1001, 400000) g")

    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    proc = subprocess.Popen([sys.executable, "-c", SYNC_IN_SUBPROCESS, level1, warehouse], env=env)
    try:
        deadline = time.monotonic() + 60
        while copy_progress(warehouse) < 20_000:
            assert proc.poll() is None, "the sync finished before it could be killed; make the table bigger"
            assert time.monotonic() < deadline, "the copy never started"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    wait_for_backends_to_end(warehouse)

    assert state(warehouse, "big") == before
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*), max(note) FROM ods.big").fetchone() == (1000, "first")
        assert conn.execute("SELECT count(*) FROM ops.sync_ledger WHERE run_id = 'killed'").fetchone()[0] == 0
        assert conn.execute("SELECT to_regclass('ods.big__loading')").fetchone()[0] is None

    result = run(table, level1, warehouse, "r2")
    assert result.rows_inserted == 399_000
    assert_ods_equals_level1(level1, warehouse, table)
