"""The business calendar: one object answering every date question of detectors, report, console and demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

from smartops.calendar.fiscal import FiscalCalendar
from smartops.calendar.workdays import CalendarCoverage, Workdays
from smartops.config.calendar import CALENDAR_PATH, CalendarConfig, load_calendar_config

MAX_BREAK = 31  # days_off_before counts back at most this far


class DayClass(StrEnum):
    """Which days a day's volume is comparable with."""

    NON_WORKING = "non_working"  # weekends, public holidays, company days off
    CLOSE_WINDOW = "close_window"  # working days 1..N of a month (the previous month's close)
    WORKING = "working"  # every other working day, make-up working days included


@dataclass(frozen=True)
class DayKind:
    """What kind of day a date is, in the business calendar's terms."""

    day: date
    working: bool
    weekday: int  # Monday = 0
    close_day: int | None  # k when working day k of the close window, else None
    makeup_workday: bool  # a weekend working day (调休上班)
    holiday_zh: str | None  # name of the holiday or company day off
    holiday_en: str | None
    estimated: bool  # the year's calendar is an estimate (see CalendarCoverage)
    days_off_before: int = 0  # consecutive non-working days just before (2 after a weekend, 8 after 春节)

    @property
    def day_class(self) -> DayClass:
        if not self.working:
            return DayClass.NON_WORKING
        return DayClass.CLOSE_WINDOW if self.close_day is not None else DayClass.WORKING

    def describe(self, language: Literal["zh", "en"] = "en") -> str:
        """Name the kind of day for a message, e.g. 'close-window working day 2' or '春节'."""
        zh = language == "zh"
        if not self.working:
            name = self.holiday_zh if zh else self.holiday_en
            return name or ("周末" if zh else "weekend")
        label = ("调休工作日" if zh else "make-up working day") if self.makeup_workday else ("工作日" if zh else
                                                                                            "working day")
        if self.close_day is not None:
            return f"月结第 {self.close_day} 个工作日" if zh else f"close-window {label} {self.close_day}"
        return label


class BusinessCalendar(Workdays):
    """China's working days (调休 included) plus the fiscal periods and the month-end close window."""

    def __init__(self, config: CalendarConfig | None = None) -> None:
        super().__init__(config)
        self.fiscal = FiscalCalendar(self, self.config.fiscal)
        self._kinds: dict[date, DayKind] = {}

    def period_of(self, day: date) -> str:
        """Return the accounting period of `day` (calendar.yaml fiscal.period_format)."""
        return self.fiscal.period_of(day)

    def close_day_index(self, day: date) -> int | None:
        """Return k when `day` is working day k of the close window (k <= fiscal.close_window_days)."""
        return self.fiscal.close_day_index(day)

    def in_close_window(self, day: date) -> bool:
        """Tell whether `day` is a close-window working day."""
        return self.fiscal.in_close_window(day)

    def closing_period(self, day: date) -> str | None:
        """Return the period closed on `day`, or None outside the close window."""
        return self.fiscal.closing_period(day)

    def close_window(self, period_day: date) -> list[date]:
        """Return the working days that close the period containing `period_day`."""
        return self.fiscal.close_window(period_day)

    def day_kind(self, day: date) -> DayKind:
        """Return what kind of day `day` is (cached: detectors ask for the same days over and over)."""
        kind = self._kinds.get(day)
        if kind is None:
            table = self.year(day.year)
            index = table.index(day)
            kind = self._kinds[day] = DayKind(
                day=day, working=table.working[index], weekday=day.weekday(),
                close_day=self.close_day_index(day), makeup_workday=day in table.makeup,
                holiday_zh=table.names_zh.get(day), holiday_en=table.names_en.get(day),
                estimated=not table.coverage.covered, days_off_before=self._days_off_before(day))
        return kind

    def _days_off_before(self, day: date) -> int:
        count = 0
        while count < MAX_BREAK and not self.is_working_day(day - timedelta(days=count + 1)):
            count += 1
        return count

    def coverage_of(self, days: list[date]) -> list[CalendarCoverage]:
        """Return the coverage of each year the days fall in, estimates only (for a report's caveat)."""
        return [c for c in (self.coverage(y) for y in sorted({d.year for d in days})) if not c.covered]


def load_business_calendar(path: Path = CALENDAR_PATH) -> BusinessCalendar:
    """Build the business calendar from calendar.yaml; raise ConfigError naming file and field."""
    return BusinessCalendar(load_calendar_config(path))


@cache
def default_calendar() -> BusinessCalendar:
    """Return the process's calendar from include/config/calendar.yaml, built once."""
    return load_business_calendar()
