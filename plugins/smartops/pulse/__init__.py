"""The data's pulse: calendar-aware detectors of what a business date's load should have looked like.

Pure judging functions over plain records (no database, no wall clock: the business date D is a
parameter and only what D's run knew is used), one per concern:

- `judge_volume`     rows of D against comparable days (median ± k × MAD), per metric
- `judge_freshness`  working days since the table's newest row
- `judge_integrity`  changes of D's sync to periods closed before them

`history` reads their inputs from ops.sync_ledger; `store` keeps their verdicts in ops.pulse_verdict.
Tuning per table: smartops.config.pulse.PulsePolicy. The calendar: smartops.calendar.
"""

from smartops.pulse.freshness import FreshnessVerdict, judge_freshness, newest_activity
from smartops.pulse.integrity import Change, IntegrityFinding, Period, PeriodStatus, Reopen, judge_integrity
from smartops.pulse.model import CATEGORY, FindingKind, RowChange, Verdict
from smartops.pulse.volume import Band, VolumePoint, VolumeVerdict, comparable_band, judge_volume

__all__ = ["CATEGORY", "Band", "Change", "FindingKind", "FreshnessVerdict", "IntegrityFinding", "Period",
           "PeriodStatus", "Reopen", "RowChange", "Verdict", "VolumePoint", "VolumeVerdict", "comparable_band",
           "judge_freshness", "judge_integrity", "judge_volume", "newest_activity"]
