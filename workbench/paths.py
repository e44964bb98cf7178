"""The workbench's own folders."""

from __future__ import annotations

from pathlib import Path

from smartops.paths import PROJECT_ROOT
from smartops.sqlfiles import SqlFolder

WORKBENCH_DIR = Path(__file__).resolve().parent
# The demo Level-1's schema and statements (never shipped: the product reads Level-1, it does not write it).
DEMO_SQL_DIR = WORKBENCH_DIR / "demo" / "sql"
DEMO_SQL = SqlFolder(DEMO_SQL_DIR)
# Local state of the developer's machine: the embedded server's data, the cluster's home.
LOCAL_DIR = PROJECT_ROOT / ".local"
# The benchmarks' hand-written baselines.
BENCH_SQL = SqlFolder(WORKBENCH_DIR / "bench" / "sql")
