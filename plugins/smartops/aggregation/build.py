"""Build one model: run its SELECT into <layer>.<table>__build and swap it in atomically.

The build, the swap and the run-log row commit in one transaction, so readers see the old
table or the new one, never a half-built one, and a failed build leaves the old table in place.
Re-running for the same business date gives the same table (idempotent full rebuild).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

import psycopg
from psycopg import sql

from smartops.aggregation.exceptions import ModelBuildError
from smartops.aggregation.registry import Model
from smartops.errors import WarehouseUnreachable
from smartops.sqlfiles import named_sql
from smartops.vocabulary import LedgerStatus
from smartops.warehouse.connections import describe
from smartops.warehouse.swap import lock_object, swap_in

log = logging.getLogger(__name__)

_SQL = "aggregation/model_run.sql"


@dataclass(frozen=True)
class ModelResult:
    """What one build published."""

    model: str
    business_date: date
    rows: int
    duration_s: float

    def summary(self) -> dict:
        """The task's return value and the model asset event's extra."""
        return {"model": self.model, "business_date": self.business_date.isoformat(), "rows": self.rows,
                "duration_s": self.duration_s}


def build_model(model: Model, *, warehouse: str, business_date: date, run_id: str) -> ModelResult:
    """Rebuild `model` for `business_date` and publish it atomically; record the run in ops.model_run.

    Raise WarehouseUnreachable (retryable) for connection and lock-timeout errors, ModelBuildError
    for SQL errors (the previous table stays published either way).
    """
    started = datetime.now(UTC)
    clock = time.monotonic()
    params = {"business_date": business_date, "run_id": run_id}
    try:
        with psycopg.connect(warehouse) as conn, conn.transaction():
            rows = _build_and_swap(conn, model, params)
            duration = round(time.monotonic() - clock, 3)
            _log_run(conn, model, business_date, run_id, started, duration, rows=rows)
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable(f"model={model.name}", describe(warehouse), exc) from exc
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
    lock_object(conn, f"aggregation:{model.name}")
    rows = conn.execute(sql.SQL("CREATE TABLE {} AS\n").format(build) + sql.SQL(select), params).rowcount
    conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
        build, sql.Identifier(f"{build_name}_pkey"), sql.SQL(", ").join(map(sql.Identifier, model.key))))
    swap_in(conn, staged=(model.layer, build_name), target=(model.layer, model.table), comment=model.description)
    conn.execute(sql.SQL("ANALYZE {}").format(target))
    return rows


def _record_failure(
    warehouse: str, model: Model, business_date: date, run_id: str, started: datetime, clock: float,
    error: Exception,
) -> None:
    """Write the failed build to ops.model_run in its own transaction (the build rolled back)."""
    try:
        with psycopg.connect(warehouse) as conn:
            _log_run(conn, model, business_date, run_id, started, round(time.monotonic() - clock, 3),
                     error=str(error).strip())
    except psycopg.Error:
        log.warning("%s: could not record the failed build in ops.model_run", model.name, exc_info=True)


def _log_run(conn: psycopg.Connection, model: Model, business_date: date, run_id: str, started: datetime,
             duration_s: float, *, rows: int | None = None, error: str | None = None) -> None:
    """One ops.model_run row: success with its rows, or failed with the error."""
    conn.execute(named_sql(_SQL, "insert_model_run"), {
        "run_id": run_id, "model": model.name, "business_date": business_date,
        "status": (LedgerStatus.FAILED if error else LedgerStatus.SUCCESS).value, "rows": rows,
        "started_at": started, "duration_s": duration_s, "error": error})
