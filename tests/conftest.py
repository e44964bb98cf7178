"""Test harness: a real PostgreSQL (embedded unless SMARTOPS_TEST_PG_ADMIN is set) and a real Airflow."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

# Airflow reads its configuration at import: point it at a throw-away home first.
_AIRFLOW_HOME = tempfile.mkdtemp(prefix="smartops-airflow-")
os.environ.update({
    "AIRFLOW_HOME": _AIRFLOW_HOME,
    "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Shanghai",
    "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")]),
})

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from smartops import embedded  # noqa: E402
from smartops.setup import grant_reader  # noqa: E402
from smartops.warehouse.migrate import migrate  # noqa: E402


@pytest.fixture(scope="session")
def pg_admin() -> str:
    """Superuser conninfo of the test server."""
    return os.environ.get("SMARTOPS_TEST_PG_ADMIN") or embedded.start()


def _with_db(admin: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(admin, dbname=dbname)


@pytest.fixture
def make_database(pg_admin: str) -> Iterator[Callable[[str], str]]:
    """Factory: create a fresh empty database (name hint -> conninfo); dropped after the test."""
    created: list[str] = []

    def make(hint: str) -> str:
        name = f"t_{hint}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return _with_db(pg_admin, name)

    yield make
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        for name in created:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse(make_database: Callable[[str], str]) -> str:
    """A migrated, empty warehouse database."""
    conninfo = make_database("wh")
    migrate(conninfo)
    return conninfo


@pytest.fixture
def level1(make_database: Callable[[str], str]) -> str:
    """An empty Level-1 database with schema l1 (admin conninfo, for arranging data)."""
    conninfo = make_database("l1")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA l1")
    return conninfo


@pytest.fixture
def level1_reader(level1: str) -> str:
    """Read-only conninfo for `level1` (what backflow_sync uses)."""
    grant_reader(level1)
    return psycopg.conninfo.make_conninfo(level1, user="level1_reader")


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """Airflow's metadata DB (SQLite in the throw-away home), migrated once per session."""
    subprocess.run([str(Path(sys.executable).with_name("airflow")), "db", "migrate"],
                   check=True, capture_output=True)


@pytest.fixture(scope="session")
def dagbag(airflow_db):
    """The repository's DAGs, parsed once per session."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def airflow_uri(conninfo: str) -> str:
    """Render a conninfo as the URI form Airflow connections take."""
    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    return f"postgresql://{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"


@pytest.fixture
def airflow_connections(monkeypatch: pytest.MonkeyPatch, level1_reader: str, warehouse: str) -> None:
    """Point level1_source / level2_warehouse at this test's databases, as env vars."""
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", airflow_uri(level1_reader))
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
