"""calendar.yaml: the business calendar's own days (beyond the holidays package) and the fiscal rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from smartops.config.loader import load_model
from smartops.errors import ConfigError
from smartops.fields import Identifier
from smartops.paths import CONFIG_DIR

CALENDAR_PATH = CONFIG_DIR / "calendar.yaml"
# Periods of these months must all differ, or the format does not name a month (e.g. "%Y").
_FORMAT_PROBE = [date(year, month, 1) for year in (2025, 2026) for month in range(1, 13)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Day(_Frozen):
    """One listed date, with the name the report shows (a bare date in the file gets a generic name)."""

    date: date
    name: str = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, data: Any) -> Any:
        return {"date": data} if isinstance(data, date | str) else data


class Fiscal(_Frozen):
    """Accounting periods and the month-end close window (月结窗口)."""

    # strftime format of a period's label, applied to the first day of its month.
    period_format: str = "%Y-%m"
    # The close window of period M: working days 1..N of month M+1.
    close_window_days: int = Field(default=3, ge=1, le=10)

    @field_validator("period_format")
    @classmethod
    def _names_a_month(cls, value: str) -> str:
        labels = {day.strftime(value) for day in _FORMAT_PROBE}
        if len(labels) != len(_FORMAT_PROBE):
            raise ValueError(f"period_format={value!r} gives the same label to different months; it needs the "
                             "year and the month, e.g. '%Y-%m' (2026-02) or '%Y%m' (202602)")
        return value


class PeriodTables(_Frozen):
    """Where Level-1's accounting periods are (ods tables of the inventory) and which of their columns say what."""

    table: Identifier                    # one row per period: ods.<table>
    period_column: Identifier = "period"
    status_column: Identifier = "status"  # open | closed
    closed_at_column: Identifier = "closed_at"
    log_table: Identifier | None = None  # the close/reopen history, one row per action
    log_period_column: Identifier = "period"
    log_action_column: Identifier = "action"  # close | reopen
    log_at_column: Identifier = "acted_at"


class GuardedTable(_Frozen):
    """An inventory table whose rows belong to an accounting period: a change to a closed period is a finding."""

    table: Identifier
    id_column: Identifier
    # The row's period: its own column, or its parent's (a voucher line's period is its voucher's).
    period_column: Identifier | None = None
    parent_table: Identifier | None = None
    parent_key: Identifier | None = None
    amount_columns: list[Identifier] = []

    @model_validator(mode="after")
    def _one_period_source(self) -> GuardedTable:
        if (self.period_column is None) == (self.parent_table is None) or bool(self.parent_table) != bool(
                self.parent_key):
            raise ValueError(f"guarded table {self.table!r}: give either period_column, or parent_table with "
                             "parent_key (the parent carries the period)")
        return self


class Periods(_Frozen):
    """Accounting periods at Level-1 and the tables whose closed periods must never change."""

    tables: PeriodTables
    guarded: list[GuardedTable] = Field(min_length=1)


class CalendarConfig(_Frozen):
    """The whole calendar.yaml.

    For a year the holidays package has the State Council's schedule for, the lists correct it: a listed
    holiday is a day off, a listed workday a working day. For a later year (the package only estimates
    it), listing any of its days in extra_holidays/extra_workdays makes the lists that year's schedule:
    list every holiday (放假) and every make-up working day (调休上班) of the official notice.
    company_days_off are the unit's own days off in any year.
    """

    extra_holidays: list[Day] = []
    extra_workdays: list[Day] = []
    company_days_off: list[Day] = []
    fiscal: Fiscal = Fiscal()
    # Closed-period integrity: none declared = not judged (a Level-1 without periods).
    periods: Periods | None = None

    @field_validator("extra_workdays")
    @classmethod
    def _not_also_holidays(cls, value: list[Day], info: ValidationInfo) -> list[Day]:
        holidays = {day.date for day in info.data.get("extra_holidays", [])}
        both = sorted(day.date.isoformat() for day in value if day.date in holidays)
        if both:
            raise ValueError(f"{', '.join(both)} also listed in extra_holidays; a day is either a holiday or a "
                             "working day: remove it from one of the lists")
        return value

    def listed_years(self) -> frozenset[int]:
        """Years whose schedule the file lists (any extra holiday or extra workday in them)."""
        return frozenset(day.date.year for day in [*self.extra_holidays, *self.extra_workdays])


def load_calendar_config(path: Path = CALENDAR_PATH) -> CalendarConfig:
    """Load and validate calendar.yaml; raise ConfigError naming file, entry and field."""
    try:
        return load_model(path, CalendarConfig, list_key="extra_holidays")
    except ConfigError:
        raise
    except ValueError as exc:  # YAML's own date parsing rejects 2027-02-30 with a bare ValueError
        raise ConfigError(f"{path}: a date is not a calendar day ({exc}); write dates as YYYY-MM-DD") from None
