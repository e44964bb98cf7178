"""Bring the product up on a developer's machine: databases, demo data, migrations, Airflow environment.

With AIRFLOW_CONN_LEVEL1_SOURCE and AIRFLOW_CONN_LEVEL2_WAREHOUSE set, those are used and
nothing is written to Level-1. Otherwise the embedded PostgreSQL serves both, with the demo
Level-1 data seeded once.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from smartops.paths import PROJECT_ROOT
from workbench import embedded
from workbench.paths import DEMO_SQL_DIR

log = logging.getLogger(__name__)

LEVEL1_DB = "level1"
WAREHOUSE_DB = "warehouse"
READER_ROLE = "level1_reader"
# Counted in Level-1 connections: each backflow task takes SOURCE_SESSIONS (2) slots, so 4 = two tables at once.
POOL = ("level1_source", "4", "Concurrent connections to Level-1 (backflow_sync: 2 per table being synced)")


@dataclass(frozen=True)
class Endpoints:
    """Where the two databases are: Airflow URIs and the admin conninfo used to prepare them."""

    level1_uri: str
    warehouse_uri: str
    embedded: bool


def airflow_env(endpoints: Endpoints) -> dict[str, str]:
    """Return the environment every Airflow command of the project runs with."""
    env = dict(os.environ)
    env.setdefault("AIRFLOW_HOME", str(PROJECT_ROOT / ".airflow"))
    env.update({
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Shanghai",
        "AIRFLOW_CONN_LEVEL1_SOURCE": endpoints.level1_uri,
        "AIRFLOW_CONN_LEVEL2_WAREHOUSE": endpoints.warehouse_uri,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT / "plugins"), env.get("PYTHONPATH")])),
        # `airflow standalone` starts its components as `airflow …` from PATH: this virtualenv's.
        "PATH": os.pathsep.join(filter(None, [str(Path(sys.executable).parent), env.get("PATH")])),
    })
    # Sized for a 2-core machine: a few tasks at a time, one process each.
    env.setdefault("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
    env.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
    env.setdefault("AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG", "4")
    # The schedules are the product: DAGs run without a first click in the UI.
    env.setdefault("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "False")
    return env


def standalone_env(env: dict[str, str], port: int = 8080) -> dict[str, str]:
    """The environment of `make run`'s `airflow standalone`: the simple auth manager's `admin`, and the
    watchdog's `airflow_api` connection logged in as that admin.

    The admin's password is written (0600) before the API server starts, so no password is ever printed
    to a log, and handed to the watchdog as its connection — the product reads Airflow's REST API only
    through that connection.
    """
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    env = {**env, "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
           "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords_file(env))}
    env.setdefault("AIRFLOW__API__BASE_URL", f"http://localhost:{port}")
    path = passwords_file(env)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(json.dumps({"admin": secrets.token_urlsafe(12)}) + "\n")
    password = json.loads(path.read_text())["admin"]
    env.setdefault("AIRFLOW_CONN_AIRFLOW_API", json.dumps({
        "conn_type": "http", "host": f"http://127.0.0.1:{port}", "login": "admin", "password": password}))
    return env


def passwords_file(env: dict[str, str]) -> Path:
    """The simple auth manager's passwords file of `make run` (user admin)."""
    return Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"


def prepare_databases(*, scale: float = 1.0, history_end: date | None = None) -> Endpoints:
    """Start/seed/migrate as needed and return the endpoints; safe to run again.

    A first seed of the demo Level-1 ends its history on `history_end` (default: yesterday).
    """
    from smartops.warehouse.migrate import migrate
    from workbench.demo.generator import seed_level1

    level1 = os.environ.get("AIRFLOW_CONN_LEVEL1_SOURCE")
    warehouse = os.environ.get("AIRFLOW_CONN_LEVEL2_WAREHOUSE")
    if level1 and warehouse:
        log.info("Using the configured level1_source and level2_warehouse connections")
        migrate(warehouse)
        return Endpoints(level1, warehouse, embedded=False)
    if level1 or warehouse:
        raise SystemExit("Set both AIRFLOW_CONN_LEVEL1_SOURCE and AIRFLOW_CONN_LEVEL2_WAREHOUSE, or neither "
                         "(then the embedded PostgreSQL is used).")
    admin = embedded.start()
    for db in (LEVEL1_DB, WAREHOUSE_DB):
        embedded.ensure_database(admin, db)
    level1_admin = embedded.admin_conninfo(dbname=LEVEL1_DB)
    if seed_level1(level1_admin, scale=scale, end=history_end):
        log.info("Seeded the demo Level-1 data (scale %s)", scale)
    grant_reader(level1_admin)
    migrate(embedded.admin_conninfo(dbname=WAREHOUSE_DB))
    port = embedded.DEFAULT_PORT
    return Endpoints(
        level1_uri=f"postgresql://{READER_ROLE}@127.0.0.1:{port}/{LEVEL1_DB}",
        warehouse_uri=f"postgresql://{embedded.SUPERUSER}@127.0.0.1:{port}/{WAREHOUSE_DB}",
        embedded=True,
    )


def grant_reader(level1_admin: str) -> None:
    """Create the read-only Level-1 role the level1_source connection logs in as."""
    with psycopg.connect(level1_admin, autocommit=True) as conn:
        conn.execute((DEMO_SQL_DIR / "level1_reader.sql").read_text())


def prepare_airflow(env: dict[str, str]) -> None:
    """Migrate Airflow's metadata DB and create the pool; both idempotent."""
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    airflow(env, "db", "migrate")
    airflow(env, "pools", "set", *POOL)


def airflow(env: dict[str, str], *args: str, quiet: bool = True, check: bool = True) -> subprocess.CompletedProcess:
    """Run an `airflow` CLI command of this virtualenv with the project environment.

    With check (the default) a non-zero exit prints the output's tail and exits.
    """
    command = [str(Path(sys.executable).with_name("airflow")), *args]
    completed = subprocess.run(command, env=env, capture_output=quiet, text=True)
    if check and completed.returncode != 0:
        if quiet:
            sys.stderr.write(completed.stdout[-4000:] + completed.stderr[-4000:])
        raise SystemExit(f"'airflow {' '.join(args)}' failed with exit code {completed.returncode}")
    return completed
