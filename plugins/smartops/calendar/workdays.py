"""China's working days with 调休, built once per year from the holidays package and calendar.yaml.

A working day is a Monday-Friday that is not a public holiday, or a weekend make-up working day
(调休上班); company days off are never working days. Only the PUBLIC category counts: the half-day
holidays (Women's Day, Youth Day, Children's Day, Army Day) concern some employees only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from smartops.config.calendar import CalendarConfig

log = logging.getLogger(__name__)


class CoverageSource(StrEnum):
    """Where a year's holiday schedule comes from."""

    OFFICIAL = "official"  # the State Council's schedule, as the holidays package has it
    CALENDAR_YAML = "calendar_yaml"  # listed in calendar.yaml
    ESTIMATE = "estimate"  # the package's rule-based estimate: 调休 unknown, lunar holidays approximate


@dataclass(frozen=True)
class CalendarCoverage:
    """Whether a year's working days are known or estimated, with the message callers show."""

    year: int
    source: CoverageSource

    @property
    def covered(self) -> bool:
        return self.source is not CoverageSource.ESTIMATE

    @property
    def message_en(self) -> str | None:
        if self.covered:
            return None
        return (f"calendar for {self.year} is an estimate: update the holidays package or list the year's days "
                "in calendar.yaml")

    @property
    def message_zh(self) -> str | None:
        if self.covered:
            return None
        return f"{self.year} 年的工作日历为估算：请升级 holidays 包，或在 calendar.yaml 中列出当年的放假和调休日期"


@dataclass(frozen=True)
class YearTable:
    """One year's days: which work, the names of the days off, the make-up days, running counts."""

    year: int
    coverage: CalendarCoverage
    working: tuple[bool, ...]  # by day of year (index 0 = 1 January)
    names_zh: dict[date, str]
    names_en: dict[date, str]
    makeup: frozenset[date]
    # cumulative[i] = working days from 1 January up to and including day-of-year index i.
    cumulative: tuple[int, ...]
    # working_day_of_month[i] = 1-based index of day i among its month's working days, 0 when not working.
    working_day_of_month: tuple[int, ...]

    def index(self, day: date) -> int:
        return day.toordinal() - date(self.year, 1, 1).toordinal()

    @property
    def total(self) -> int:
        return self.cumulative[-1]


def _package_year(year: int) -> tuple[dict[date, str], dict[date, str], frozenset[date], bool]:
    """The package's public holidays of `year` (zh and en names), its make-up days, and whether official."""
    from holidays.countries.china import China  # 0.4 s import: only when a year is first built

    # A make-up day may belong to the next year's schedule (late-December days for New Year's Day).
    years = [year, year + 1]
    zh = China(years=years, categories=("public",), language="zh_CN")
    en = China(years=years, categories=("public",), language="en_US")
    makeup = frozenset(d for d in zh.weekend_workdays if d.year == year)
    official = year in zh.special_public_holidays
    return ({d: n for d, n in zh.items() if d.year == year}, {d: n for d, n in en.items() if d.year == year},
            makeup, official)


def build_year(year: int, config: CalendarConfig) -> YearTable:
    """Build one year's table from the holidays package, corrected or replaced by calendar.yaml."""
    names_zh, names_en, makeup, official = _package_year(year)
    extra_off = {d.date: d.name for d in config.extra_holidays if d.date.year == year}
    extra_on = {d.date: d.name for d in config.extra_workdays if d.date.year == year}
    if official:
        source = CoverageSource.OFFICIAL
    elif year in config.listed_years():
        # The listed days are the year's schedule: the package's estimate would add days that are not off.
        source, names_zh, names_en, makeup = CoverageSource.CALENDAR_YAML, {}, {}, frozenset()
    else:
        source = CoverageSource.ESTIMATE
    for day, name in extra_off.items():
        names_zh[day] = name or "节假日（calendar.yaml）"
        names_en[day] = name or "holiday (calendar.yaml)"
    for day in extra_on:
        names_zh.pop(day, None)
        names_en.pop(day, None)
    makeup = frozenset({*(makeup - extra_off.keys()), *(d for d in extra_on if d.weekday() >= 5)})
    for entry in config.company_days_off:
        if entry.date.year == year:
            names_zh[entry.date] = entry.name or "公司休息日"
            names_en[entry.date] = entry.name or "company day off"
    company = {d.date for d in config.company_days_off}

    first = date(year, 1, 1)
    days = [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]
    working = tuple(
        d not in company and (d in extra_on or d in makeup or (d.weekday() < 5 and d not in names_zh))
        for d in days)
    cumulative, of_month, running, month_count = [], [], 0, 0
    for d, works in zip(days, working, strict=True):
        month_count = 0 if d.day == 1 else month_count
        running += works
        month_count += works
        cumulative.append(running)
        of_month.append(month_count if works else 0)
    return YearTable(year, CalendarCoverage(year, source), working, names_zh, names_en,
                     frozenset(d for d in makeup if working[d.toordinal() - first.toordinal()]),
                     tuple(cumulative), tuple(of_month))


class Workdays:
    """China's working days for any year, each year built on first use and cached."""

    def __init__(self, config: CalendarConfig | None = None) -> None:
        self.config = config or CalendarConfig()
        self._years: dict[int, YearTable] = {}
        self._lock = threading.Lock()

    def year(self, year: int) -> YearTable:
        """Return the table of `year`, building it (and warning once when it is an estimate) on first use."""
        table = self._years.get(year)
        if table is None:
            with self._lock:
                table = self._years.get(year)
                if table is None:
                    table = self._years[year] = build_year(year, self.config)
                    if not table.coverage.covered:
                        log.warning("%s; verdicts on its days are marked as based on an estimated calendar",
                                    table.coverage.message_en)
        return table

    def coverage(self, year: int) -> CalendarCoverage:
        """Return where `year`'s schedule comes from."""
        return self.year(year).coverage

    def covered(self, year: int) -> bool:
        """Tell whether `year`'s working days are known (official or listed), not estimated."""
        return self.coverage(year).covered

    def is_working_day(self, day: date) -> bool:
        """Tell whether `day` is a working day."""
        table = self.year(day.year)
        return table.working[table.index(day)]

    def is_makeup_workday(self, day: date) -> bool:
        """Tell whether `day` is a weekend make-up working day (调休上班)."""
        return day in self.year(day.year).makeup

    def holiday_name(self, day: date, *, language: Literal["zh", "en"] = "zh") -> str | None:
        """Return the name of the holiday or company day off on `day`, or None."""
        table = self.year(day.year)
        return (table.names_zh if language == "zh" else table.names_en).get(day)

    def working_day_of_month(self, day: date) -> int | None:
        """Return the 1-based index of `day` among its month's working days, None for a non-working day."""
        table = self.year(day.year)
        return table.working_day_of_month[table.index(day)] or None

    def previous_working_day(self, day: date) -> date:
        """Return the last working day strictly before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days d with start < d <= end (negative when end is before start).

        E.g. Friday → next Monday is 1; Friday → Sunday is 0.
        """
        if end < start:
            return -self.working_days_between(end, start)
        first, last = self.year(start.year), self.year(end.year)
        count = last.cumulative[last.index(end)] - first.cumulative[first.index(start)]
        return count + sum(self.year(y).total for y in range(start.year, end.year))

    def working_days(self, start: date, end: date) -> list[date]:
        """Return the working days from `start` to `end`, both included."""
        return [start + timedelta(days=i) for i in range((end - start).days + 1)
                if self.is_working_day(start + timedelta(days=i))]
