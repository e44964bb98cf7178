"""The shape of the daily report's figures: what `collect` returns, the templates render and ops.operations_report
stores as JSON (a later language is rendered from the stored figures, so every value is JSON: str, number, list)."""

from __future__ import annotations

from typing import Any, TypedDict


class Headline(TypedDict):
    tables_total: int
    tables_on_time: int
    rows_moved: int
    sync_failures: int
    reconciliation_checks: int
    reconciliation_mismatches: int
    quality_pass_rate: float | None
    scenarios_published: int | None
    scenarios_skipped: int | None
    open_items: dict[str, int]  # by severity
    open_items_total: int
    pulse_findings: int | None  # None: the pulse's table does not exist yet


class Backlog(TypedDict):
    new: list[dict[str, Any]]
    recurring: list[dict[str, Any]]
    resolved: list[dict[str, Any]]
    mean_resolve_hours: float | None


class ReportFigures(TypedDict):
    """One business date's report. A stage whose ops table does not exist yet has `{"built": False}`."""

    report_date: str  # ISO date
    as_of: str  # ISO timestamp: the end of the day, or now for a day still running
    headline: Headline
    tables: list[dict[str, Any]]  # one per inventory table: sync, freshness, on time
    reconciliation: list[dict[str, Any]]
    quality: dict[str, Any]
    scenarios: dict[str, Any]
    notifications: dict[str, Any]
    overrides: list[dict[str, Any]]
    pulse: dict[str, Any]  # smartops.report.pulse
    contracts: dict[str, Any]  # smartops.report.contracts
    upstream: dict[str, Any]  # smartops.report.upstream: time to resolve ours / Level-1's, open items by owner
    backlog: Backlog
    trend: list[dict[str, Any]]  # TREND_DAYS days, oldest first
