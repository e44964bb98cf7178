"""The quality vocabulary: outcomes, check files, one check result, one scan's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from smartops.paths import PROJECT_ROOT
from smartops.vocabulary import Outcome, Severity

# The file-level result every scan writes: `pass` when Soda ran the file cleanly, `error` when not.
SCAN_CHECK = "scan"


class Source(StrEnum):
    SODA = "soda"
    RECONCILIATION = "reconciliation"


@dataclass(frozen=True)
class CheckFile:
    """The SodaCL checks of one warehouse table: `include/soda/<layer>/<table>.yml`."""

    layer: str
    table: str
    path: Path

    @property
    def qualified(self) -> str:
        return f"{self.layer}.{self.table}"

    @property
    def display_path(self) -> str:
        """The path relative to the repository, as stored and logged."""
        return str(self.path.relative_to(PROJECT_ROOT)) if self.path.is_relative_to(PROJECT_ROOT) else str(self.path)


@dataclass(frozen=True)
class CheckResult:
    """One evaluated check (or a scan that could not run) of one table."""

    table_name: str
    check_name: str
    outcome: Outcome
    severity: Severity
    blocking: bool
    source: Source = Source.SODA
    column_name: str | None = None
    measured_value: float | None = None
    threshold: str | None = None
    failed_rows_sample: list[dict[str, Any]] | None = None
    message: str | None = None
    check_file: str | None = None

    def describe(self) -> str:
        """One log line: outcome, table, check, measured value against the threshold."""
        parts = [f"{self.outcome.value.upper():5} {self.table_name}: {self.check_name}"]
        if self.measured_value is not None:
            parts.append(f"value={self.measured_value:g}")
        if self.threshold:
            parts.append(f"threshold: {self.threshold}")
        if self.message and self.outcome is not Outcome.PASS:
            parts.append(self.message)
        return " | ".join(parts)


@dataclass
class ScanReport:
    """What one quality scan found and stored."""

    scan_id: str
    run_id: str
    business_date: date
    results: list[CheckResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome is Outcome.ERROR]

    @property
    def blocking_failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome is Outcome.FAIL and r.blocking]

    def summary(self) -> dict[str, Any]:
        """Counts per outcome, for the task's return value and the asset event."""
        return {"scan_id": self.scan_id, "business_date": self.business_date.isoformat(),
                **{o.value: self.count(o) for o in Outcome}}
