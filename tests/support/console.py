"""The console's test bed: a warehouse after one real daily cycle, and a real `airflow api-server` serving it.

The cycle is the demo's (`make demo`) run in-process: a simulated business day with dirty rows at
Level-1, then every DAG of the loop through `dag.test()` — sync, aggregation, quality scan,
scenario refresh, report — so the ops tables hold what production writes, alerts and backlog
items included. The API server runs with the plugin on a free port (21000–29999) — with the simple auth manager
(make run's: users admin, ops, viewer) and with the FAB auth manager and the deployment's roles
(finance: Viewer, ops: Op) — and is stopped at the end of the session.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import httpx
import pytest

from smartops.alerting.context import AlertContext
from smartops.business_date import BUSINESS_TZ
from tests.conftest import DemoTemplates, airflow_uri, reader_of
from tests.support.helpers import parse_dag
from workbench.ports import free_port

DAILY_CYCLE = ("backflow_sync", "aggregation", "quality_scan", "scenario_refresh", "data_pulse", "operations_report")
USERS = {"admin": "admin", "ops": "op", "viewer": "viewer"}  # name: simple auth manager role
FAB_USERS = {"finance": "Viewer", "ops": "Op"}  # the deployment's roles (docker-compose.yaml)
SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
STARTUP_SECONDS = 240  # a loaded 2-core CI machine starts the API server slowly


@dataclass(frozen=True)
class ConsoleData:
    """The session's warehouse after the cycle, and the business day the cycle stood for."""

    warehouse: str
    level1: str
    business_date: date


def _alerting_config(folder: Path) -> Path:
    """alerting.yaml for the cycle: the repository's routing, one attempt per channel, reports in `folder`.

    The chat channels' connections are not defined here, so deliveries are recorded as failed at once.
    """
    import yaml

    from smartops.config.alerting import ALERTING_PATH

    config = yaml.safe_load(ALERTING_PATH.read_text(encoding="utf-8"))
    config["delivery"] = {"attempts": 1, "retry_delay": "0s", "timeout": "2s"}
    config["report"]["folder"] = str(folder / "reports")
    path = folder / "alerting.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def run_cycle(level1_admin: str, warehouse: str, folder: Path) -> date:
    """Simulate one dirty business day at Level-1 and run the daily cycle's DAGs for it; return the day."""
    from workbench.demo.simulator import simulate_day

    day = simulate_day(level1_admin, dirty_rate=0.05).day
    run_at = datetime.combine(day + timedelta(days=1), clock(2), BUSINESS_TZ)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", airflow_uri(reader_of(level1_admin)))
        env.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
        env.setenv("SMARTOPS_ALERTING_CONFIG", str(_alerting_config(folder)))
        for dag_id in DAILY_CYCLE:
            conf = {"deliver": False} if dag_id == "operations_report" else {}
            if dag_id != "backflow_sync":
                conf[{"operations_report": "report_date"}.get(dag_id, "business_date")] = day.isoformat()
            parse_dag(dag_id).test(logical_date=run_at, run_conf=conf)
    return day


@pytest.fixture(scope="session")
def console_data(databases, demo_templates: DemoTemplates, airflow_db, tmp_path_factory) -> ConsoleData:
    """Demo Level-1 and warehouse copies after one simulated dirty day and its whole daily cycle."""
    level1 = databases.conninfo(databases.template("console_l1", demo_templates.level1))
    warehouse = databases.conninfo(databases.template("console_wh", demo_templates.warehouse))
    day = run_cycle(level1, warehouse, tmp_path_factory.mktemp("console-cycle"))
    return ConsoleData(warehouse, level1, day)


