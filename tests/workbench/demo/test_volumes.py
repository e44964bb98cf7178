"""A simulated ordinary working day is the size of one of the seeded history's, so the volume detector
judges it normal.

At scale 0.2 an ordinary working day has about four vouchers and one or two claims, so the medians
compared are small whole numbers: the simulated days run three weeks and the history's are its last
HISTORY_DAYS days, both counted as the detector's cold-start profile counts them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable

from psycopg import sql

from smartops.calendar import DayClass, default_calendar
from smartops.config.inventory import load_inventory
from tests.support.helpers import query
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day

TABLES = ("gl_voucher", "expense_claim")
HISTORY_DAYS = 60  # the history's last days the simulated ones are compared with
TOLERANCE = 0.25


def ordinary(day: dt.date) -> bool:
    """Tell whether a day is an ordinary working day of the product's calendar (not in a close window)."""
    return default_calendar().day_kind(day).day_class is DayClass.WORKING


def history_medians(conninfo: str, end: dt.date) -> dict[str, float]:
    """Return each table's median rows per ordinary working day over the history's last HISTORY_DAYS days.

    Rows are counted per business date as the volume detector's cold-start profile counts them: by the
    table's activity column in the inventory (`pulse.activity_column`).
    """
    first = end - dt.timedelta(days=HISTORY_DAYS - 1)
    days = [first + dt.timedelta(days=n) for n in range(HISTORY_DAYS)]
    inventory = load_inventory()
    medians = {}
    for table in TABLES:
        column = inventory.by_name[table].pulse.activity_column
        statement = sql.SQL("SELECT {c}, count(*) FROM {t} WHERE {c} BETWEEN %s AND %s GROUP BY {c}").format(
            c=sql.Identifier(column), t=sql.Identifier("l1", table))
        counts = dict(query(conninfo, statement.as_string(), (first, end)))
        medians[table] = statistics.median(counts.get(day, 0) for day in days if ordinary(day))
    return medians


def test_should_simulate_an_ordinary_day_the_size_of_the_historys_at_scale_0_2(
        make_database: Callable[..., str]) -> None:
    conninfo = make_database("volumes")
    end = dt.date(2026, 10, 16)  # a Friday: three weeks to November's close window follow
    seed_level1(conninfo, scale=0.2, end=end)
    expected = history_medians(conninfo, end)
    inserted: dict[str, list[int]] = {table: [] for table in TABLES}

    for day in (end + dt.timedelta(days=n) for n in range(1, 22)):
        summary = simulate_day(conninfo, day=day, dirty_rate=0.0, rare_events=False)
        for table in TABLES:
            inserted[table] += [summary.inserted[table]] if ordinary(day) else []

    simulated = {table: statistics.median(counts) for table, counts in inserted.items()}
    assert len(inserted["gl_voucher"]) == 12
    for table, median in simulated.items():
        assert abs(median - expected[table]) <= TOLERANCE * expected[table], (table, median, expected[table])
