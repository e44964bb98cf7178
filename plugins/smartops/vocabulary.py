"""The fixed vocabularies every package shares, one Enum each (tests derive their sets from these)."""

from __future__ import annotations

from enum import StrEnum


class Layer(StrEnum):
    """Warehouse layers, in data-flow order."""

    ODS = "ods"
    DWD = "dwd"
    DWS = "dws"
    ADS = "ads"
    OPS = "ops"


class Severity(StrEnum):
    """How loudly a problem is alerted; drives routing and the quality policy."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Category(StrEnum):
    """What kind of problem an error or backlog item is: drives classification and report grouping."""

    SYNC = "sync"
    DRIFT = "drift"
    RECONCILIATION = "reconciliation"
    QUALITY = "quality"
    SCENARIO = "scenario"
    CONFIG = "config"
    FRESHNESS = "freshness"
    PLATFORM = "platform"
    VOLUME = "volume"  # a business date's rows against comparable days (pulse)
    INTEGRITY = "integrity"  # changes to closed accounting periods (pulse)


class LoadMode(StrEnum):
    """How one sync run loaded its table (ops.sync_ledger.mode)."""

    INITIAL = "initial"
    INCREMENTAL = "incremental"
    FULL = "full"
    REBUILD = "rebuild"  # added columns: rebuilt once so old rows get their values
    UNKNOWN = "unknown"  # failed before the mode was decided


class BuildMode(StrEnum):
    """How an aggregation model was built (ops.model_run.mode)."""

    FULL = "full"
    INCREMENTAL = "incremental"


class LedgerStatus(StrEnum):
    """The outcome of one sync run (ops.sync_ledger.status, ops.table_state.last_status)."""

    SUCCESS = "success"
    MISMATCH = "mismatch"
    FAILED = "failed"


class ReconcileScope(StrEnum):
    """Which rows a reconciliation verdict covers."""

    TABLE = "table"  # every row on both sides
    WINDOW = "window"  # the rows whose cursor lies in the run's window


class Outcome(StrEnum):
    """The outcome of one check (ops.quality_result.outcome)."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"


class RunType(StrEnum):
    """How a DAG run came about (Airflow's run_type, as its REST API reports it)."""

    SCHEDULED = "scheduled"
    MANUAL = "manual"
    ASSET_TRIGGERED = "asset_triggered"
    BACKFILL = "backfill"


class ChangeKind(StrEnum):
    """How a Level-1 column differs from ods (ops.schema_change.change)."""

    ADDED = "added"
    DROPPED = "dropped"
    RETYPED = "retyped"


class ChangeAction(StrEnum):
    """What the sync did about a schema change (ops.schema_change.action)."""

    APPLIED = "applied"
    REFUSED = "refused"
