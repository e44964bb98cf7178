"""Volume: a table's rows of one business date against what comparable days predict (median ± k × MAD).

The band is drawn on the square-root scale (see `_band`), where count noise is about level-independent.

Comparable days are days of the same kind: non-working days with non-working days, close-window working
days with the same close day (widened to its neighbours, then the whole window, when too few), other
working days with ordinary working days. So a month-end close spike or a holiday lull is normal, and a
make-up Saturday (调休) is judged as the working day it is.

Cold start: with fewer than `min_history` comparable days there is no band and no finding, except that
0 rows on a working day after `zero_after_working_days` working days with rows in a row is ZERO_ROWS.
Non-working days are judged only from above: a quiet holiday is never a finding; the first working day
after a long break only above a higher top (the break's backlog arrives then).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from smartops.calendar import BusinessCalendar, DayClass, DayKind
from smartops.config.pulse import Metric, VolumePolicy
from smartops.pulse.model import FindingKind, rows
from smartops.vocabulary import Category, Severity

MAD_TO_SIGMA = 1.4826  # MAD × this estimates the standard deviation of normal data
POISSON_SQRT_SIGMA = 0.5  # the standard deviation of √(x + 3/8) for Poisson counts


@dataclass(frozen=True)
class VolumePoint:
    """One table's ledger totals for one business date (sum over that date's successful syncs)."""

    business_date: date
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0

    def value(self, metric: Metric) -> int:
        if metric is Metric.ROWS_CHANGED:
            return self.rows_inserted + self.rows_updated + self.rows_deleted
        return getattr(self, metric.value)


@dataclass(frozen=True)
class Band:
    """What comparable days predict: their median and the band around it."""

    expected: float
    low: float
    high: float
    days: tuple[date, ...]
    scope_en: str
    scope_zh: str


@dataclass(frozen=True)
class VolumeVerdict:
    """The judgement of one metric of one table on one business date (finding None: normal or not judged)."""

    table: str
    business_date: date
    metric: Metric
    observed: int
    expected: float | None
    band_low: float | None
    band_high: float | None
    comparable_days: tuple[date, ...]
    day_class: DayClass
    finding: FindingKind | None
    estimated_calendar: bool
    reason_zh: str
    reason_en: str

    @property
    def category(self) -> Category:
        return Category.VOLUME

    @property
    def severity(self) -> Severity | None:
        return None  # the table's own severity (inventory) applies


def comparable_band(kind: DayKind, history: list[tuple[int, DayKind]], policy: VolumePolicy) -> Band | None:
    """Return the band of the latest comparable days in `history` (oldest first), or None when too few."""
    if kind.day_class is DayClass.CLOSE_WINDOW:
        for width, en, zh in ((0, "the same close day", "同一月结日"), (1, "neighbouring close days", "相邻月结日"),
                              (99, "all close-window days", "全部月结日")):
            picked = _latest(history, policy.history_close_window, lambda k, w=width: (
                k.day_class is DayClass.CLOSE_WINDOW and abs(k.close_day - kind.close_day) <= w))
            if len(picked) >= policy.min_history:
                return _band(picked, policy, f"{en} ({len(picked)} days)", f"{zh}（{len(picked)} 天）")
        return None
    limit, en, zh = ((policy.history_non_working, "non-working days", "非工作日")
                     if kind.day_class is DayClass.NON_WORKING else
                     (policy.history_working, "ordinary working days", "普通工作日"))
    picked = _latest(history, limit, lambda k: k.day_class is kind.day_class)
    if len(picked) < policy.min_history:
        return None
    return _band(picked, policy, f"{len(picked)} {en}", f"{len(picked)} 个{zh}")


def _latest(history: list[tuple[int, DayKind]], limit: int, wanted) -> list[tuple[int, DayKind]]:
    picked = []
    for value, kind in reversed(history):
        if wanted(kind):
            picked.append((value, kind))
            if len(picked) == limit:
                break
    return picked


def _band(picked: list[tuple[int, DayKind]], policy: VolumePolicy, scope_en: str, scope_zh: str) -> Band:
    """Median ± k robust deviations, drawn on the Anscombe scale √(x + 3/8) and mapped back to rows.

    Counts are skewed and their noise grows with the level; on the square-root scale it is about
    constant (Poisson: 0.5), so one k fits a 5-row table and a 5,000-row one, and the band is wider
    above the median than below it, as count data are.
    """
    scaled = [math.sqrt(v + 0.375) for v, _ in picked]
    centre = statistics.median(scaled)
    mad = statistics.median(abs(x - centre) for x in scaled)
    # At least Poisson noise: a perfectly steady history must not make a hair-trigger band.
    spread = policy.k * max(MAD_TO_SIGMA * mad, POISSON_SQRT_SIGMA)
    low = max(0.0, centre - spread)
    return Band(statistics.median(v for v, _ in picked), max(0.0, low * low - 0.375), (centre + spread) ** 2 - 0.375,
                tuple(sorted(k.day for _, k in picked)), scope_en, scope_zh)


def classify(observed: int, kind: DayKind, band: Band, policy: VolumePolicy) -> FindingKind | None:
    """Return the finding for `observed` against `band` on a day of `kind`, or None."""
    gap = observed - band.expected
    if (kind.working and observed < band.low and observed <= (1 - policy.min_relative_drop) * band.expected
            and -gap >= policy.min_rows):
        return FindingKind.ZERO_ROWS if observed == 0 else FindingKind.LOW_VOLUME
    ratio = policy.duplicate_ratio * (policy.after_break_factor if after_break(kind, policy) else 1.0)
    if observed > band.high and observed >= ratio * band.expected and gap >= policy.min_rows:
        return FindingKind.HIGH_VOLUME
    return None


def after_break(kind: DayKind, policy: VolumePolicy) -> bool:
    """Tell whether `kind` is the first working day after a long break (its peak is the break's backlog)."""
    return kind.working and kind.days_off_before >= policy.long_break_days


def allow_backlog(band: Band, kind: DayKind, policy: VolumePolicy) -> Band:
    """Raise the band's top by `after_break_factor` on the first working day after a long break."""
    if not after_break(kind, policy):
        return band
    factor = policy.after_break_factor
    return replace(band, high=band.high * factor,
                   scope_en=f"{band.scope_en}; after {kind.days_off_before} days off, up to ×{factor:g} allowed",
                   scope_zh=f"{band.scope_zh}；休息 {kind.days_off_before} 天后，允许至 ×{factor:g}")


def _rows_in_a_row(history: list[tuple[int, DayKind]]) -> int:
    """Count the latest working days with rows, back to the first working day without."""
    count = 0
    for value, kind in reversed(history):
        if kind.working:
            if value == 0:
                break
            count += 1
    return count


def judge_volume(table: str, day: date, series: Iterable[VolumePoint], calendar: BusinessCalendar,
                 policy: VolumePolicy | None = None) -> list[VolumeVerdict]:
    """Judge each of the policy's metrics of `table` on business date `day`; [] when `day` has no point.

    Only points dated before `day` are history (what D's run knew); later points in `series` are ignored.
    A date without a point had no successful sync: it is left out of the history, not counted as 0.
    """
    policy = policy or VolumePolicy()
    points = sorted((p for p in series if p.business_date <= day), key=lambda p: p.business_date)
    if not points or points[-1].business_date != day:
        return []
    observed, earlier = points[-1], points[:-1]
    kind = calendar.day_kind(day)
    kinds = [calendar.day_kind(p.business_date) for p in earlier]
    verdicts = []
    for metric in policy.metrics:
        history = [(p.value(metric), k) for p, k in zip(earlier, kinds, strict=True)]
        value = observed.value(metric)
        band = comparable_band(kind, history, policy)
        if band is not None:
            band = allow_backlog(band, kind, policy)
            finding = classify(value, kind, band, policy)
        elif kind.working and value == 0 and _rows_in_a_row(history) >= policy.zero_after_working_days:
            finding = FindingKind.ZERO_ROWS
        else:
            finding = None
        estimated = kind.estimated or bool(band and any(calendar.day_kind(d).estimated for d in band.days))
        zh, en = _reasons(table, metric, value, kind, band, finding, policy)
        if estimated:
            coverage = calendar.coverage(day.year if kind.estimated else min(band.days).year)
            zh, en = f"{zh}（{coverage.message_zh}）", f"{en} ({coverage.message_en})"
        verdicts.append(VolumeVerdict(
            table=table, business_date=day, metric=metric, observed=value,
            expected=band.expected if band else None, band_low=band.low if band else None,
            band_high=band.high if band else None, comparable_days=band.days if band else (),
            day_class=kind.day_class, finding=finding, estimated_calendar=estimated, reason_zh=zh, reason_en=en))
    return verdicts


def _reasons(table: str, metric: Metric, value: int, kind: DayKind, band: Band | None,
             finding: FindingKind | None, policy: VolumePolicy) -> tuple[str, str]:
    """The verdict in Chinese and English: what was seen, what was expected, and why it is (not) a finding."""
    day = kind.day.isoformat()
    head_en = f"{table} {metric.value} on {day} ({kind.describe('en')}): {rows(value)}"
    head_zh = f"{table} 在 {day}（{kind.describe('zh')}）的 {metric.value} 为 {rows(value)}"
    if band is None:
        if finding is FindingKind.ZERO_ROWS:
            return (f"{head_zh}：工作日无数据，此前连续 {policy.zero_after_working_days} 个以上工作日"
                    "均有数据（可比历史不足）",
                    f"{head_en}: no rows on a working day after {policy.zero_after_working_days}+ working days "
                    "with rows (too little comparable history for a band)")
        return (f"{head_zh}：可比历史不足 {policy.min_history} 天，暂不判断",
                f"{head_en}: fewer than {policy.min_history} comparable days, not judged yet")
    ctx_en = f"expected about {rows(band.expected)} (band {rows(band.low)}–{rows(band.high)}, {band.scope_en})"
    ctx_zh = f"预期约 {rows(band.expected)}（区间 {rows(band.low)}–{rows(band.high)}，基于{band.scope_zh}）"
    share = value / band.expected if band.expected else 0.0
    if finding is FindingKind.ZERO_ROWS:
        return f"{head_zh}，{ctx_zh}：工作日无数据", f"{head_en}, {ctx_en}: no rows on a working day"
    if finding is FindingKind.LOW_VOLUME:
        return (f"{head_zh}，{ctx_zh}：低于区间，仅为预期的 {share:.0%}，疑似缺失部分数据",
                f"{head_en}, {ctx_en}: below the band, {share:.0%} of the expected rows (part of the day missing?)")
    if finding is FindingKind.HIGH_VOLUME:
        return (f"{head_zh}，{ctx_zh}：远高于区间，为预期的 {share:.1f} 倍，疑似重复加载",
                f"{head_en}, {ctx_en}: far above the band, {share:.1f}× the expected rows (loaded twice?)")
    return f"{head_zh}，{ctx_zh}：正常", f"{head_en}, {ctx_en}: normal"
