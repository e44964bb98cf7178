"""The form's manual bounds are checked before a sync runs (Airflow does not enforce `format`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from smartops.backflow.bounds import parse_resync_from
from smartops.backflow.exceptions import ManualBoundInvalid
from smartops.business_date import BUSINESS_TZ
from smartops.errors import is_retryable

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("value, rule", [
    ("2026-12-03T00:00:00+08:00", "in the future"),
    ("2026-12-02 12:00:01", "in the future"),  # naive = Asia/Shanghai, one second after NOW
    ("yesterday", "not an ISO 8601 date-time"),
    ("2026-13-01", "not an ISO 8601 date-time"),
])
def test_should_refuse_a_future_or_malformed_resync_bound_naming_the_param(value, rule):
    with pytest.raises(ManualBoundInvalid, match=rf"resync_from={re.escape(repr(value))}: .*{rule}") as refused:
        parse_resync_from(value, now=NOW)
    assert not is_retryable(refused.value), "a bad bound fails at once: retrying cannot help"


def test_should_read_a_naive_bound_as_business_time_and_pass_empty_values_through():
    assert parse_resync_from("2026-12-01 08:00", now=NOW) == datetime(2026, 12, 1, 8, 0, tzinfo=BUSINESS_TZ)
    assert parse_resync_from("2026-12-01T00:00:00Z", now=NOW) == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_resync_from(None, now=NOW) is None and parse_resync_from("", now=NOW) is None
