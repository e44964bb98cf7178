"""Per-table tuning of the pulse detectors (volume, freshness), as typed models with named defaults.

The inventory embeds one `PulsePolicy` per table (field `pulse:`); the defaults are the values the
detection benchmark (bench/detection.py) was tuned with.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from smartops.fields import Identifier


class Metric(StrEnum):
    """A per-business-date volume measure of a table, from ops.sync_ledger."""

    ROWS_INSERTED = "rows_inserted"
    ROWS_UPDATED = "rows_updated"
    ROWS_DELETED = "rows_deleted"
    ROWS_CHANGED = "rows_changed"  # inserted + updated + deleted


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VolumePolicy(_Frozen):
    """How a table's daily volume is judged against comparable days (median ± k × MAD)."""

    metrics: list[Metric] = Field(default=[Metric.ROWS_INSERTED], min_length=1)
    # Comparable days needed before a band is drawn; fewer → no volume verdict (cold start).
    min_history: int = Field(default=5, ge=3)
    # How many of the latest comparable days make the band, per kind of day.
    history_working: int = Field(default=20, ge=3)
    history_close_window: int = Field(default=8, ge=3)
    history_non_working: int = Field(default=20, ge=3)
    # Band half-width in robust standard deviations on the √ scale (1.4826 × MAD, at least Poisson noise 0.5).
    k: float = Field(default=3.0, gt=0)
    # Below the band counts only when also this far below the median (0.3 = under 70 % of it).
    min_relative_drop: float = Field(default=0.3, gt=0, lt=1)
    # Above the band counts only at this multiple of the median or more ("a duplicated day": twice a day
    # that was itself 20 % under the median is 1.6×).
    duplicate_ratio: float = Field(default=1.55, gt=1)
    # The first working day after a long break (at least `long_break_days` days off) brings the break's
    # backlog: its band and duplicate ratio are this much higher (a post-holiday peak is no finding).
    long_break_days: int = Field(default=3, ge=2)
    after_break_factor: float = Field(default=1.5, ge=1)
    # Differences smaller than this many rows are never findings (tiny tables are noise).
    min_rows: int = Field(default=30, ge=0)
    # Cold start: 0 rows on a working day is still a finding after this many working days with rows in a row.
    zero_after_working_days: int = Field(default=5, ge=1)


class FreshnessPolicy(_Frozen):
    """Whether a table must bring new rows every working day, and how many idle working days are allowed."""

    changes_every_working_day: bool = False
    # A finding once the newest row is this many working days old (1: nothing new since the last working day).
    max_idle_working_days: int = Field(default=1, ge=1)


class PulsePolicy(_Frozen):
    """One table's pulse tuning (inventory field `pulse:`)."""

    # The row's business date (voucher_date, claim_date …): the table's volume history before the
    # product's own syncs began is counted from it once (the cold-start profile). None: syncs only.
    activity_column: Identifier | None = None
    volume: VolumePolicy = VolumePolicy()
    freshness: FreshnessPolicy = FreshnessPolicy()
