"""Prune the ops history past its retention: each step in its own transaction with its ledger row.

Order matters: attempts go before the messages they belong to, and messages before the alert events
they point to, so each step removes what the previous ones freed. A dry run counts what would go and
rolls back.
"""

from __future__ import annotations

import logging
from datetime import datetime

import psycopg

from smartops.config.retention import OpsRetention
from smartops.fields import parse_duration
from smartops.maintenance.ledger import SQL, Outcome, Step, StepResult, record
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

OPS_STEPS = (Step.ATTEMPT_LOG, Step.NOTIFICATIONS, Step.FAILED_ROW_SAMPLES, Step.ALERT_EVENTS)


class _DryRun(Exception):  # noqa: N818 (rolls the step's transaction back)
    pass


def prune_history(warehouse: str, retention: OpsRetention, *, now: datetime, run_id: str, actor: str,
                  dry_run: bool = False) -> list[StepResult]:
    """Run every ops retention step older than its cutoff; return what each removed (or would remove)."""
    results = []
    with psycopg.connect(warehouse) as conn:
        for step in OPS_STEPS:
            cutoff = now - parse_duration(getattr(retention, step.value))
            started = datetime.now(now.tzinfo)
            try:
                with conn.transaction():
                    rows = conn.execute(named_sql(SQL, step.value), {"cutoff": cutoff}).rowcount
                    result = StepResult(step, cutoff, rows, Outcome.DRY_RUN if dry_run else Outcome.SUCCESS,
                                        started_at=started)
                    if dry_run:
                        raise _DryRun
                    record(conn, result, run_id=run_id, actor=actor)
            except _DryRun:
                with conn.transaction():
                    record(conn, result, run_id=run_id, actor=actor)
            log.info("retention %s: %s rows older than %s %s", step.value, rows, cutoff.isoformat(),
                     "would go (dry run)" if dry_run else "removed")
            results.append(result)
    return results
