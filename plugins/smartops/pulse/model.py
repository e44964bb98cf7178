"""The pulse vocabulary: finding kinds, their categories, and what every verdict carries."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

from smartops.vocabulary import Category, Severity


class FindingKind(StrEnum):
    """What a pulse detector found wrong with one table on one business date."""

    ZERO_ROWS = "zero_rows"  # a working day with no rows where rows are expected
    LOW_VOLUME = "low_volume"  # below the band, e.g. half a day's rows
    HIGH_VOLUME = "high_volume"  # far above the band, e.g. a day loaded twice
    STALE = "stale"  # no new rows for N working days
    CLOSED_PERIOD_CHANGE = "closed_period_change"  # a change to a period closed before it
    REOPENED_PERIOD_CHANGE = "reopened_period_change"  # the same, inside a reopen window


CATEGORY: dict[FindingKind, Category] = {
    FindingKind.ZERO_ROWS: Category.VOLUME,
    FindingKind.LOW_VOLUME: Category.VOLUME,
    FindingKind.HIGH_VOLUME: Category.VOLUME,
    FindingKind.STALE: Category.FRESHNESS,
    FindingKind.CLOSED_PERIOD_CHANGE: Category.INTEGRITY,
    FindingKind.REOPENED_PERIOD_CHANGE: Category.INTEGRITY,
}


class RowChange(StrEnum):
    """What a sync did to one row (the integrity detector's input)."""

    INSERTED = "inserted"
    UPDATED = "updated"
    WRITTEN = "written"  # inserted or updated: ods keeps no before-image to tell which
    DELETED = "deleted"


class Verdict(Protocol):
    """What every pulse verdict carries: the table and business date judged, the finding, the reasons."""

    table: str
    business_date: date
    finding: FindingKind | None
    estimated_calendar: bool
    reason_zh: str
    reason_en: str

    @property
    def category(self) -> Category: ...

    @property
    def severity(self) -> Severity | None: ...


def rows(value: float | None) -> str:
    """Format a row count or band edge for a message (thousands separated, no decimals)."""
    return "–" if value is None else f"{value:,.0f}"
