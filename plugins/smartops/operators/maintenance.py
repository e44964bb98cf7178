"""The maintenance DAG's tasks: prune the ops history, clean Airflow's metadata — each step audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg

from smartops.operators.base import StageOperator, StageRun


class PruneHistoryOperator(StageOperator):
    """Delete the ops history older than retention.yaml's `ops` windows (attempts, messages, samples, events)."""

    ui_color = "#eeeeee"
    business_date_param = None

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.config.retention import load_retention
        from smartops.maintenance.history import prune_history

        results = prune_history(run.warehouse, load_retention().ops, now=datetime.now(UTC), run_id=run.run_id,
                                actor=run.actor, dry_run=bool(run.params.get("dry_run")))
        return {result.step.value: result.rows for result in results}


class CleanMetadataOperator(StageOperator):
    """`airflow db clean` of the metadata older than retention.yaml's `metadata.older_than` (recorded either way)."""

    ui_color = "#eeeeee"
    business_date_param = None

    def run(self, run: StageRun) -> dict[str, Any]:
        from smartops.config.retention import load_retention
        from smartops.fields import parse_duration
        from smartops.maintenance.ledger import Outcome, Step, StepResult, record
        from smartops.maintenance.metadata import clean_metadata

        policy = load_retention().metadata
        now = datetime.now(UTC)
        cutoff = now - parse_duration(policy.older_than)
        try:
            result = clean_metadata(metadata_url(policy.conn_id), cutoff=cutoff,
                                    dry_run=bool(run.params.get("dry_run")))
        except Exception as exc:
            result = StepResult(Step.METADATA, cutoff, None, Outcome.FAILED, detail=str(exc)[:2000], started_at=now)
            raise
        finally:
            with psycopg.connect(run.warehouse) as conn:
                record(conn, result, run_id=run.run_id, actor=run.actor)
        return {"cutoff": cutoff.isoformat(), "outcome": result.outcome.value}


def metadata_url(conn_id: str) -> str:
    """The metadata DB's SQLAlchemy URL from Airflow connection `conn_id`; MetadataConnectionMissing if undefined."""
    from airflow.exceptions import AirflowNotFoundException

    from smartops.maintenance.exceptions import MetadataConnectionMissing
    from smartops.warehouse.connections import airflow_uri, conninfo

    try:
        return airflow_uri(conninfo(conn_id))
    except AirflowNotFoundException:
        raise MetadataConnectionMissing(conn_id) from None
