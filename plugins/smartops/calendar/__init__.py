"""The one business calendar: China's working days with 调休, fiscal periods, the month-end close window.

    from smartops.calendar import default_calendar
    cal = default_calendar()            # include/config/calendar.yaml, built once per process
    cal.is_working_day(date(2026, 2, 14))   # True: a make-up Saturday (调休)
    cal.day_kind(date(2026, 3, 2))          # working, close_day=1 (closing 2026-02)
    cal.covered(2027)                       # False until the package or calendar.yaml knows 2027

Each year is built once per calendar on first use; an estimated year is logged once as a warning and
flagged on every DayKind (`estimated`) so verdicts can say they rest on an estimate.
"""

from smartops.calendar.business import (
    BusinessCalendar,
    DayClass,
    DayKind,
    default_calendar,
    load_business_calendar,
)
from smartops.calendar.fiscal import FiscalCalendar, month_start
from smartops.calendar.workdays import CalendarCoverage, CoverageSource, Workdays

__all__ = ["BusinessCalendar", "CalendarCoverage", "CoverageSource", "DayClass", "DayKind", "FiscalCalendar",
           "Workdays", "default_calendar", "load_business_calendar", "month_start"]
