"""The demo calendar: the product's working days (调休 included) as ordinals, its periods and close days."""

from __future__ import annotations

import datetime as dt

from smartops.calendar import default_calendar
from workbench.demo.calendar import (
    add_business_days,
    close_day,
    history_end_of,
    history_start,
    is_business_day,
    last_business_day,
    next_business_day,
    period_month,
    period_of,
)


def days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def test_should_agree_with_the_product_calendar_on_every_day() -> None:
    calendar = default_calendar()
    for day in days_of(2025) + days_of(2026):
        assert is_business_day(day.toordinal()) == calendar.is_working_day(day), day


def test_should_work_on_a_make_up_saturday_and_rest_through_the_spring_festival() -> None:
    assert is_business_day(dt.date(2026, 2, 14).toordinal())  # 调休: a Saturday worked for the Spring Festival
    assert not any(is_business_day(dt.date(2026, 2, d).toordinal()) for d in range(16, 21))  # Mon-Fri off
    assert not is_business_day(dt.date(2025, 10, 8).toordinal())  # National Day week runs to the 8th in 2025
    assert is_business_day(dt.date(2026, 10, 8).toordinal())


def test_should_move_across_holidays_and_make_up_days() -> None:
    assert add_business_days(dt.date(2026, 2, 13).toordinal(), 1) == dt.date(2026, 2, 14).toordinal()
    assert add_business_days(dt.date(2026, 2, 14).toordinal(), 1) == dt.date(2026, 2, 24).toordinal()
    assert next_business_day(dt.date(2026, 2, 15).toordinal()) == dt.date(2026, 2, 24).toordinal()
    assert last_business_day(dt.date(2026, 2, 23).toordinal()) == dt.date(2026, 2, 14).toordinal()


def test_should_name_periods_and_close_them_on_working_day_n_of_the_next_month() -> None:
    calendar = default_calendar()
    n = calendar.config.fiscal.close_window_days
    assert period_of(dt.date(2026, 2, 14).toordinal()) == "2026-02" and period_month("2026-02") == (2026, 2)
    # January 2025 closes after the Spring Festival (28 January - 4 February 2025 off).
    assert dt.date.fromordinal(close_day(2025, 1)) == dt.date(2025, 2, 7)
    # September 2026 closes on a make-up Saturday after the National Day week.
    assert dt.date.fromordinal(close_day(2026, 9)) == dt.date(2026, 10, 10)
    for year, month in ((2025, 1), (2025, 12), (2026, 1), (2026, 2), (2026, 9)):
        day = dt.date.fromordinal(close_day(year, month))
        assert calendar.close_day_index(day) == n and calendar.closing_period(day) == f"{year}-{month:02d}"


def test_should_span_the_same_history_window_for_any_end() -> None:
    assert history_start(dt.date(2026, 11, 28)) == dt.date(2025, 1, 1)
    for end in (dt.date(2026, 11, 28), dt.date(2028, 2, 29), dt.date(2031, 7, 1)):
        assert history_end_of(history_start(end)) == end
        assert 22 <= (end - history_start(end)).days / 30.44 <= 23
