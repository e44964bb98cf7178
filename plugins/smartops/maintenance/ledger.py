"""ops.maintenance_run: one row per retention step, whatever its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import psycopg

from smartops.sqlfiles import named_sql

SQL = "maintenance/prune.sql"


class Step(StrEnum):
    """The retention steps, each with its own cutoff (retention.yaml)."""

    METADATA = "metadata"
    ATTEMPT_LOG = "attempt_log"
    NOTIFICATIONS = "notifications"
    FAILED_ROW_SAMPLES = "failed_row_samples"
    ALERT_EVENTS = "alert_events"


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILED = "failed"
    DRY_RUN = "dry_run"


@dataclass(frozen=True)
class StepResult:
    step: Step
    cutoff: datetime
    rows: int | None
    outcome: Outcome
    detail: str | None = None
    started_at: datetime | None = None


def record(conn: psycopg.Connection, result: StepResult, *, run_id: str, actor: str) -> None:
    """Write the step's row (in the caller's transaction: a pruning step and its record commit together)."""
    conn.execute(named_sql(SQL, "record"), {
        "run_id": run_id, "step": result.step.value, "cutoff": result.cutoff, "rows": result.rows,
        "outcome": result.outcome.value, "detail": result.detail, "actor": actor,
        "started_at": result.started_at or result.cutoff})
