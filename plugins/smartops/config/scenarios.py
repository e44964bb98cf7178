"""The scenario registry: include/config/scenarios.yaml -> validated scenario marts (场景应用).

Loaded through the catalog (smartops.config.catalog), which hands the validation the tables scenarios
may read (the inventory's ods tables and the dwd/dws models); the registry loads no other file itself.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    model_validator,
)

from smartops.config.loader import UnknownEntry
from smartops.config.models import TableName
from smartops.fields import ClockTime, Duration, Identifier, parse_duration
from smartops.paths import CONFIG_DIR, SODA_DIR, SQL_DIR
from smartops.sqlfiles import SqlFileError, named_sql
from smartops.vocabulary import Layer, Severity

SCENARIOS_PATH = CONFIG_DIR / "scenarios.yaml"
# The validation context's key for the tables scenarios may read (ods tables and dwd/dws models).
KNOWN_TABLES = "known_tables"
LAYER = Layer.ADS
_ADS_TABLE = re.compile(r"^ads\.[a-z_][a-z0-9_]{0,62}$")
_SQL_FILE = re.compile(r"^ads/[a-z_][a-z0-9_]*\.sql$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_COLUMN_TYPE = re.compile(r"^[a-z][a-z0-9 ,()\[\]]*$")


def _ads_table(value: str) -> str:
    if not _ADS_TABLE.match(value):
        raise ValueError(f"{value!r} is not an ads table name like ads.expense_analysis")
    return value


def _sql_file(value: str) -> str:
    if not _SQL_FILE.match(value):
        raise ValueError(f"{value!r} is not a SQL file path like ads/expense_analysis.sql (under include/sql)")
    return value


def _semver(value: str) -> str:
    if not _SEMVER.match(value):
        raise ValueError(f"{value!r} is not a version like 1.0.0 (major.minor.patch) or an integer like 3")
    return value


def _column_type(value: str) -> str:
    if not _COLUMN_TYPE.match(value):
        raise ValueError(f"{value!r} is not a PostgreSQL type as format_type() writes it, e.g. numeric, bigint, "
                         "text, date, timestamp with time zone")
    return value


AdsTable = Annotated[str, AfterValidator(_ads_table)]
SqlFile = Annotated[str, AfterValidator(_sql_file)]
# A mart contract's version: semantic (1.2.0) or a plain increasing integer.
ContractVersion = Annotated[str, AfterValidator(_semver)] | Annotated[StrictInt, Field(ge=1)]
ColumnType = Annotated[str, AfterValidator(_column_type)]
ParamValue = int | float | str | bool | dict[str, str] | list[str]


class UnknownScenario(UnknownEntry):
    """A scenario id was asked for that the registry does not define."""

    def __init__(self, scenario_id: str, valid: list[str]) -> None:
        super().__init__(f"scenario={scenario_id!r} is not in include/config/scenarios.yaml; "
                         f"valid scenarios: {', '.join(valid)}")


class Scenario(BaseModel):
    """One scenario mart: a SQL file with one `-- name: <table>` SELECT per published ads table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    description: str = Field(min_length=1)
    severity: Severity = Severity.MEDIUM
    inputs: list[TableName] = Field(min_length=1)
    sql: SqlFile
    publishes: list[AdsTable] = Field(min_length=1)
    freshness_sla: Duration = "24h"
    gate: list[TableName] | None = None
    params: dict[str, ParamValue] = {}
    # The published contract (docs/contracts/<table>.md): its version, the time of day the marts are
    # published by, each published table's columns (bare table name -> column -> type), and the
    # filtering rules a consumer must know.
    version: ContractVersion | None = None
    deadline: ClockTime | None = None
    columns: dict[Identifier, dict[Identifier, ColumnType]] = {}
    rules: list[Annotated[str, Field(min_length=1)]] = []

    @property
    def title(self) -> str:
        return f"{self.title_zh} {self.title_en}"

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / self.sql

    @property
    def gate_tables(self) -> list[str]:
        """The tables whose quality checks must pass before a refresh (default: every input)."""
        return list(self.gate if self.gate is not None else self.inputs)

    @property
    def tables(self) -> list[str]:
        """Bare names of the published ads tables."""
        return [t.split(".", 1)[1] for t in self.publishes]

    def check_path(self, table: str) -> Path:
        """The SodaCL checks of published table `table` (bare name): include/soda/ads/<table>.yml."""
        return SODA_DIR / LAYER / f"{table}.yml"

    def select(self, table: str) -> str:
        """The SELECT that builds published table `table` (bare name)."""
        return named_sql(self.sql, table)

    @property
    def freshness_sla_delta(self) -> timedelta:
        return parse_duration(self.freshness_sla)


class ScenarioRegistry(BaseModel):
    """All scenarios; validated so inputs exist, files exist and ids and tables are unique."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenarios: list[Scenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_entries(self, info: ValidationInfo) -> ScenarioRegistry:
        known = set((info.context or {}).get(KNOWN_TABLES, ()))
        ids: list[str] = []
        owners: dict[str, str] = {}
        for index, scenario in enumerate(self.scenarios):
            where = f"entry {scenario.id!r} (#{index + 1})"
            if scenario.id in ids:
                raise ValueError(f"{where}, field 'id': duplicate scenario id {scenario.id!r}; ids must be unique")
            ids.append(scenario.id)
            for field, tables in (("inputs", scenario.inputs), ("gate", scenario.gate or [])):
                for table in tables:
                    if table not in known:
                        raise ValueError(
                            f"{where}, field {field!r}: {table!r} is neither an ods table of the backflow inventory "
                            f"nor a dwd/dws model of models.yaml; valid tables: {', '.join(sorted(known))}")
            if not scenario.sql_path.is_file():
                raise ValueError(f"{where}, field 'sql': SQL file {scenario.sql_path} is missing; write the "
                                 "scenario's SELECTs there, one `-- name: <table>` section per published table")
            for qualified, table in zip(scenario.publishes, scenario.tables, strict=True):
                if qualified in owners:
                    raise ValueError(f"{where}, field 'publishes': {qualified} is already published by "
                                     f"scenario {owners[qualified]!r}; a mart table has one scenario")
                owners[qualified] = scenario.id
                try:
                    scenario.select(table)
                except SqlFileError as exc:
                    raise ValueError(f"{where}, field 'publishes': {exc.args[0]}; add a `-- name: {table}` "
                                     "section holding its SELECT") from None
                if not scenario.check_path(table).is_file():
                    raise ValueError(f"{where}, field 'publishes': check file {scenario.check_path(table)} is "
                                     f"missing; write the SodaCL checks of {qualified} there")
            strays = sorted(set(scenario.columns) - set(scenario.tables))
            if strays:
                raise ValueError(f"{where}, field 'columns': {', '.join(strays)} not published by the scenario; "
                                 f"declare the columns of its published tables: {', '.join(scenario.tables)}")
        return self

    @cached_property
    def by_id(self) -> dict[str, Scenario]:
        return {s.id: s for s in self.scenarios}

    def get(self, scenario_id: str) -> Scenario:
        """Return scenario `scenario_id`, or raise UnknownScenario listing the valid ids."""
        try:
            return self.by_id[scenario_id]
        except KeyError:
            raise UnknownScenario(scenario_id, list(self.by_id)) from None
