"""Build one model and publish it atomically: a full rebuild or an incremental update.

Full: run the SELECT into <layer>.<table>__build and swap it in. Incremental (fact models with a
scope, see smartops.aggregation.plan): delete the scope's keys and insert them recomputed. Either
way the build and its ops.model_run row commit in one transaction, so readers see the old table
or the new one, a failed build leaves the old table in place, and every build is a new build id
the quality gate checks again. Re-running for the same business date gives the same table. An
incremental build leaves the rows it removed and wrote in ops.model_delta for its incremental
readers and for the quality scan, which checks only a build's changes (smartops.quality.scope).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from string import Formatter

import psycopg
from psycopg import sql

from smartops.aggregation.exceptions import ModelBuildError
from smartops.aggregation.plan import BuildPlan, plan_build
from smartops.config.models import Model, ModelRegistry
from smartops.errors import WarehouseUnreachable
from smartops.paths import SODA_DIR
from smartops.sqlfiles import SqlFileError, named_sql
from smartops.vocabulary import BuildMode, LedgerStatus
from smartops.warehouse.connections import describe
from smartops.warehouse.swap import lock_object, swap_in

log = logging.getLogger(__name__)

_SQL = "aggregation/model_run.sql"
_SCOPE_PARTS = "aggregation/scope_parts.sql"  # shared parts of the scope queries


@dataclass(frozen=True)
class ModelResult:
    """What one build published."""

    model: str
    business_date: date
    rows: int
    duration_s: float
    mode: BuildMode = BuildMode.FULL
    changed_rows: int | None = None

    def summary(self) -> dict:
        """The task's return value and the model asset event's extra."""
        return {"model": self.model, "business_date": self.business_date.isoformat(), "rows": self.rows,
                "duration_s": self.duration_s, "mode": self.mode.value, "changed_rows": self.changed_rows}


def build_model(model: Model, *, registry: ModelRegistry, warehouse: str, business_date: date, run_id: str,
                full_rebuild: bool = False) -> ModelResult:
    """Build `model` for `business_date` (incrementally when it can, see plan) and publish it atomically.

    Raise WarehouseUnreachable (retryable) for connection and lock-timeout errors, ModelBuildError
    for SQL errors (the previous table stays published either way).
    """
    started = datetime.now(UTC)
    clock = time.monotonic()
    params = {"business_date": business_date, "run_id": run_id}
    plan: BuildPlan | None = None
    try:
        with psycopg.connect(warehouse) as conn, conn.transaction():
            lock_object(conn, f"aggregation:{model.name}")
            plan = plan_build(conn, model, registry, business_date, full_rebuild=full_rebuild)
            if plan.mode is BuildMode.FULL:
                rows, changed = _build_and_swap(conn, model, params), None
            else:
                rows, changed = _apply_changes(conn, model, params, plan)
            duration = round(time.monotonic() - clock, 3)
            model_run_id = _log_run(conn, model, business_date, run_id, started, duration, plan, rows=rows)
            readers = [m.name for m in registry.models if m.incremental and model.name in m.inputs]
            scanned = is_scanned(model)
            if changed is not None and (readers or scanned):
                conn.execute(named_sql(_SQL, "save_delta"), {"model_run_id": model_run_id, "model": model.name})
                conn.execute(named_sql(_SQL, "prune_delta"), {"model": model.name, "readers": readers,
                                                              "scanned": scanned})
    except psycopg.OperationalError as exc:
        raise WarehouseUnreachable(f"model={model.name}", describe(warehouse), exc) from exc
    except psycopg.Error as exc:
        _record_failure(warehouse, model, business_date, run_id, started, clock, plan, exc)
        raise ModelBuildError(model.name, str(model.sql_path), str(exc).strip()) from exc
    log.info("%s: published %d rows for business date %s in %.2fs (%s: %s)", model.name, rows, business_date,
             duration, plan.mode, plan.reason)
    return ModelResult(model.name, business_date, rows, duration, plan.mode, changed)


def is_scanned(model: Model) -> bool:
    """Whether quality_scan checks the model (it has a check file): its scans read its builds' deltas."""
    return (SODA_DIR / model.layer / f"{model.table}.yml").is_file()


def model_select(model: Model, scope: sql.Composable | None = None) -> sql.Composed:
    """The model's SELECT with its `{scope}` and named filters filled in (all TRUE without a scope).

    With a scope, the scope file's own `select` statement when it has one (see registry.Incremental).
    """
    names = model.incremental.filters if model.incremental else []
    scope_file = f"aggregation/{model.scope_path.name}"
    filters = {name: _condition(named_sql(scope_file, name)) if scope else sql.SQL("TRUE") for name in names}
    text = model.sql_path.read_text(encoding="utf-8").strip().rstrip(";")
    if scope is not None:
        with contextlib.suppress(SqlFileError):
            text = named_sql(scope_file, "select")
    return sql.SQL(text).format(scope=scope or sql.SQL("TRUE"), **filters)


