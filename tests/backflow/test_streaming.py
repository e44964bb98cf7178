"""The threaded COPY relay: rows equal, errors from either side raise and leave the target unchanged."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from smartops.backflow import streaming
from smartops.backflow.streaming import stream_copy
from tests.support.helpers import query, scalar

COLUMNS = "id int PRIMARY KEY, txt text, raw bytea, amount numeric(18, 4)"
ROWS = [
    (1, None, None, None),
    (2, "运营中心 ünïcode", b"\x00\xff\\", "12345678901234.5678"),
    (3, "tab\there\nnewline\\backslash", b"", "-0.0001"),
]


def _seed(conninfo: str, rows: int = 0) -> None:
    with psycopg.connect(conninfo) as conn:
        conn.execute(f"CREATE TABLE relay ({COLUMNS})")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO relay VALUES (%s, %s, %s, %s)", ROWS)
        if rows:
            conn.execute("INSERT INTO relay SELECT g, repeat('x', 200), NULL, g FROM generate_series(10, %s) g",
                         (rows,))


def _relay(level1: str, warehouse: str, copy_out: str = "COPY relay TO STDOUT") -> int:
    with psycopg.connect(level1) as src, psycopg.connect(warehouse) as dst:
        return stream_copy(src, sql.SQL(copy_out), dst, sql.SQL("COPY relay FROM STDIN"), label="relay")


def test_should_copy_awkward_values_exactly(level1: str, warehouse: str) -> None:
    _seed(level1, rows=20_000)
    with psycopg.connect(warehouse) as conn:
        conn.execute(f"CREATE TABLE relay ({COLUMNS})")
    assert _relay(level1, warehouse) == 20_000 - 9 + len(ROWS)
    statement = "SELECT * FROM relay ORDER BY id"
    assert query(warehouse, statement) == query(level1, statement)


def test_should_raise_and_leave_target_unchanged_on_reader_error(level1: str, warehouse: str) -> None:
    _seed(level1, rows=20_000)
    with psycopg.connect(warehouse) as conn:
        conn.execute(f"CREATE TABLE relay ({COLUMNS})")
    with pytest.raises(psycopg.errors.DivisionByZero):
        _relay(level1, warehouse, "COPY (SELECT id, txt, raw, 1 / (id - 15000) FROM relay) TO STDOUT")
    assert scalar(warehouse, "SELECT count(*) FROM relay") == 0


def test_should_raise_and_leave_target_unchanged_on_writer_error(level1: str, warehouse: str) -> None:
    _seed(level1, rows=20_000)
    with psycopg.connect(warehouse) as conn:
        conn.execute(f"CREATE TABLE relay ({COLUMNS})")
        conn.execute("ALTER TABLE relay ADD CHECK (amount < 15000)")
    with pytest.raises(psycopg.errors.CheckViolation):
        _relay(level1, warehouse)
    assert scalar(warehouse, "SELECT count(*) FROM relay") == 0


def test_should_keep_at_most_queue_blocks_in_flight(level1: str, warehouse: str, monkeypatch) -> None:
    _seed(level1, rows=50_000)
    with psycopg.connect(warehouse) as conn:
        conn.execute(f"CREATE TABLE relay ({COLUMNS})")
    peak = []
    real_queue = streaming.queue.Queue

    class Watched(real_queue):
        def put(self, item, block=True, timeout=None):
            super().put(item, block, timeout)
            peak.append(self.qsize())

    monkeypatch.setattr(streaming.queue, "Queue", Watched)
    _relay(level1, warehouse)
    assert len(peak) > streaming.QUEUE_BLOCKS
    assert max(peak) <= streaming.QUEUE_BLOCKS