@pytest.fixture
def new_item(console_data: ConsoleData):
    """Factory: open a fresh backlog item through the real alert path (overrides as make_alert's); return its id."""
    from smartops.alerting import raise_alert
    from smartops.config.alerting import AlertingConfig
    from tests.alerting.factories import make_alert

    def make(**overrides: object) -> int:
        alert = make_alert(check=f"console-test-{uuid.uuid4().hex[:8]}", **overrides)
        return raise_alert(AlertContext(console_data.warehouse, AlertingConfig()), alert).item_id

    return make


@dataclass
class ConsoleServer:
    """A running `airflow api-server` with the console plugin, and the passwords of its users."""

    url: str
    passwords: dict[str, str]
    log: Path

    def token(self, user: str) -> str:
        """A JWT for `user` from the simple auth manager's own token endpoint."""
        response = httpx.post(f"{self.url}/auth/token", json={"username": user, "password": self.passwords[user]})
        assert response.status_code == 201, f"token for {user}: {response.status_code} {response.text}"
        return response.json()["access_token"]

    def client(self, user: str | None = None) -> httpx.Client:
        """An HTTP client for the console, authenticated as `user` by bearer token (anonymous when None)."""
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user else {}
        return httpx.Client(base_url=f"{self.url}/smartops", headers=headers, timeout=60)


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"airflow api-server exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/api/v2/monitor/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"airflow api-server not up at {url} after {STARTUP_SECONDS}s:\n{log.read_text()[-4000:]}")


def _airflow(*args: str, env: dict[str, str]) -> None:
    """Run an `airflow` CLI command of this virtualenv; raise with its output's tail when it fails."""
    done = subprocess.run([str(Path(sys.executable).with_name("airflow")), *args], env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"airflow {' '.join(args[:2])} exited with {done.returncode}:\n"
                           f"{(done.stdout + done.stderr)[-4000:]}")


@contextmanager
def api_server(folder: Path, warehouse: str, env: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """Run `airflow api-server` (one worker) on a free port serving `warehouse`; yield (url, log); stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AIRFLOW__API__BASE_URL": url, "AIRFLOW_CONN_LEVEL2_WAREHOUSE": airflow_uri(warehouse), **env}
    log = folder / "api-server.log"
    with log.open("w") as out:
        command = [str(Path(sys.executable).with_name("airflow")), "api-server", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", "1"]
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(process, url, log)
        yield url, log
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have exited on its own
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def console_server(console_data: ConsoleData, tmp_path_factory) -> Iterator[ConsoleServer]:
    """The API server with the simple auth manager (make run's), users admin / ops / viewer."""
    folder = tmp_path_factory.mktemp("console-server")
    passwords = folder / "passwords.json"
    with api_server(folder, console_data.warehouse, {
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(f"{u}:{r}" for u, r in USERS.items()),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW_CONN_LEVEL1_SOURCE": airflow_uri(reader_of(console_data.level1)),  # onboarding reads Level-1
    }) as (url, log):
        yield ConsoleServer(url, json.loads(passwords.read_text()), log)


@pytest.fixture(scope="session")
def fab_server(console_data: ConsoleData, tmp_path_factory) -> Iterator[ConsoleServer]:
    """The API server with the FAB auth manager and the deployment's roles (its own metadata DB and users)."""
    folder = tmp_path_factory.mktemp("console-fab")
    env = {**os.environ, "AIRFLOW_HOME": str(folder), "AIRFLOW__CORE__AUTH_MANAGER": FAB_AUTH_MANAGER,
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{folder / 'airflow.db'}"}
    _airflow("db", "migrate", env=env)
    passwords = {user: secrets.token_urlsafe(12) for user in FAB_USERS}
    for user, role in FAB_USERS.items():
        # `--password=…`: a random password may start with "-", which argparse would read as an option.
        _airflow("users", "create", "--username", user, f"--password={passwords[user]}", "--role", role,
                 "--firstname", user, "--lastname", role, "--email", f"{user}@example.com", env=env)
    with api_server(folder, console_data.warehouse, env) as (url, log):
        yield ConsoleServer(url, passwords, log)
