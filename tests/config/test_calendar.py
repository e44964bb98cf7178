"""calendar.yaml: the real file validates; malformed files fail naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartops.config.calendar import CALENDAR_PATH, load_calendar_config
from smartops.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_should_load_the_real_calendar_file():
    config = load_calendar_config(CALENDAR_PATH)
    assert config.fiscal.close_window_days == 3 and config.fiscal.period_format == "%Y-%m"


def test_should_accept_bare_dates_and_named_days(tmp_path):
    config = load_calendar_config(write(tmp_path, "extra_holidays: [2027-01-01, {date: 2027-02-06, name: 春节}]\n"))
    assert [d.name for d in config.extra_holidays] == ["", "春节"]
    assert config.listed_years() == {2027}


@pytest.mark.parametrize(("text", "named"), [
    ("fiscal: {close_window_days: 0}\n", "field 'fiscal.close_window_days'"),
    ("fiscal: {period_format: '%Y'}\n", "field 'fiscal.period_format'"),
    ("extra_holidays: [2027-01-01]\nextra_workdays: [2027-01-01]\n", "field 'extra_workdays'"),
    ("company_days_off: [{date: 2027-01-04, nam: x}]\n", "field 'company_days_off.0.nam'"),
    ("extra_holidays: [2027-01-01, {date: someday}]\n", "entry #2, field 'date'"),
    ("extra_holidays: [2027-02-30]\n", "YYYY-MM-DD"),
], ids=["close-window", "period-format", "both-lists", "unknown-key", "bad-date", "impossible-date"])
def test_should_name_the_file_and_the_field_of_a_bad_entry(tmp_path, text, named):
    with pytest.raises(ConfigError) as error:
        load_calendar_config(write(tmp_path, text))
    assert "calendar.yaml" in str(error.value) and named in str(error.value)
