"""The alert vocabulary: item states, actions, decisions, the Alert raised by every stage and its outcome."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from smartops.notify.delivery import Delivery
from smartops.vocabulary import Category, Severity

__all__ = ["Alert", "AlertAction", "AlertOutcome", "Category", "Decision", "ItemStatus", "TriageAction"]


class ItemStatus(StrEnum):
    OPEN = "open"
    AWAITING_LEVEL1 = "awaiting_level1"  # the cause is at Level-1: its clock runs, not ours (一级协同)
    ACKNOWLEDGED = "acknowledged"
    MUTED = "muted"
    RESOLVED = "resolved"


class AlertAction(StrEnum):
    """What happened to a backlog item (ops.backlog_audit.action, AlertOutcome.action)."""

    OPENED = "opened"
    RECURRED = "recurred"
    REOPENED = "reopened"
    UNMUTED = "unmuted"
    ESCALATED = "escalated"
    AWAITING_LEVEL1 = "awaiting_level1"  # handed to the Level-1 owner
    RESUMED = "resumed"  # taken back from Level-1: ours again
    ACKNOWLEDGED = "acknowledged"
    MUTED = "muted"
    RESOLVED = "resolved"
    AUTO_RESOLVED = "auto_resolved"  # the check, table or task passes again


class TriageAction(StrEnum):
    """What a person can do to an item (the triage form, the CLI, the console)."""

    ACK = "ack"
    MUTE = "mute"
    RESOLVE = "resolve"
    AWAIT_LEVEL1 = "await_level1"  # the cause is at Level-1: wait for its owner (the item must be tagged upstream)
    RESUME = "resume"  # Level-1 answered or the cause is ours after all: back to open

    @property
    def target(self) -> ItemStatus:
        return {TriageAction.ACK: ItemStatus.ACKNOWLEDGED, TriageAction.MUTE: ItemStatus.MUTED,
                TriageAction.RESOLVE: ItemStatus.RESOLVED, TriageAction.AWAIT_LEVEL1: ItemStatus.AWAITING_LEVEL1,
                TriageAction.RESUME: ItemStatus.OPEN}[self]

    @property
    def audited_as(self) -> AlertAction:
        return {TriageAction.ACK: AlertAction.ACKNOWLEDGED, TriageAction.MUTE: AlertAction.MUTED,
                TriageAction.RESOLVE: AlertAction.RESOLVED, TriageAction.AWAIT_LEVEL1: AlertAction.AWAITING_LEVEL1,
                TriageAction.RESUME: AlertAction.RESUMED}[self]


class Decision(StrEnum):
    """What raise_alert decided to do about one event (stored on ops.alert_event)."""

    NOTIFY = "notify"
    ESCALATE = "escalate"
    SUPPRESSED_INTERVAL = "suppressed_interval"
    PENDING_DELIVERY = "pending_delivery"  # the last notification is still waiting for delivery
    ACKNOWLEDGED = "acknowledged"
    MUTED = "muted"
    WARNING_QUIET = "warning_quiet"
    NO_ROUTE = "no_route"
    DELIVERED_DIRECTLY = "delivered_directly"  # the warehouse was down: sent by the callback itself, spooled


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
    try_number: int | None = None  # set by the failure callback: the try whose failure this alert reports
    run_url: str | None = None
    task_url: str | None = None
    # The business date of the run that raised it (report attribution); None outside dated runs.
    business_date: date | None = None

    @property
    def fingerprint(self) -> str:
        return f"{self.stage}:{self.object}:{self.check}"


class AlertOutcome(BaseModel):
    """What raise_alert did: the event and item rows, the decision and each channel's delivery."""

    model_config = ConfigDict(frozen=True)

    event_id: int
    item_id: int
    item_status: ItemStatus
    action: AlertAction  # opened | recurred | reopened
    occurrences: int
    decision: Decision
    deliveries: tuple[Delivery, ...] = ()

    @property
    def notified(self) -> bool:
        return self.decision in (Decision.NOTIFY, Decision.ESCALATE)
