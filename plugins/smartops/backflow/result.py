"""What one table's sync did: an immutable result, built once when the run's phases are done."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from smartops.backflow.exceptions import ColumnChange
from smartops.vocabulary import LoadMode, ReconcileScope


class Phases:
    """Seconds spent per phase of a run (copy, upsert, index, delete_detection, reconcile): where time goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to phase `name`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)


@dataclass(frozen=True)
class ReconciliationRow:
    metric: str
    source_value: Decimal | int | None
    ods_value: Decimal | int | None

    @property
    def matched(self) -> bool:
        return self.source_value == self.ods_value

    def describe(self) -> str:
        return f"{self.metric}: Level-1={self.source_value} ods={self.ods_value}"


@dataclass(frozen=True)
class Loaded:
    """What the load phase did to ods (before reconciliation)."""

    mode: LoadMode
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    window_start: str | None = None
    window_end: str | None = None
    watermark_after: str | None = None


@dataclass(frozen=True)
class SyncResult:
    """One table's sync; mirrors its ledger row."""

    table: str
    run_id: str
    mode: LoadMode
    business_date: date | None = None
    window_start: str | None = None
    window_end: str | None = None
    watermark_before: str | None = None
    watermark_after: str | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    duration_s: float = 0.0
    schema_changes: tuple[ColumnChange, ...] = ()
    reconciliation: tuple[ReconciliationRow, ...] = ()
    reconcile_scope: ReconcileScope | None = None  # which rows the verdict covers; None when the run failed
    phases: Mapping[str, float] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return all(r.matched for r in self.reconciliation)

    @property
    def rows_per_second(self) -> float | None:
        return round(self.rows_read / self.duration_s, 1) if self.duration_s > 0 else None

    def summary(self) -> dict:
        """The task's return value and the ods asset event's extra."""
        return {
            "table": self.table, "mode": self.mode.value, "rows_read": self.rows_read,
            "rows_inserted": self.rows_inserted, "rows_updated": self.rows_updated,
            "rows_deleted": self.rows_deleted, "watermark": self.watermark_after, "duration_s": self.duration_s,
            "reconcile_scope": self.reconcile_scope.value if self.reconcile_scope else None,
            "business_date": self.business_date.isoformat() if self.business_date else None,
        }
