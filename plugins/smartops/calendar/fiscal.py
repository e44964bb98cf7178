"""Fiscal rules over the working days: accounting periods and the month-end close window (月结窗口)."""

from __future__ import annotations

from datetime import date, timedelta

from smartops.calendar.workdays import Workdays
from smartops.config.calendar import Fiscal


def month_start(day: date, months: int = 0) -> date:
    """Return the first day of `day`'s month moved by `months`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class FiscalCalendar:
    """Accounting periods (one per calendar month) and their close windows, on a working-day calendar."""

    def __init__(self, workdays: Workdays, fiscal: Fiscal) -> None:
        self.workdays = workdays
        self.fiscal = fiscal

    def period_of(self, day: date) -> str:
        """Return the accounting period `day` belongs to, e.g. '2026-02'."""
        return month_start(day).strftime(self.fiscal.period_format)

    def close_day_index(self, day: date) -> int | None:
        """Return k when `day` is working day k (1..N) of its month, i.e. day k of the previous month's close."""
        index = self.workdays.working_day_of_month(day)
        return index if index is not None and index <= self.fiscal.close_window_days else None

    def in_close_window(self, day: date) -> bool:
        """Tell whether `day` is one of the working days that close the previous month."""
        return self.close_day_index(day) is not None

    def closing_period(self, day: date) -> str | None:
        """Return the period being closed on `day` (the previous month's), or None outside the close window."""
        return self.period_of(month_start(day, -1)) if self.in_close_window(day) else None

    def close_window(self, period_day: date) -> list[date]:
        """Return the working days that close the period containing `period_day` (in the next month)."""
        first = month_start(period_day, 1)
        window, day = [], first
        while len(window) < self.fiscal.close_window_days and day.month == first.month:
            if self.workdays.is_working_day(day):
                window.append(day)
            day += timedelta(days=1)
        return window
