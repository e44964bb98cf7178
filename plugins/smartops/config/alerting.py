"""alerting.yaml: channels, routing, suppression, escalation, report delivery and watchdog limits."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.config.loader import load_model
from smartops.fields import ClockTime, Duration, parse_duration
from smartops.notify.channels import Channel, DeliveryPolicy
from smartops.notify.language import Language
from smartops.notify.message import Mentions
from smartops.paths import CONFIG_DIR, PROJECT_ROOT
from smartops.vocabulary import Severity

ALERTING_PATH = CONFIG_DIR / "alerting.yaml"
# Points at another alerting.yaml (a staging routing table, or a test's); read at call time.
ALERTING_PATH_ENV = "SMARTOPS_ALERTING_CONFIG"
# Where the API server serves the ops console (the AirflowPlugin's FastAPI app).
CONSOLE_PREFIX = "/smartops"
# The address links fall back to when neither alerting.yaml nor Airflow's [api] base_url names one.
DEFAULT_BASE_URL = "http://localhost:8080"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Escalation(_Frozen):
    after_occurrences: int = Field(default=3, ge=2)
    channels: list[str] = []
    # An acknowledged critical item is quiet for this long; then it is open again and escalation resumes.
    acknowledgement_expires: Duration = "24h"

    @property
    def acknowledgement_expiry(self) -> timedelta:
        return parse_duration(self.acknowledgement_expires)


class Warnings(_Frozen):
    notify: bool = False


class Routes(_Frozen):
    """Which channels an alert goes to; `notify_resolved`: severities whose items send one resolved notice."""

    by_severity: dict[Severity, list[str]] = {}
    by_owner: dict[str, list[str]] = {}
    notify_resolved: list[Severity] = list(Severity)


class Deadlines(_Frozen):
    """Native Airflow Deadline Alerts: a run that misses one is marked in the grid and alerted (high).

    The report's is a time of day (its run starts at 08:00); scenario_refresh is asset-triggered, has
    no logical date to count from, so its deadline counts from when its run was queued.
    """

    report: ClockTime = "08:30"
    marts_within: Duration = "2h"


class Upstream(_Frozen):
    """一级协同: the daily digest to each Level-1 team (the inventory's `level1_owner`) about what their data caused.

    An item goes in its owner's digest when it is new, and again while it stays open `resend_after` later.
    """

    resend_after: Duration = "3d"
    owners: dict[str, list[str]] = {}  # level1_owner -> channels (an email channel's `to` is the team's list)

    @property
    def resend_interval(self) -> timedelta:
        return parse_duration(self.resend_after)


class ReportDelivery(_Frozen):
    """Where reports are written and sent (the messages link to the console's report page)."""

    channels: list[str] = []
    folder: str = "reports"

    @property
    def folder_path(self) -> Path:
        path = Path(self.folder)
        return path if path.is_absolute() else PROJECT_ROOT / path


class WatchdogPolicy(_Frozen):
    # When runs are expected comes from the DAGs' own timetables (the scheduler's next run, the asset
    # events waiting): a scheduled run must start within start_grace of its due time, an asset-triggered
    # one within start_grace of its first upstream event. Per-DAG exceptions in start_grace_per_dag.
    start_grace: Duration = "1h"
    start_grace_per_dag: dict[str, Duration] = {}
    stuck_factor: float = Field(default=3.0, gt=1)
    stuck_minimum: Duration = "30m"
    failure_grace: Duration = "10m"
    lookback: Duration = "1d"
    # dwd/dws models and ads marts not rebuilt for this long are findings (daily builds plus slack).
    build_freshness: Duration = "26h"
    # Dead-man's switch (healthchecks-style): POSTed on every watchdog run, `<url>/fail` when the run
    # fails, so a dead scheduler is noticed from outside by the missing ping.
    heartbeat_url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_hand_kept_schedule(cls, data: object) -> object:
        if isinstance(data, dict) and "expected_runs" in data:
            raise ValueError("expected_runs is gone: expected runs come from the DAGs' own timetables; "
                             "set start_grace (and start_grace_per_dag) instead")
        return data

    def start_grace_for(self, dag_id: str) -> timedelta:
        return parse_duration(self.start_grace_per_dag.get(dag_id, self.start_grace))


class AlertingConfig(_Frozen):
    """The whole alerting.yaml file."""

    language: Language = Language.ZH
    # Where people open Airflow (links in chat, mail, the report). Normally left out: the alert path takes
    # Airflow's own `[api] base_url` (AIRFLOW__API__BASE_URL); set it only to link somewhere else.
    airflow_base_url: str | None = None
    suppression_interval: Duration = "6h"
    escalation: Escalation = Escalation()
    warnings: Warnings = Warnings()
    routes: Routes = Routes()
    delivery: DeliveryPolicy = DeliveryPolicy()
    report: ReportDelivery = ReportDelivery()
    deadlines: Deadlines = Deadlines()
    upstream: Upstream = Upstream()
    watchdog: WatchdogPolicy = WatchdogPolicy()
    channels: list[Channel] = []
    # owner -> whom chat messages about the owner's items @mention (mobiles, per-platform user ids)
    contacts: dict[str, Mentions] = {}

    @model_validator(mode="after")
    def _known_channels(self) -> AlertingConfig:
        names = [c.name for c in self.channels]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate channel names {duplicates}; each channel needs its own name")
        used = {
            "escalation.channels": self.escalation.channels,
            "report.channels": self.report.channels,
            **{f"routes.by_severity.{k}": v for k, v in self.routes.by_severity.items()},
            **{f"routes.by_owner.{k}": v for k, v in self.routes.by_owner.items()},
            **{f"upstream.owners.{k}": v for k, v in self.upstream.owners.items()},
        }
        for where, listed in used.items():
            unknown = [n for n in listed if n not in names]
            if unknown:
                raise ValueError(f"{where} names unknown channels {unknown}; defined channels: {names}")
        return self

    @property
    def suppression(self) -> timedelta:
        return parse_duration(self.suppression_interval)

    def channel(self, name: str) -> Channel:
        return next(c for c in self.channels if c.name == name)

    def mentions(self, owner: str | None) -> Mentions:
        return self.contacts.get(owner or "", Mentions())

    @property
    def base_url(self) -> str:
        """The Airflow UI's address for links (`airflow_base_url`, resolved by the alert context)."""
        return (self.airflow_base_url or DEFAULT_BASE_URL).rstrip("/")

    def with_base_url(self, url: str | None) -> AlertingConfig:
        """This config linking to `url` unless alerting.yaml overrides the address."""
        return self if self.airflow_base_url or not url else self.model_copy(update={"airflow_base_url": url})

    def console_url(self, *path: str, **query: str) -> str:
        """Absolute URL of an ops console page (运营中心, served under /smartops by the API server)."""
        url = f"{self.base_url}{CONSOLE_PREFIX}/" + "/".join(quote(str(p), safe="") for p in path)
        return f"{url}?{urlencode(query)}" if query else url

    def route(self, severity: Severity, owner: str | None) -> list[Channel]:
        """Return the channels for an alert: by severity, then by owner, without repeats."""
        names = [*self.routes.by_severity.get(severity, []), *self.routes.by_owner.get(owner or "", [])]
        return [self.channel(n) for n in dict.fromkeys(names)]


def alerting_path() -> Path:
    """The alerting.yaml in use: $SMARTOPS_ALERTING_CONFIG if set, else include/config/alerting.yaml."""
    return Path(os.environ.get(ALERTING_PATH_ENV) or ALERTING_PATH)


def load_alerting_config(path: Path | None = None) -> AlertingConfig:
    """Load and validate alerting.yaml (default: `alerting_path()`); raise ConfigError naming file, entry, field."""
    return load_model(path or alerting_path(), AlertingConfig, list_key="channels")
