"""Fixtures: a warehouse whose ods tables were backflowed from seeded demo Level-1 data."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from smartops.backflow.engine import sync_table
from smartops.config.inventory import load_inventory
from smartops.demo.generator import seed_level1

BUSINESS_DATE = date(2026, 11, 28)
SCALE = 0.2


def sync_all(level1: str, warehouse: str, run_id: str) -> None:
    """Backflow every inventory table from `level1` into the warehouse's ods."""
    for table in load_inventory().tables:
        sync_table(table, source=level1, warehouse=warehouse, run_id=run_id)


def query(conninfo: str, statement: str, params: tuple | dict | None = None) -> list[tuple]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(statement, params).fetchall()


@pytest.fixture
def demo_warehouse(level1: str, warehouse: str) -> str:
    """The migrated warehouse with ods loaded from demo Level-1 data seeded at a small scale."""
    seed_level1(level1, scale=SCALE)
    sync_all(level1, warehouse, run_id="backflow__seed")
    return warehouse
