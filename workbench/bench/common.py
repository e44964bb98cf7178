"""Shared set-up of the benchmarks: bench-scale databases on the embedded (or given) server."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from smartops.paths import PROJECT_ROOT
from workbench import embedded

log = logging.getLogger("bench")

RESULTS_DIR = PROJECT_ROOT / "bench-results"
BENCH_SCALE = float(os.environ.get("BENCH_SCALE", "50"))  # 50 ≈ 1M voucher lines
BENCH_LEVEL1 = "bench_level1"


def admin() -> str:
    return os.environ.get("SMARTOPS_BENCH_PG_ADMIN") or embedded.start()


def database(name: str, *, fresh: bool) -> str:
    """Return conninfo of database `name` on the bench server, recreated when fresh."""
    with psycopg.connect(admin(), autocommit=True) as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return psycopg.conninfo.make_conninfo(admin(), dbname=name)


def bench_level1() -> str:
    """The bench-scale Level-1 database, seeded once and reused by later runs."""
    from workbench.demo.generator import seed_level1

    conninfo = database(BENCH_LEVEL1, fresh=False)
    started = time.monotonic()
    if seed_level1(conninfo, scale=BENCH_SCALE):
        log.info("seeded bench Level-1 at scale %s in %.0fs", BENCH_SCALE, time.monotonic() - started)
    return conninfo


@contextmanager
def timed() -> Iterator[dict]:
    box: dict = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    widths = [max(len(str(h)), *(len(_fmt(r[i])) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  " + "  ".join("-" * w for w in widths))
    for row in rows:
        print("  " + "  ".join(_fmt(v).ljust(w) for v, w in zip(row, widths, strict=True)))


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(name: str, payload: object) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path

