"""`airflow db clean` of Airflow's metadata past its retention, from inside a task.

Airflow 3 blocks a task's process (and its children, through the environment) from the metadata DB.
The maintenance DAG is granted it explicitly by one connection (retention.yaml `metadata.conn_id`), and
runs the CLI in a child process whose environment points Airflow at that connection alone.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime

from smartops.maintenance.exceptions import MetadataCleanFailed
from smartops.maintenance.ledger import Outcome, Step, StepResult
from smartops.warehouse.connections import mask

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3600
# Settings the task's supervisor overrides to block the metadata DB; the child gets the granted one instead.
_BLOCKED = ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__SQL_ALCHEMY_CONN",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET")


def clean_metadata(url: str, *, cutoff: datetime, dry_run: bool = False) -> StepResult:
    """Run `airflow db clean` for everything older than `cutoff` (no archive tables); return the step's result."""
    started = datetime.now(cutoff.tzinfo)
    command = [sys.executable, "-m", "airflow", "db", "clean", "--clean-before-timestamp", cutoff.isoformat(),
               "--yes", "--skip-archive", *(["--dry-run"] if dry_run else [])]
    env = {key: value for key, value in os.environ.items() if key not in _BLOCKED}
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = url
    log.info("airflow db clean before %s on %s%s", cutoff.isoformat(), mask(url), " (dry run)" if dry_run else "")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    output = _masked(done.stdout + done.stderr, url)
    if done.returncode != 0:
        raise MetadataCleanFailed(done.returncode, "\n".join(output.strip().splitlines()[-8:]))
    lines = [line for line in output.splitlines() if line.strip()]
    log.info("airflow db clean: %s", "\n".join(lines[-20:]))
    return StepResult(Step.METADATA, cutoff, None, Outcome.DRY_RUN if dry_run else Outcome.SUCCESS,
                      detail=lines[-1][:500] if lines else None, started_at=started)


def _masked(text: str, url: str) -> str:
    return text.replace(url, mask(url))
