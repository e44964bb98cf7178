"""The CeleryExecutor machinery imports and starts with the pinned dependency set.

`pip check` cannot see it: celery 5.7 removed `celery.backends.database.retry`, which the celery
provider imports, so the scheduler and every worker of the compose/cluster topology crashed at start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _airflow(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
           "AIRFLOW__CELERY__BROKER_URL": "redis://127.0.0.1:1/0"}  # never contacted by --help
    return subprocess.run([str(Path(sys.executable).with_name("airflow")), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def test_should_import_the_celery_executor_and_its_worker_app():
    from airflow.providers.celery.executors.celery_executor import CeleryExecutor
    from airflow.providers.celery.executors.celery_executor_utils import app

    assert CeleryExecutor.__name__ == "CeleryExecutor"
    assert app.main and "execute_workload" in " ".join(app.tasks.keys()), sorted(app.tasks.keys())


def test_should_start_the_worker_command_line_with_the_pinned_celery():
    worker = _airflow("celery", "worker", "--help")
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert "--concurrency" in worker.stdout and "--celery-hostname" in worker.stdout


def test_should_pin_the_same_celery_in_every_install():
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split() if "==" in line)
    import celery

    assert pins["celery"] == celery.__version__, "the venv runs what constraints.txt pins"
    assert "constraints.txt" in (ROOT / "Dockerfile").read_text(), "the image installs the same constraints"
