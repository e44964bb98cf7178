"""A demo Level-1 seeded once per module, for tests that each work on their own copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.conftest import Databases
from workbench.demo.generator import seed_level1

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Wednesday, the day before November's close day (working day 3 of December 2026).
CLOSE_EVE = dt.date(2026, 12, 2)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """Return a moment of a day on the Asia/Shanghai wall clock."""
    return dt.datetime.combine(day, dt.time(hour, minute, second), SHANGHAI)


@pytest.fixture(scope="module")
def close_eve_template(databases: Databases) -> str:
    """The name of a database seeded at scale 0.1 with a history ending on CLOSE_EVE (copy it per test)."""
    name = databases.template("demo_close_eve")
    seed_level1(databases.conninfo(name), scale=0.1, end=CLOSE_EVE)
    return name


@pytest.fixture
def close_eve(make_database: Callable[..., str], close_eve_template: str) -> str:
    """This test's copy of the Level-1 seeded up to CLOSE_EVE (admin conninfo)."""
    return make_database("close_eve", close_eve_template)
