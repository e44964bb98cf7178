"""The compose topology as processes on one machine: `make cluster` / `python -m smartops cluster`.

Airflow's metadata lives in a database of the same PostgreSQL as the warehouse, Redis is the
Celery broker (the machine's when REDIS_URL answers, else a private `redis-server`), and the
components start in the order that lets the first tasks succeed: the API server first (task
runners report to its execution API), then scheduler, DAG processor, triggerer and the workers.
Each worker has its own name — the hostname its task instances show in the UI — and its own
log-server port. The same launcher with LocalExecutor and no workers is `make run`'s topology
without `standalone`, which the end-to-end tests use.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx

WORKER_NAME_ENV = "SMARTOPS_WORKER_NAME"
STARTUP_SECONDS = 180
STOP_SECONDS = 30
SIMPLE_AUTH_USERS = "admin:admin"


class Executor(StrEnum):
    CELERY = "CeleryExecutor"
    LOCAL = "LocalExecutor"


def worker_hostname() -> str:
    """`[core] hostname_callable`: the worker's name when the launcher set one, else the host's FQDN."""
    return os.environ.get(WORKER_NAME_ENV) or socket.getfqdn()


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
        return json.loads(self.passwords_file.read_text())["admin"]

    def api_client(self) -> httpx.Client:
        """An HTTP client for the API server, logged in as the simple auth manager's admin."""
        from smartops.alerting.airflow_api import ApiEndpoint, logged_in_client

        return logged_in_client(ApiEndpoint(self.spec.api_url, "admin", self.admin_password()))

    def start(self) -> None:
        from smartops.setup import prepare_airflow

        if self.spec.executor is Executor.CELERY:
            self.env["AIRFLOW__CELERY__BROKER_URL"] = self.spec.broker_url or self._broker()
        prepare_airflow(self.env)
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
        """The simple auth manager's passwords (admin), written by the launcher, mode 600."""
        return self.spec.home / "simple_auth_manager_passwords.json.generated"

    def _environment(self, base_env: dict[str, str]) -> dict[str, str]:
        spec = self.spec
        spec.home.mkdir(parents=True, exist_ok=True)
        env = {**base_env, **spec.env}
        env.update({
            "AIRFLOW_HOME": str(spec.home),
            "AIRFLOW__CORE__EXECUTOR": spec.executor.value,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": spec.metadata_uri,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{spec.api_url}/execution/",
            "AIRFLOW__API__BASE_URL": spec.api_url,
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "smartops.cluster.worker_hostname",
            # Every component signs and checks the same JWTs.
            "AIRFLOW__API_AUTH__JWT_SECRET": self._secret("jwt_secret"),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(spec.scheduler_health_port),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": SIMPLE_AUTH_USERS,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.passwords_file),
            # The watchdog reads Airflow's state from this API server (password: the generated admin's).
            "AIRFLOW_CONN_AIRFLOW_API": json.dumps({"conn_type": "http", "host": spec.api_url}),
        })
        self._write_passwords()
        if spec.executor is Executor.CELERY:
            env.update({
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + spec.metadata_uri.replace("+psycopg2", ""),
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(spec.worker_concurrency),
            })
        return env

    def _secret(self, name: str) -> str:
        """A random secret kept in the home (mode 600), the same across restarts; never printed."""
        path = self.spec.home / f".{name}"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def _write_passwords(self) -> None:
        # Written before the API server starts, so it never prints a generated password to its log.
        if not self.passwords_file.exists():
            self.passwords_file.write_text(json.dumps({"admin": secrets.token_urlsafe(12)}) + "\n")
            self.passwords_file.chmod(0o600)

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


# Ports for servers another process binds later: below the kernel's ephemeral range (32768-60999),
# so no outgoing connection can take the port between choosing it and the server binding it.
SERVER_PORTS = range(21000, 30000)


def free_port() -> int:
    """A local port nothing listens on, for a server started next (random: parallel tests rarely meet)."""
    for port in random.sample(SERVER_PORTS, len(SERVER_PORTS)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVER_PORTS.start}-{SERVER_PORTS.stop - 1}")


def run_until_interrupted(base_env: dict[str, str], spec: ClusterSpec) -> None:
    """`make cluster`: start the topology, say where everything is, stop it all on Ctrl-C (or SIGTERM)."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    with Cluster(base_env, spec) as cluster:
        print(f"\nCluster up ({spec.executor.value}, {len(cluster.workers)} workers: {', '.join(cluster.workers)})\n"
              f"  UI     : {spec.api_url}\n"
              f"  Login  : user 'admin', password in {cluster.passwords_file}\n"
              f"  Logs   : {spec.home / 'components'} (one per component), task logs in {spec.home / 'logs'}\n"
              "  Stop   : Ctrl-C\n", flush=True)
        try:
            while True:
                cluster.check()
                time.sleep(2)
        except KeyboardInterrupt:
            print("\nStopping the cluster…", flush=True)
