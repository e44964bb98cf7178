"""Fixtures of the backflow tests: a small hand-built Level-1 table."""

from __future__ import annotations

import psycopg
import pytest

T0 = "2026-03-01 08:00:00+08"


@pytest.fixture
def doc(level1: str) -> str:
    """l1.doc with 1,000 rows, cursor values one second apart from T0."""
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("CREATE TABLE l1.doc (doc_id bigint PRIMARY KEY, org text, amount numeric(18,2), "
                     "note text, updated_at timestamptz NOT NULL)")
        conn.execute("INSERT INTO l1.doc SELECT g, 'ORG' || (g %% 7), g * 1.5, E'line\\t' || g, "
                     "%s::timestamptz + g * interval '1 second' FROM generate_series(1, 1000) g", (T0,))
    return level1
