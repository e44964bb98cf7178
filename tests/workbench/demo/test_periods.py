"""The demo's accounting periods: closed on the product calendar's close day, reopened and closed again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg

from smartops.calendar import default_calendar, month_start
from tests.support.helpers import query, scalar
from tests.workbench.demo.conftest import CLOSE_EVE, at
from workbench.demo.calendar import history_start
from workbench.demo.day.periods import rare_period_event, reopen_last_closed
from workbench.demo.day.state import Day
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import day_steps, simulate_day
from workbench.demo.vocab import PeriodEvent

CLOSE_DAY = dt.date(2026, 12, 3)  # working day 3 of December: November closes
PERIODS = "SELECT period, status, closed_at, reopen_count, updated_at FROM l1.accounting_period ORDER BY period"
LOG = "SELECT period, action, acted_at, updated_at FROM l1.accounting_period_log ORDER BY log_id"


def period_row(conninfo: str, period: str) -> tuple:
    return query(conninfo, "SELECT status, closed_at, reopen_count, updated_at FROM l1.accounting_period "
                           "WHERE period = %s", (period,))[0]


def test_should_close_each_seeded_period_on_working_day_n_of_the_next_month(close_eve: str) -> None:
    calendar = default_calendar()
    end_ts = at(CLOSE_EVE, 23, 59, 59)
    months, month = [], month_start(history_start(CLOSE_EVE))
    while month <= CLOSE_EVE:
        months.append(month)
        month = month_start(month, 1)
    rows, expected_log = query(close_eve, PERIODS), []

    assert [row[0] for row in rows] == [calendar.period_of(m) for m in months]
    for (period, status, closed_at, reopens, updated), first in zip(rows, months, strict=True):
        close = at(calendar.close_window(first)[-1], 18)
        assert calendar.close_day_index(close.date()) == calendar.config.fiscal.close_window_days
        assert calendar.closing_period(close.date()) == period
        if close <= end_ts:
            assert (status, closed_at, reopens, updated) == ("closed", close, 0, close), period
            expected_log.append((period, "close", close, close))
        else:
            assert (status, closed_at, reopens) == ("open", None, 0), period
    assert query(close_eve, LOG) == expected_log
    # January 2025 closes after the Spring Festival (28 January - 4 February off): on Friday 7 February.
    assert period_row(close_eve, "2025-01")[1] == at(dt.date(2025, 2, 7), 18)
    # The history ends the day before November's close day: October is closed, November and December open.
    assert [row[1] for row in rows[-3:]] == ["closed", "open", "open"]


def test_should_close_the_previous_period_on_its_close_day(close_eve: str) -> None:
    summary = simulate_day(close_eve, day=CLOSE_DAY, dirty_rate=0.0)

    assert summary.periods[PeriodEvent.CLOSED] == ["2026-11"]
    assert summary.inserted["accounting_period_log"] == 1 and summary.updated["accounting_period"] == 1
    assert period_row(close_eve, "2026-11") == ("closed", at(CLOSE_DAY, 18), 0, at(CLOSE_DAY, 18))
    assert query(close_eve, LOG)[-1] == ("2026-11", "close", at(CLOSE_DAY, 18), at(CLOSE_DAY, 18))
    assert period_row(close_eve, "2026-12")[0] == "open"


def test_should_open_the_month_on_its_first_simulated_day(make_database: Callable[..., str]) -> None:
    conninfo = make_database("periods_month_end")
    seed_level1(conninfo, scale=0.1, end=dt.date(2026, 11, 29))
    simulate_day(conninfo, day=dt.date(2026, 11, 30), dirty_rate=0.0)
    assert scalar(conninfo, "SELECT count(*) FROM l1.accounting_period WHERE period = '2026-12'") == 0

    summary = simulate_day(conninfo, day=dt.date(2026, 12, 1), dirty_rate=0.0)

    assert summary.periods[PeriodEvent.OPENED] == ["2026-12"] and summary.inserted["accounting_period"] == 1
    assert period_row(conninfo, "2026-12") == ("open", None, 0, at(dt.date(2026, 12, 1), 0))


def test_should_reopen_a_period_with_log_rows_and_close_it_again_the_working_day_after(close_eve: str) -> None:
    with psycopg.connect(close_eve) as conn, conn.cursor() as cur:  # the rare event, staged on CLOSE_DAY
        day = Day(cur, CLOSE_DAY, seed=1, dirty_rate=0.0)
        reopened = reopen_last_closed(day)
        day.out.flush_all()
    assert reopened == "2026-10", "November is still open before its close at 18:00"
    status, closed_at, reopens, reopened_at = period_row(close_eve, "2026-10")
    assert (status, closed_at, reopens) == ("open", None, 1)

    summary = simulate_day(close_eve, day=CLOSE_DAY + dt.timedelta(days=1), dirty_rate=0.0)

    assert summary.periods[PeriodEvent.RECLOSED] == ["2026-10"]
    assert summary.periods[PeriodEvent.CLOSED] == ["2026-11"], "a close day the simulator skipped is caught up"
    status, closed_at, reopens, updated = period_row(close_eve, "2026-10")
    assert (status, reopens, updated) == ("closed", 1, closed_at)
    assert at(CLOSE_DAY, 9) <= reopened_at <= at(CLOSE_DAY, 11) and closed_at.date() == CLOSE_DAY + dt.timedelta(days=1)
    log = [(action, acted) for period, action, acted, _ in query(close_eve, LOG) if period == "2026-10"]
    assert [action for action, _ in log] == ["close", "reopen", "close"]
    assert log[1][1] == reopened_at and log[2][1] == closed_at
    # The adjustment the reopen was for: dated in October, keyed inside the reopen window, balanced.
    adjusted = query(close_eve, """
        SELECT v.voucher_date, v.updated_at, sum(l.debit_amount) - sum(l.credit_amount)
        FROM l1.gl_voucher v JOIN l1.gl_voucher_line l USING (voucher_id)
        WHERE v.period = '2026-10' AND v.updated_at > %s AND l.summary LIKE '反结账调整%%'
        GROUP BY v.voucher_id""", (at(CLOSE_DAY, 0),))
    assert len(adjusted) == 1
    voucher_date, keyed, difference = adjusted[0]
    assert voucher_date.month == 10 and reopened_at < keyed < closed_at and difference == 0


def test_should_leave_out_the_rare_period_events_when_switched_off() -> None:
    assert day_steps(True, None)[-1] is rare_period_event
    assert rare_period_event not in day_steps(True, None, rare_events=False)
    assert rare_period_event not in day_steps(False, None, rare_events=False)
