"""The alert vocabulary: categories, decisions, the Alert raised by every stage and its outcome."""

from __future__ import annotations

from datetime import date

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from smartops.config.inventory import Severity


class Category(StrEnum):
    """What kind of problem a backlog item is; drives grouping in the report."""

    SYNC = "sync"
    DRIFT = "drift"
    RECONCILIATION = "reconciliation"
    QUALITY = "quality"
    SCENARIO = "scenario"
    FRESHNESS = "freshness"
    PLATFORM = "platform"


class ItemStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    MUTED = "muted"
    RESOLVED = "resolved"


class Decision(StrEnum):
    """What raise_alert decided to do about one event (stored on ops.alert_event)."""

    NOTIFY = "notify"
    ESCALATE = "escalate"
    SUPPRESSED_INTERVAL = "suppressed_interval"
    ACKNOWLEDGED = "acknowledged"
    MUTED = "muted"
    WARNING_QUIET = "warning_quiet"
    NO_ROUTE = "no_route"


class Alert(BaseModel):
    """One problem seen by a stage. `stage:object:check` is the stable fingerprint.

    stage is the DAG or component (backflow_sync, quality_scan, watchdog …), object the table,
    scenario or DAG concerned, check the failed check or the error class. `warning` marks a
    quality `warn` (recorded and counted, notified only if the config says so).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: str = Field(min_length=1)
    object: str = Field(min_length=1)
    check: str = Field(min_length=1)
    category: Category
    severity: Severity
    title: str = Field(min_length=1)
    details: str = ""
    owner: str | None = None
    warning: bool = False
    scenarios: tuple[str, ...] = ()
    hint: str | None = None
    dag_id: str | None = None
    run_id: str | None = None
    task_id: str | None = None
    run_url: str | None = None
    task_url: str | None = None
    # The business date of the run that raised it (report attribution); None outside dated runs.
    business_date: date | None = None

    @property
    def fingerprint(self) -> str:
        return f"{self.stage}:{self.object}:{self.check}"


class Delivery(BaseModel):
    """The result of sending one message through one channel."""

    model_config = ConfigDict(frozen=True)

    channel: str
    channel_type: str
    delivered: bool
    attempts: int
    error: str | None = None


class AlertOutcome(BaseModel):
    """What raise_alert did: the event and item rows, the decision and each channel's delivery."""

    model_config = ConfigDict(frozen=True)

    event_id: int
    item_id: int
    item_status: ItemStatus
    action: str  # opened | recurred | reopened
    occurrences: int
    decision: Decision
    deliveries: tuple[Delivery, ...] = ()

    @property
    def notified(self) -> bool:
        return self.decision in (Decision.NOTIFY, Decision.ESCALATE)
