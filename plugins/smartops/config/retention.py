"""retention.yaml: how long Airflow's metadata and the ops history are kept (the `maintenance` DAG)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from smartops.config.loader import load_model
from smartops.fields import Duration, Identifier, parse_duration
from smartops.paths import CONFIG_DIR

RETENTION_PATH = CONFIG_DIR / "retention.yaml"
RETENTION_ENV = "SMARTOPS_RETENTION_CONFIG"

# Floors: what the watchdog looks back over, and the monthly review's two months of occurrences.
METADATA_FLOOR = timedelta(days=7)
REVIEW_FLOOR = timedelta(days=62)
SAMPLE_FLOOR = timedelta(days=1)


def _at_least(value: str, floor: timedelta) -> str:
    if parse_duration(value) < floor:
        raise ValueError(f"{value!r} is shorter than the {floor.days}d the product needs to keep")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetadataRetention(_Frozen):
    older_than: Duration = "30d"
    conn_id: Identifier = "airflow_metadata"

    @field_validator("older_than")
    @classmethod
    def _floor(cls, value: str) -> str:
        return _at_least(value, METADATA_FLOOR)


class OpsRetention(_Frozen):
    attempt_log: Duration = "90d"
    notifications: Duration = "90d"
    failed_row_samples: Duration = "30d"
    alert_events: Duration = "400d"

    @field_validator("attempt_log", "notifications", "alert_events")
    @classmethod
    def _review_floor(cls, value: str) -> str:
        return _at_least(value, REVIEW_FLOOR)

    @field_validator("failed_row_samples")
    @classmethod
    def _sample_floor(cls, value: str) -> str:
        return _at_least(value, SAMPLE_FLOOR)


class RetentionPolicy(_Frozen):
    metadata: MetadataRetention = MetadataRetention()
    ops: OpsRetention = OpsRetention()


def retention_path() -> Path:
    """$SMARTOPS_RETENTION_CONFIG, else include/config/retention.yaml (read at call time)."""
    return Path(os.environ.get(RETENTION_ENV) or RETENTION_PATH)


def load_retention(path: Path | None = None) -> RetentionPolicy:
    return load_model(path or retention_path(), RetentionPolicy, list_key="ops")
