"""Demo data for alerting and report tests: small seeded Level-1, synced once into the warehouse."""

from __future__ import annotations

import pytest

from smartops.backflow.engine import sync_table
from smartops.config.inventory import load_inventory
from smartops.demo.generator import seed_level1

DEMO_SCALE = 0.2


def sync_all(level1_reader: str, warehouse: str, run_id: str) -> None:
    """Sync every inventory table once (what one backflow_sync run does)."""
    for table in load_inventory().tables:
        sync_table(table, source=level1_reader, warehouse=warehouse, run_id=run_id)


@pytest.fixture
def synced_warehouse(level1: str, level1_reader: str, warehouse: str) -> str:
    """Warehouse conninfo after seeding Level-1 at a small scale and one full sync."""
    seed_level1(level1, scale=DEMO_SCALE)
    sync_all(level1_reader, warehouse, "scheduled__demo-1")
    return warehouse
