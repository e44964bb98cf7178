"""The compose topology as processes on one machine: `make cluster` / `python -m workbench cluster`.

The Airflow settings are the deployment's: read from `docker-compose.yaml`'s common block
(`x-airflow`), overriding only what a process-local topology must — addresses, ports, paths and
the secrets it generates (`LOCAL_SETTINGS`); `tests/workbench/test_cluster.py` fails when the two
drift. So `make cluster` and `make test-cluster` run the configuration that is deployed: the
CeleryExecutor, the FAB auth manager with an admin and the watchdog's Viewer user, and the rest.

Airflow's metadata lives in a database of the same PostgreSQL as the warehouse, Redis is the
Celery broker (REDIS_URL when it answers, else a private `redis-server`), and the components start
in the order that lets the first tasks succeed: the API server first (task runners report to its
execution API), then scheduler, DAG processor, triggerer and the workers. Each worker has its own
name — the hostname its task instances show in the UI — and its own log-server port. The same
launcher with LocalExecutor and no workers is what the end-to-end tests use.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import yaml

from smartops.operators.hostname import WORKER_NAME_ENV
from smartops.paths import PROJECT_ROOT
from workbench.ports import free_port

STARTUP_SECONDS = 180
STOP_SECONDS = 30
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yaml"
# compose settings a process-local topology must set itself (addresses, ports, paths, generated secrets
# and the connections to the databases it was given); every other setting is taken from compose as is.
LOCAL_SETTINGS = frozenset({
    "AIRFLOW__CORE__EXECUTOR",  # LocalExecutor for the end-to-end test of the scheduler alone
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "AIRFLOW__API__BASE_URL", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CELERY__BROKER_URL", "AIRFLOW__CELERY__RESULT_BACKEND", "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__CORE__FERNET_KEY", "AIRFLOW_CONN_LEVEL1_SOURCE", "AIRFLOW_CONN_LEVEL2_WAREHOUSE",
    "AIRFLOW_CONN_AIRFLOW_API", "AIRFLOW_CONN_AIRFLOW_METADATA",
    "AIRFLOW__OPENLINEAGE__TRANSPORT",  # the lineage receiver: the developer's own, from the environment (or off)
})
ADMIN_USER = "admin"
WATCHDOG_USER = "watchdog"  # the Viewer the watchdog reads Airflow's REST API as (compose: AIRFLOW_CONN_AIRFLOW_API)


def deployed_settings(compose_file: Path = COMPOSE_FILE) -> dict[str, str]:
    """The Airflow settings every compose service shares (`x-airflow.environment`), as written."""
    common = yaml.safe_load(compose_file.read_text())["x-airflow"]["environment"]
    return {key: str(value) for key, value in common.items()}


class Executor(StrEnum):
    CELERY = "CeleryExecutor"
    LOCAL = "LocalExecutor"


@dataclass(frozen=True)
class ClusterSpec:
    """What to start. Ports are explicit so a test's cluster never meets the developer's."""

    home: Path  # AIRFLOW_HOME: logs, the generated passwords and the component logs
    metadata_uri: str  # SQLAlchemy URL of Airflow's metadata database (PostgreSQL)
    executor: Executor = Executor.CELERY
    workers: int = 2
    worker_concurrency: int = 2
    api_port: int = 8080
    scheduler_health_port: int = 8974
    log_server_port: int = 8793  # worker i serves its logs on log_server_port + i - 1
    broker_url: str | None = None  # None: REDIS_URL if it answers, else a private redis-server
    redis_port: int = 6380
    env: dict[str, str] = field(default_factory=dict)  # extra settings for every component

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @classmethod
    def on_free_ports(cls, **fields: Any) -> ClusterSpec:
        """A spec whose ports the OS just handed out (tests and benchmarks next to a developer's cluster)."""
        ports = {name: free_port() for name in ("api_port", "scheduler_health_port", "log_server_port",
                                                  "redis_port")}
        return cls(**{**ports, **fields})


@dataclass
class Component:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            # Own process group: stopping (or killing) a component takes its children with it.
            self.process = subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.running():
            os.killpg(self.process.pid, signum)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class Cluster:
    """Start, watch and stop the topology of a ClusterSpec; a context manager."""

    def __init__(self, base_env: dict[str, str], spec: ClusterSpec) -> None:
        self.spec = spec
        self.components: dict[str, Component] = {}
        self.env = self._environment(base_env)

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def workers(self) -> list[str]:
        return [f"worker-{i}" for i in range(1, self.spec.workers + 1)] if self.spec.executor is Executor.CELERY else []

    def admin_password(self) -> str:
        return self._passwords()[ADMIN_USER]

    def api_client(self) -> httpx.Client:
        """An HTTP client for the API server, logged in as the admin."""
        from smartops.alerting.airflow_api import ApiEndpoint, logged_in_client

        return logged_in_client(ApiEndpoint(self.spec.api_url, ADMIN_USER, self.admin_password()))

    def start(self) -> None:
        from workbench.setup import prepare_airflow

        if self.spec.executor is Executor.CELERY:
            self.env["AIRFLOW__CELERY__BROKER_URL"] = self.spec.broker_url or self._broker()
        prepare_airflow(self.env)
        self._create_users()
        self._start("api-server", "api-server", "--host", "127.0.0.1", "--port", str(self.spec.api_port),
                    "--workers", "1")
        self._wait_for(f"{self.spec.api_url}/api/v2/monitor/health", "api-server")
        for name in ("scheduler", "dag-processor", "triggerer"):
            self._start(name, name)
        self._wait_for(f"http://127.0.0.1:{self.spec.scheduler_health_port}/health", "scheduler")
        for i, name in enumerate(self.workers):
            self._start(name, "celery", "worker", "--concurrency", str(self.spec.worker_concurrency),
                        "--celery-hostname", f"{name}@%h", extra={
                            WORKER_NAME_ENV: name,
                            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(self.spec.log_server_port + i)})

    def stop(self) -> None:
        """SIGTERM every component (workers first: they finish or hand back their tasks), then SIGKILL."""
        for component in reversed(self.components.values()):
            component.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for component in reversed(self.components.values()):
            if component.process is None:
                continue
            try:
                component.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                component.signal(signal.SIGKILL)
                component.process.wait()

    def kill(self, name: str) -> None:
        """SIGKILL a component and every process under it, as a lost machine would (no hand-back, no clean-up).

        The whole tree, not the process group: Airflow runs each task in a process group of its own.
        """
        import psutil

        component = self.components.pop(name)
        root = psutil.Process(component.process.pid)
        tree = [root, *root.children(recursive=True)]
        for process in tree:
            process.kill()
        psutil.wait_procs(tree, timeout=10)
        component.process.wait()

    def check(self) -> None:
        """Raise when a component has exited (its log's tail says why)."""
        for component in self.components.values():
            if component.process is not None and not component.running():
                raise RuntimeError(f"{component.name} exited with {component.process.returncode}; "
                                   f"{component.log}:\n{component.tail()}")

    # -- internals -----------------------------------------------------------------------------

    @property
    def passwords_file(self) -> Path:
        """The generated passwords of the admin and the watchdog's user, mode 600."""
        return self.spec.home / "passwords.json"

    def _environment(self, base_env: dict[str, str]) -> dict[str, str]:
        spec = self.spec
        spec.home.mkdir(parents=True, exist_ok=True)
        deployed = {k: v for k, v in deployed_settings().items() if k not in LOCAL_SETTINGS}
        env = {**base_env, **deployed, **spec.env}
        passwords = self._passwords()
        env.update({
            "AIRFLOW_HOME": str(spec.home),
            "AIRFLOW__CORE__EXECUTOR": spec.executor.value,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": spec.metadata_uri,
            # The maintenance DAG's grant to the metadata DB (`airflow db clean`; tasks are blocked from it).
            "AIRFLOW_CONN_AIRFLOW_METADATA": spec.metadata_uri.replace("+psycopg2", ""),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{spec.api_url}/execution/",
            "AIRFLOW__API__BASE_URL": spec.api_url,
            # Every component signs and checks the same JWTs, and decrypts the same connections.
            "AIRFLOW__API_AUTH__JWT_SECRET": self._secret("jwt_secret"),
            "AIRFLOW__CORE__FERNET_KEY": self._secret("fernet_key", _fernet_key),
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(spec.scheduler_health_port),
            # The watchdog reads Airflow's state from this API server as its Viewer user.
            "AIRFLOW_CONN_AIRFLOW_API": json.dumps({"conn_type": "http", "host": spec.api_url,
                                                    "login": WATCHDOG_USER, "password": passwords[WATCHDOG_USER]}),
        })
        if spec.executor is Executor.CELERY:
            env.update({
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + spec.metadata_uri.replace("+psycopg2", ""),
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(spec.worker_concurrency),
            })
        return env

    def _passwords(self) -> dict[str, str]:
        """The admin's and the watchdog's passwords: generated once into a file only its owner reads."""
        if not self.passwords_file.exists():
            generated = {user: secrets.token_urlsafe(16) for user in (ADMIN_USER, WATCHDOG_USER)}
            _write_private(self.passwords_file, json.dumps(generated) + "\n")
        return json.loads(self.passwords_file.read_text())

    def _create_users(self) -> None:
        """The admin and the watchdog's Viewer in the FAB auth manager (kept when they exist), as airflow-init does."""
        from workbench.setup import airflow

        passwords = self._passwords()
        for user, role in ((ADMIN_USER, "Admin"), (WATCHDOG_USER, "Viewer")):
            done = airflow(self.env, "users", "create", "--username", user, f"--password={passwords[user]}",
                           "--role", role, "--firstname", user, "--lastname", role,
                           "--email", f"{user}@localhost", check=False)
            if done.returncode and "already exist" not in done.stdout + done.stderr:
                raise RuntimeError(f"airflow users create {user} failed:\n{(done.stdout + done.stderr)[-3000:]}")

    def _secret(self, name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(32)) -> str:
        """A random secret kept in the home (mode 600), the same across restarts; never printed."""
        path = self.spec.home / f".{name}"
        if not path.exists():
            _write_private(path, make())
        return path.read_text().strip()

    def _broker(self) -> str:
        machine = os.environ.get("REDIS_URL")
        if machine and _redis_answers(machine):
            return machine
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("No Redis: REDIS_URL does not answer and redis-server is not installed "
                             "(`make redis` installs Debian's as root).")
        url = f"redis://127.0.0.1:{self.spec.redis_port}/0"
        data = self.spec.home / "redis"
        data.mkdir(exist_ok=True)
        component = Component("redis", [server, "--bind", "127.0.0.1", "--port", str(self.spec.redis_port),
                                         "--dir", str(data), "--save", "", "--appendonly", "no"],
                              self.env, self.spec.home / "components" / "redis.log")
        self.components["redis"] = component
        component.start()
        deadline = time.monotonic() + 30
        while not _redis_answers(url):
            if not component.running() or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{component.tail()}")
            time.sleep(0.2)
        return url

    def _start(self, name: str, *args: str, extra: dict[str, str] | None = None) -> None:
        airflow = str(Path(sys.executable).with_name("airflow"))
        component = Component(name, [airflow, *args], {**self.env, **(extra or {})},
                              self.spec.home / "components" / f"{name}.log")
        self.components[name] = component
        component.start()

    def _wait_for(self, url: str, name: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            self.check()
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} not up at {url} after {STARTUP_SECONDS}s:\n{self.components[name].tail()}")


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


METADATA_DB = "airflow_cluster"


def metadata_uri(conninfo: str) -> str:
    """The SQLAlchemy URL (psycopg2, as compose uses) of the metadata database a libpq conninfo names."""
    from smartops.warehouse.connections import airflow_uri

    return airflow_uri(conninfo).replace("postgresql://", "postgresql+psycopg2://", 1)


def _write_private(path: Path, text: str) -> None:
    """Create `path` readable by its owner only (0600 from the start: never a moment at the umask's mode)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def run_until_interrupted(base_env: dict[str, str], spec: ClusterSpec) -> None:
    """`make cluster`: start the topology, say where everything is, stop it all on Ctrl-C (or SIGTERM)."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    with Cluster(base_env, spec) as cluster:
        print(f"\nCluster up ({spec.executor.value}, {len(cluster.workers)} workers: {', '.join(cluster.workers)})\n"
              f"  UI     : {spec.api_url}\n"
              f"  Login  : user '{ADMIN_USER}', password in {cluster.passwords_file}\n"
              f"  Logs   : {spec.home / 'components'} (one per component), task logs in {spec.home / 'logs'}\n"
              "  Stop   : Ctrl-C\n", flush=True)
        try:
            while True:
                cluster.check()
                time.sleep(2)
        except KeyboardInterrupt:
            print("\nStopping the cluster…", flush=True)
