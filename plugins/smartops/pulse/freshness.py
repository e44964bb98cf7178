"""Freshness: how many working days a table's newest row is old, as of business date D.

Judged on working days only, for tables declared to change every working day: a weekend or a holiday
brings nothing new and raises nothing (the idle count does not grow on non-working days either).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from smartops.calendar import BusinessCalendar
from smartops.config.pulse import FreshnessPolicy, Metric
from smartops.pulse.model import FindingKind
from smartops.pulse.volume import VolumePoint
from smartops.vocabulary import Category, Severity


@dataclass(frozen=True)
class FreshnessVerdict:
    """The newest row of one table as of one business date, in working days (finding None: fresh)."""

    table: str
    business_date: date
    newest_activity: date | None  # business date of the newest row known by D's run
    idle_working_days: int | None  # working days after newest_activity up to D
    limit: int
    finding: FindingKind | None
    estimated_calendar: bool
    reason_zh: str
    reason_en: str

    @property
    def category(self) -> Category:
        return Category.FRESHNESS

    @property
    def severity(self) -> Severity | None:
        return None  # the table's own severity (inventory) applies


def newest_activity(series: Iterable[VolumePoint], day: date, metric: Metric = Metric.ROWS_INSERTED) -> date | None:
    """Return the latest business date up to `day` with rows in `metric` (what D's run knew), or None."""
    dates = [p.business_date for p in series if p.business_date <= day and p.value(metric) > 0]
    return max(dates, default=None)


def judge_freshness(table: str, day: date, newest: date | None, calendar: BusinessCalendar,
                    policy: FreshnessPolicy | None = None) -> FreshnessVerdict | None:
    """Judge `table` on business date `day` from the business date of its newest row (`newest`).

    Return None for tables not declared `changes_every_working_day`. A newest row dated after `day`
    (loaded early in the morning run) counts as fresh. Never judged from the wall clock.
    """
    policy = policy or FreshnessPolicy()
    if not policy.changes_every_working_day:
        return None
    kind = calendar.day_kind(day)
    limit = policy.max_idle_working_days
    if newest is None:
        return FreshnessVerdict(table, day, None, None, limit, None, kind.estimated,
                                f"{table} 尚无数据，不判断新鲜度", f"{table} has no rows yet: freshness not judged")
    idle = max(0, calendar.working_days_between(newest, day))
    estimated = kind.estimated or calendar.day_kind(newest).estimated
    finding = FindingKind.STALE if kind.working and idle >= limit else None
    since_zh, since_en = f"最新数据日期 {newest.isoformat()}", f"newest rows dated {newest.isoformat()}"
    if not kind.working:
        zh = f"{table}：{day.isoformat()} 为{kind.describe('zh')}，不要求新数据（{since_zh}）"
        en = f"{table}: {day.isoformat()} is a {kind.describe('en')}, no new rows required ({since_en})"
    elif finding:
        zh = f"{table}：已连续 {idle} 个工作日无新数据（{since_zh}，阈值 {limit} 个工作日）"
        en = (f"{table}: no new rows for {idle} working day{'s' if idle > 1 else ''} ({since_en}, "
              f"limit {limit})")
    else:
        zh = f"{table}：数据新鲜（{since_zh}，{idle} 个工作日前）"
        en = f"{table}: fresh ({since_en}, {idle} working day(s) ago)"
    if estimated:
        coverage = calendar.coverage(day.year if kind.estimated else newest.year)
        zh, en = f"{zh}（{coverage.message_zh}）", f"{en} ({coverage.message_en})"
    return FreshnessVerdict(table, day, newest, idle, limit, finding, estimated, zh, en)
