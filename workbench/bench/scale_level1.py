"""A 300-table Level-1 and its inventory, for the scale benchmark (benchmark-only; not the demo's Level-1).

Most tables are small (100–2,000 rows), every LARGE_EVERY-th one large (~200k–500k rows at BENCH_SCALE=50);
modes cycle through incremental, full and incremental with key_compare deletions.
"""

from __future__ import annotations

import random
from pathlib import Path

import psycopg
import yaml
from psycopg import sql

from workbench.bench.common import BENCH_SCALE, database

SCALE_LEVEL1 = "bench_scale_level1"
TABLES = 300
LARGE_EVERY = 75  # 4 large tables of 300
SEED = 20261202

_CREATE = sql.SQL(
    "CREATE TABLE l1.{t} (id bigint PRIMARY KEY, grp int NOT NULL, amount numeric(14,2) NOT NULL, "
    "note text NOT NULL, updated_at timestamptz NOT NULL)")
_FILL = sql.SQL(
    "INSERT INTO l1.{t} SELECT g, g %% 97, round((g::bigint * 7919 %% 100000) / 100.0, 2), 'row ' || g, "
    "now() - interval '2 days' + (g %% 86400) * interval '1 second' FROM generate_series(1, %s) g")


def table_specs(tables: int = TABLES, scale: float = BENCH_SCALE) -> list[dict]:
    """Deterministic (name, rows, mode, delete_detection) of every generated table."""
    rng = random.Random(SEED)
    specs = []
    for i in range(tables):
        large = i % LARGE_EVERY == LARGE_EVERY - 1
        rows = int(rng.randint(200_000, 500_000) * scale / 50) if large else rng.randint(100, 2_000)
        kind = i % 3
        specs.append({"name": f"s{i + 1:03d}", "rows": max(rows, 1),
                      "mode": "full" if kind == 1 else "incremental",
                      "delete_detection": "key_compare" if kind == 2 else "none"})
    return specs


def seed(specs: list[dict]) -> str:
    """Create and fill the scale Level-1 (recreated each run: a run must start from an empty ods)."""
    conninfo = database(SCALE_LEVEL1, fresh=True)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA l1")
        for spec in specs:
            name = sql.Identifier(spec["name"])
            conn.execute(_CREATE.format(t=name))
            conn.execute(_FILL.format(t=name), (spec["rows"],))
        conn.execute("ANALYZE")
    return conninfo


SMALL_ROWS = 10_000  # tables below this are batched when write_inventory is given a batch size


def write_inventory(specs: list[dict], directory: Path, batch_size: int = 0) -> Path:
    """Write the matching backflow inventory YAML into `directory`; return its path.

    With batch_size, small tables are grouped `batch_size` to a batch (one task each).
    """
    path = directory / f"backflow_tables{'_batched' if batch_size else ''}.yaml"
    small = [s["name"] for s in specs if s["rows"] < SMALL_ROWS]
    batches = {name: f"small_{i // batch_size + 1:02d}" for i, name in enumerate(small)} if batch_size else {}
    inventory = {
        "defaults": {"cursor": "updated_at", "owner": "finance-data", "severity": "medium", "freshness_sla": "26h",
                     "lookback": "2h", "amount_columns": ["amount"]},
        "tables": [{"name": s["name"], "source": f"l1.{s['name']}", "primary_key": ["id"], "mode": s["mode"],
                    "delete_detection": s["delete_detection"], "description": f"scale bench, {s['rows']} rows",
                    **({"batch": batches[s["name"]]} if s["name"] in batches else {})}
                   for s in specs],
    }
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    return path
