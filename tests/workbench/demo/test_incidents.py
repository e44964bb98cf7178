"""Incidents a simulated day can stage: a half day, a posting into a closed period, an empty day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from smartops.calendar import default_calendar
from tests.conftest import Databases
from tests.support.helpers import query, scalar
from tests.workbench.demo.conftest import CLOSE_EVE, at
from tests.workbench.demo.test_simulator import rows_by_key
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day
from workbench.demo.vocab import Incident, PeriodEvent

CLOSE_DAY = dt.date(2026, 12, 3)  # a Thursday, working day 3 of December: November closes at 18:00
POSTING_TABLES = ("gl_voucher", "gl_voucher_line", "expense_claim", "payment_order", "ar_invoice", "ar_receipt",
                  "bank_transaction")


@pytest.fixture(scope="module")
def close_eve_scale_1_template(databases: Databases) -> str:
    """A database seeded at scale 1 up to CLOSE_EVE: a working day at scale 0.1 has about one claim, as the
    history has, too few to halve."""
    name = databases.template("demo_close_eve_scale_1")
    seed_level1(databases.conninfo(name), scale=1.0, end=CLOSE_EVE)
    return name


def test_should_deliver_about_half_of_the_same_days_vouchers_on_a_half_day(
        make_database: Callable[..., str], close_eve_scale_1_template: str) -> None:
    full = make_database("full_day", close_eve_scale_1_template)
    half = make_database("half_day", close_eve_scale_1_template)

    whole = simulate_day(full, day=CLOSE_DAY, seed=7, dirty_rate=0.0)
    halved = simulate_day(half, day=CLOSE_DAY, seed=7, dirty_rate=0.0, incident=Incident.HALF_DAY)

    for table in ("gl_voucher", "expense_claim"):
        assert 0.4 <= halved.inserted[table] / whole.inserted[table] <= 0.6, table
        assert halved.inserted[table] + halved.withheld[table] == whole.inserted[table], table
    assert 0.2 <= halved.inserted["gl_voucher_line"] / whole.inserted["gl_voucher_line"] <= 0.8
    for table in ("payment_order", "ar_invoice", "ar_receipt", "bank_transaction", "accounting_period_log"):
        assert halved.inserted[table] == whole.inserted[table], table
    assert halved.incident is Incident.HALF_DAY and whole.incident is None
    # What Level-1 did deliver is exactly what the full day wrote (the rest of the day is unchanged).
    for table in ("gl_voucher", "gl_voucher_line", "expense_claim", "payment_order", "accounting_period"):
        delivered, written = rows_by_key(half, table), rows_by_key(full, table)
        assert delivered.items() <= written.items(), table
    assert scalar(half, "SELECT count(*) FROM l1.gl_voucher_line l WHERE NOT EXISTS "
                        "(SELECT 1 FROM l1.gl_voucher v WHERE v.voucher_id = l.voucher_id)") == 0, "lines go too"


def test_should_post_a_voucher_into_the_last_closed_period_without_reopening_it(close_eve: str) -> None:
    summary = simulate_day(close_eve, day=CLOSE_DAY, dirty_rate=0.0, incident=Incident.CLOSED_PERIOD_POSTING)

    [voucher_id] = summary.closed_period_vouchers
    assert summary.periods[PeriodEvent.POSTED_WHILE_CLOSED] == ["2026-11"]  # closed at 18:00 the same day
    [(period, voucher_date, status, updated, period_status, closed_at, reopens)] = query(close_eve, """
        SELECT v.period, v.voucher_date, v.status, v.updated_at, p.status, p.closed_at, p.reopen_count
        FROM l1.gl_voucher v JOIN l1.accounting_period p USING (period) WHERE v.voucher_id = %s""", (voucher_id,))
    assert (period, status, period_status, reopens) == ("2026-11", "posted", "closed", 0)
    assert voucher_date.strftime("%Y-%m") == period and default_calendar().is_working_day(voucher_date)
    assert closed_at == at(CLOSE_DAY, 18) < updated < at(CLOSE_DAY + dt.timedelta(days=1), 0)
    [(lines, debit, credit)] = query(close_eve, "SELECT count(*), sum(debit_amount), sum(credit_amount) "
                                                "FROM l1.gl_voucher_line WHERE voucher_id = %s", (voucher_id,))
    assert lines >= 2 and debit == credit > 0
    assert scalar(close_eve, "SELECT count(*) FROM l1.accounting_period_log WHERE action = 'reopen'") == 0


def test_should_change_nothing_but_the_close_on_an_empty_day(close_eve: str) -> None:
    before = {table: rows_by_key(close_eve, table) for table in POSTING_TABLES}

    summary = simulate_day(close_eve, day=CLOSE_DAY, dirty_rate=0.02, incident=Incident.EMPTY_DAY)

    assert {table: rows_by_key(close_eve, table) for table in POSTING_TABLES} == before
    changed = {t: n for part in (summary.inserted, summary.updated, summary.deleted) for t, n in part.items() if n}
    assert changed == {"accounting_period": 1, "accounting_period_log": 1}  # November's close still happens
    assert all(not rows for rows in summary.dirty.values())


def test_should_refuse_an_incident_that_is_not_an_incident(close_eve: str) -> None:
    with pytest.raises(ValueError, match="incident='half_days' is not an Incident; pass one of: half_day"):
        simulate_day(close_eve, day=CLOSE_DAY, incident="half_days")  # type: ignore[arg-type]
