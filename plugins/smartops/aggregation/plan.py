"""Decide how a model is built this run: incrementally from the changes, or in full, and why.

A full build is chosen when asked (backfills), when the model has no incremental scope, no
previous build or no published table, when its SQL or an upstream model's SQL changed (hash
stored with the build), when the business date goes backwards (a rewind), when the content of
the ods master data it denormalises changed (hash stored with the build), or when an
incremental upstream model was rebuilt in full since.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from psycopg import sql

from smartops.config.models import Model, ModelRegistry
from smartops.paths import SQL_DIR
from smartops.sqlfiles import named_sql
from smartops.vocabulary import BuildMode

_SQL = "aggregation/model_run.sql"
SCOPE_PARTS_PATH = SQL_DIR / "aggregation" / "scope_parts.sql"


@dataclass(frozen=True)
class PreviousBuild:
    """The model's last successful build (ops.model_run)."""

    model_run_id: int
    business_date: date
    started_at: datetime
    sql_hash: str | None
    master_hash: str | None
    rows: int


@dataclass(frozen=True)
class BuildPlan:
    """How this build runs; `previous` is set for an incremental build."""

    mode: BuildMode
    reason: str
    sql_hash: str
    master_hash: str | None = None
    previous: PreviousBuild | None = None


def sql_hash(model: Model, registry: ModelRegistry) -> str:
    """Hash the model's SQL (and scope SQL) with every upstream model's: any change rebuilds in full."""
    digest = hashlib.sha256()
    for name in [*registry.upstream_closure(model.name), model.name]:
        m = registry.get(name)
        paths = [m.sql_path, m.scope_path, SCOPE_PARTS_PATH] if m.incremental else [m.sql_path]
        for path in paths:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_build(conn: psycopg.Connection, model: Model, registry: ModelRegistry, business_date: date,
               *, full_rebuild: bool) -> BuildPlan:
    """Return the plan for building `model` for `business_date` (inside the build's transaction)."""
    digest = sql_hash(model, registry)
    master = _master_hash(conn, model)

    def full(reason: str) -> BuildPlan:
        return BuildPlan(BuildMode.FULL, reason, digest, master)

    if full_rebuild:
        return full("full rebuild requested")
    if model.incremental is None:
        return full("no incremental scope: always rebuilt in full")
    row = conn.execute(named_sql(_SQL, "previous_build"), {"model": model.name}).fetchone()
    if row is None or not _table_exists(conn, model):
        return full("no previous build")
    previous = PreviousBuild(*row)
    if previous.sql_hash != digest:
        return full("the model's SQL or an upstream model's SQL changed")
    if business_date < previous.business_date:
        return full(f"business date rewound from {previous.business_date} to {business_date}")
    if master != previous.master_hash:
        return full(f"master data {', '.join(model.incremental.full_when_changed)} changed since the last build")
    for upstream in registry.upstream_models(model.name):
        if registry.get(upstream).incremental and conn.execute(
                named_sql(_SQL, "full_build_since"),
                {"model": upstream, "since_run": previous.model_run_id}).fetchone():
            return full(f"{upstream} was rebuilt in full since the last build")
    return BuildPlan(BuildMode.INCREMENTAL, "changes since the last build", digest, master, previous)


def _table_exists(conn: psycopg.Connection, model: Model) -> bool:
    return conn.execute(named_sql(_SQL, "table_exists"), {"name": model.name}).fetchone()[0]


def _master_hash(conn: psycopg.Connection, model: Model) -> str | None:
    """One hash over the live content of the model's full_when_changed tables (None without any)."""
    if model.incremental is None or not model.incremental.full_when_changed:
        return None
    digest = hashlib.sha256()
    for table in model.incremental.full_when_changed:
        statement = sql.SQL(named_sql(_SQL, "master_hash")).format(
            table=sql.Identifier(*table.split(".")))
        digest.update(conn.execute(statement).fetchone()[0].encode())
    return digest.hexdigest()
