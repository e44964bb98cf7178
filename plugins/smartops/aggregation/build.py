"""Build one model: run its SELECT into <layer>.<table>__build and swap it in atomically.

The build, the swap and the run-log row commit in one transaction, so readers see the old
table or the new one, never a half-built one, and a failed build leaves the old table in place.
Re-running for the same business date gives the same table (idempotent full rebuild).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from smartops.aggregation.exceptions import ModelBuildError, WarehouseUnreachable
from smartops.aggregation.registry import Model

log = logging.getLogger(__name__)

# A reader holding the old table longer than this fails the build (retryable) instead of
# queueing every other reader behind the swap's exclusive lock.
LOCK_TIMEOUT = "1min"

_LOG_SQL = """
INSERT INTO ops.model_run (run_id, model, business_date, status, rows, started_at, finished_at, duration_s, error)
VALUES (%s, %s, %s, %s, %s, %s, now(), %s, %s)
"""


@dataclass(frozen=True)
class ModelResult:
    """What one build published."""

    model: str
    business_date: date
    rows: int
    duration_s: float


def _describe(warehouse: str) -> str:
    params = conninfo_to_dict(warehouse)
    return f"{params.get('host', 'localhost')}:{params.get('port', 5432)}/{params.get('dbname', '')}"


def build_model(model: Model, *, warehouse: str, business_date: date, run_id: str) -> ModelResult:
    """Rebuild `model` for `business_date` and publish it atomically; record the run in ops.model_run.

    Raise WarehouseUnreachable (retryable) for connection and lock-timeout errors, ModelBuildError
    for SQL errors (the previous table stays published either way).
    """
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    params = {"business_date": business_date, "run_id": run_id}
    try:
        with psycopg.connect(warehouse) as conn, conn.transaction():
            rows = _build_and_swap(conn, model, params)
            duration = round(time.monotonic() - clock, 3)
            conn.execute(_LOG_SQL, (run_id, model.name, business_date, "success", rows, started, duration, None))
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable(model.name, _describe(warehouse), str(exc).strip()) from exc
    except psycopg.Error as exc:
        _record_failure(warehouse, model, business_date, run_id, started, clock, exc)
        raise ModelBuildError(model.name, str(model.sql_path), str(exc).strip()) from exc
    log.info("%s: published %d rows for business date %s in %.2fs", model.name, rows, business_date, duration)
    return ModelResult(model.name, business_date, rows, duration)


def _build_and_swap(conn: psycopg.Connection, model: Model, params: dict) -> int:
    """Create <table>__build from the model's SELECT, key it, and swap it in; return its row count."""
    build_name = f"{model.table}__build"
    target = sql.Identifier(model.layer, model.table)
    build = sql.Identifier(model.layer, build_name)
    select = model.sql_path.read_text(encoding="utf-8").strip().rstrip(";")
    # One build per model at a time, even if a retry overlaps a zombie attempt.
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"aggregation:{model.name}",))
    conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
    rows = conn.execute(sql.SQL("CREATE TABLE {} AS\n").format(build) + sql.SQL(select), params).rowcount
    conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
        build, sql.Identifier(f"{build_name}_pkey"), sql.SQL(", ").join(map(sql.Identifier, model.key))))
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
    conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(build, sql.Identifier(model.table)))
    conn.execute(sql.SQL("ALTER TABLE {} RENAME CONSTRAINT {} TO {}").format(
        target, sql.Identifier(f"{build_name}_pkey"), sql.Identifier(f"{model.table}_pkey")))
    conn.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(target, sql.Literal(model.description)))
    conn.execute(sql.SQL("ANALYZE {}").format(target))
    return rows


def _record_failure(
    warehouse: str, model: Model, business_date: date, run_id: str, started: datetime, clock: float,
    error: Exception,
) -> None:
    """Write the failed build to ops.model_run in its own transaction (the build rolled back)."""
    try:
        with psycopg.connect(warehouse) as conn:
            conn.execute(_LOG_SQL, (run_id, model.name, business_date, "failed", None, started,
                                    round(time.monotonic() - clock, 3), str(error).strip()))
    except psycopg.Error:
        log.warning("%s: could not record the failed build in ops.model_run", model.name, exc_info=True)