def _scope_keys(model: Model) -> sql.Composed:
    """The scope's `keys` SELECT with the shared parts it names (scope_parts.sql) filled in."""
    text = named_sql(f"aggregation/{model.scope_path.name}", "keys")
    parts = {name: sql.SQL(named_sql(_SCOPE_PARTS, name)) for _, name, _, _ in Formatter().parse(text) if name}
    return sql.SQL(text).format(**parts)


def _condition(text: str) -> sql.SQL:
    """A named filter as one parenthesised condition, its comment lines dropped (it goes mid-line)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return sql.SQL("({})".format(" ".join(lines)))


def _build_and_swap(conn: psycopg.Connection, model: Model, params: dict) -> int:
    """Create <table>__build from the model's SELECT, key it, and swap it in; return its row count."""
    build_name = f"{model.table}__build"
    target = sql.Identifier(model.layer, model.table)
    build = sql.Identifier(model.layer, build_name)
    rows = conn.execute(sql.SQL("CREATE TABLE {} AS\n").format(build) + model_select(model),
                        params).rowcount
    conn.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
        build, sql.Identifier(f"{build_name}_pkey"), sql.SQL(", ").join(map(sql.Identifier, model.key))))
    swap_in(conn, staged=(model.layer, build_name), target=(model.layer, model.table), comment=model.description)
    for number, columns in enumerate(model.indexes, start=1):  # named after the table: the old one is gone
        conn.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(
            sql.Identifier(f"{model.table}_ix{number}"), target, sql.SQL(", ").join(map(sql.Identifier, columns))))
    conn.execute(sql.SQL("ANALYZE {}").format(target))
    return rows


def _apply_changes(conn: psycopg.Connection, model: Model, params: dict, plan: BuildPlan) -> tuple[int, int]:
    """Delete the scope's keys from the published table and insert them recomputed, in place.

    The removed and the written rows go to pg_temp.model_changes (saved as the build's delta for
    incremental readers). Return (rows in the table, rows removed + written).
    """
    previous = plan.previous
    target = sql.Identifier(model.layer, model.table)
    conn.execute(sql.SQL("CREATE TEMP TABLE model_scope ON COMMIT DROP AS\n") + _scope_keys(model), {
        **params, "since": previous.started_at, "since_run": previous.model_run_id,
        "previous_date": previous.business_date})
    conn.execute("CREATE TEMP TABLE model_changes (row_data jsonb NOT NULL) ON COMMIT DROP")
    conn.execute("ANALYZE pg_temp.model_scope")
    columns = model.incremental.scope_columns
    # In the model's SELECT the columns keep their qualifier; on the published table they are t.<column>.
    in_scope = _in_scope(sql.Identifier(*c.split(".")) for c in columns)
    in_scope_target = _in_scope(sql.Identifier("t", c.split(".")[-1]) for c in columns)
    removed = conn.execute(sql.SQL(
        "WITH gone AS (DELETE FROM {} t WHERE {} RETURNING t.*) "
        "INSERT INTO pg_temp.model_changes SELECT to_jsonb(gone) FROM gone").format(target, in_scope_target)
    ).rowcount
    written = conn.execute(sql.SQL("WITH fresh AS (INSERT INTO {} ").format(target) + model_select(model, in_scope)
                           + sql.SQL(" RETURNING *) INSERT INTO pg_temp.model_changes SELECT to_jsonb(fresh) "
                                     "FROM fresh"), params).rowcount
    return previous.rows - removed + written, removed + written


def _in_scope(columns: Iterable[sql.Identifier]) -> sql.Composed:
    """The condition `(columns) IN (the scope's keys)`."""
    return sql.SQL("({}) IN (SELECT * FROM pg_temp.model_scope)").format(sql.SQL(", ").join(columns))


def _record_failure(
    warehouse: str, model: Model, business_date: date, run_id: str, started: datetime, clock: float,
    plan: BuildPlan | None, error: Exception,
) -> None:
    """Write the failed build to ops.model_run in its own transaction (the build rolled back)."""
    try:
        with psycopg.connect(warehouse) as conn:
            _log_run(conn, model, business_date, run_id, started, round(time.monotonic() - clock, 3), plan,
                     error=str(error).strip())
    except psycopg.Error:
        log.warning("%s: could not record the failed build in ops.model_run", model.name, exc_info=True)


def _log_run(conn: psycopg.Connection, model: Model, business_date: date, run_id: str, started: datetime,
             duration_s: float, plan: BuildPlan | None, *, rows: int | None = None,
             error: str | None = None) -> int:
    """One ops.model_run row: success with its rows, or failed with the error; return its id."""
    return conn.execute(named_sql(_SQL, "insert_model_run"), {
        "run_id": run_id, "model": model.name, "business_date": business_date,
        "status": (LedgerStatus.FAILED if error else LedgerStatus.SUCCESS).value, "rows": rows,
        "started_at": started, "duration_s": duration_s, "error": error,
        "mode": plan and plan.mode.value, "reason": plan and plan.reason,
        "sql_hash": plan and plan.sql_hash, "master_hash": plan and plan.master_hash}).fetchone()[0]
