"""Test harness: a real PostgreSQL (embedded unless SMARTOPS_TEST_PG_ADMIN is set) and a real Airflow.

Databases are cheap clones of session templates (`CREATE DATABASE … TEMPLATE`): a migrated
warehouse, and demo data seeded and backflowed once — each test still gets its own copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
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

from smartops.warehouse.connections import airflow_uri  # noqa: E402, F401  (tests import it from here)
from smartops.warehouse.migrate import migrate  # noqa: E402
from tests.support import shared  # noqa: E402
from tests.support.helpers import sync_all  # noqa: E402
from workbench import dag_test, embedded  # noqa: E402
from workbench.setup import READER_ROLE, grant_reader  # noqa: E402

pytest_plugins = ["tests.support.delivery", "tests.support.console"]


def pytest_configure(config: pytest.Config) -> None:
    dag_test.install()  # dag.test() runs without Deadline Alerts (an Airflow 3.3 limitation; see the module)
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        shared.start_run()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        shared.end_run()

DEMO_SCALE = 0.2
DEMO_END = date(2026, 11, 28)  # the seeded history's last day: tests pin their business dates to it
DEMO_SEED_RUN = "scheduled__demo-1"


class Databases:
    """Create and drop databases on the test server, empty or cloned from a template."""

    def __init__(self, admin: str) -> None:
        self.admin = admin
        self.templates: list[str] = []

    def conninfo(self, name: str, **overrides: str) -> str:
        return psycopg.conninfo.make_conninfo(self.admin, dbname=name, **overrides)

    def create(self, hint: str, template: str | None = None) -> str:
        """Create `t_<hint>_<random>` (a copy of `template` if given); return its name."""
        name = f"t_{hint}_{uuid.uuid4().hex[:8]}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(statement)
        return name

    def template(self, hint: str, template: str | None = None) -> str:
        """Create a database kept for the whole session (a template for per-test copies)."""
        self.templates.append(self.create(f"tpl_{hint}", template))
        return self.templates[-1]

    def shared_template(self, hint: str, template: str | None = None) -> str:
        """Create a template every worker of this run uses; the controller drops it at the end."""
        name = self.create(f"tpl_{hint}", template)
        shared.keep_database(self.admin, name)
        return name

    def drop(self, names: list[str]) -> None:
        with psycopg.connect(self.admin, autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(autouse=True)
def private_alert_spool(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own alert spool: an alert one test spools (its warehouse down) must not be drained into
    the next test's warehouse by that test's first alert run (the spool is per machine, the worker's home)."""
    monkeypatch.setenv("SMARTOPS_ALERT_SPOOL", str(tmp_path_factory.mktemp("spool")))


@pytest.fixture(scope="session")
def pg_admin() -> str:
    """Superuser conninfo of the test server."""
    return os.environ.get("SMARTOPS_TEST_PG_ADMIN") or embedded.start()


@pytest.fixture(scope="session")
def databases(pg_admin: str) -> Iterator[Databases]:
    """The database factory; templates made through it live for the session."""
    factory = Databases(pg_admin)
    yield factory
    factory.drop(factory.templates)


@pytest.fixture
def make_database(databases: Databases) -> Iterator[Callable[..., str]]:
    """Factory: a fresh database for this test (name hint [, template] -> conninfo); dropped after it."""
    created: list[str] = []

    def make(hint: str, template: str | None = None) -> str:
        created.append(databases.create(hint, template))
        return databases.conninfo(created[-1])

    yield make
    databases.drop(created)


@pytest.fixture(scope="session")
def warehouse_template(databases: Databases) -> str:
    """A warehouse with every migration applied, once per run."""

    def build() -> str:
        name = databases.shared_template("wh")
        migrate(databases.conninfo(name))
        return name

    return shared.once("warehouse_template", build)


@pytest.fixture
def warehouse(make_database: Callable[..., str], warehouse_template: str) -> str:
    """A migrated, empty warehouse database."""
    return make_database("wh", warehouse_template)


@pytest.fixture
def level1(make_database: Callable[..., str]) -> str:
    """An empty Level-1 database with schema l1 (admin conninfo, for arranging data)."""
    conninfo = make_database("l1")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA l1")
    return conninfo


def reader_of(level1_conninfo: str) -> str:
    """The read-only conninfo of a Level-1 database (what backflow_sync uses)."""
    return psycopg.conninfo.make_conninfo(level1_conninfo, user=READER_ROLE)


@pytest.fixture
def level1_reader(level1: str) -> str:
    """Read-only conninfo for `level1`."""
    grant_reader(level1)
    return reader_of(level1)


@dataclass(frozen=True)
class DemoTemplates:
    level1: str
    warehouse: str


@pytest.fixture(scope="session")
def demo_templates(databases: Databases, warehouse_template: str) -> DemoTemplates:
    """Demo Level-1 data seeded at DEMO_SCALE and backflowed into a warehouse once per run, as templates."""
    from workbench.demo.generator import seed_level1

    def build() -> list[str]:
        level1 = databases.shared_template("demo_l1")
        seed_level1(databases.conninfo(level1), scale=DEMO_SCALE, end=DEMO_END)
        grant_reader(databases.conninfo(level1))
        wh = databases.shared_template("demo_wh", warehouse_template)
        sync_all(reader_of(databases.conninfo(level1)), databases.conninfo(wh), DEMO_SEED_RUN)
        return [level1, wh]

    return DemoTemplates(*shared.once("demo_templates", build))


@pytest.fixture
def demo_level1(make_database: Callable[..., str], demo_templates: DemoTemplates) -> str:
    """This test's copy of the seeded demo Level-1 (admin conninfo)."""
    return make_database("demo_l1", demo_templates.level1)


@pytest.fixture
def demo_warehouse(make_database: Callable[..., str], demo_templates: DemoTemplates) -> str:
    """This test's copy of the warehouse holding one full backflow of the demo data (run DEMO_SEED_RUN)."""
    return make_database("demo_wh", demo_templates.warehouse)


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """Airflow's metadata DB (SQLite in the throw-away home): migrated once per run, copied per worker."""

    def build() -> str:
        home = shared.folder() / "airflow-home"
        home.mkdir()
        subprocess.run([str(Path(sys.executable).with_name("airflow")), "db", "migrate"],
                       env={**os.environ, "AIRFLOW_HOME": str(home)}, check=True, capture_output=True)
        return str(home / "airflow.db")

    shutil.copyfile(shared.once("airflow_db", build), Path(_AIRFLOW_HOME) / "airflow.db")


@pytest.fixture(scope="session")
def dagbag(airflow_db):
    """The repository's DAGs, parsed once per session."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def _point_connections(monkeypatch: pytest.MonkeyPatch, level1_reader: str, warehouse: str) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", airflow_uri(level1_reader))
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))


@pytest.fixture
def airflow_connections(monkeypatch: pytest.MonkeyPatch, level1_reader: str, warehouse: str) -> None:
    """Point level1_source / level2_warehouse at this test's empty databases, as env vars."""
    _point_connections(monkeypatch, level1_reader, warehouse)


@pytest.fixture
def demo_connections(monkeypatch: pytest.MonkeyPatch, demo_level1: str, demo_warehouse: str) -> None:
    """Point level1_source / level2_warehouse at this test's copies of the demo data."""
    _point_connections(monkeypatch, reader_of(demo_level1), demo_warehouse)
