"""The aggregation model registry: include/config/models.yaml -> validated, dependency-ordered models.

Loaded through the catalog (smartops.config.catalog), which hands the validation the inventory's
ods tables; the registry never loads another file itself.
"""

from __future__ import annotations

import re
from functools import cached_property
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from smartops.config.loader import UnknownEntry
from smartops.fields import Identifier
from smartops.paths import CONFIG_DIR, SQL_DIR
from smartops.vocabulary import Layer

MODELS_PATH = CONFIG_DIR / "models.yaml"
# The validation context's key for the ods tables models may read (`ods.<name>`, from the inventory).
ODS_TABLES = "ods_tables"
# The layers models publish into, in build order.
LAYERS: tuple[Layer, ...] = (Layer.DWD, Layer.DWS)

_TABLE = re.compile(r"^(ods|dwd|dws)\.[a-z_][a-z0-9_]{0,62}$")


def _table_name(value: str) -> str:
    if not _TABLE.match(value):
        raise ValueError(f"{value!r} is not a warehouse table name like ods.gl_voucher or dwd.voucher_line")
    return value


def _model_name(value: str) -> str:
    _table_name(value)
    if value.split(".")[0] not in LAYERS:
        raise ValueError(f"{value!r}: a model lives in one of the layers {', '.join(LAYERS)}")
    return value


TableName = Annotated[str, AfterValidator(_table_name)]
ModelName = Annotated[str, AfterValidator(_model_name)]


class Incremental(BaseModel):
    """How a fact model is updated by the keys that changed instead of rebuilt in full.

    The scope SQL (include/sql/aggregation/<table>_scope.sql, statement `keys`) selects the model's
    keys to recompute; the model's SELECT must contain `{scope}` where the filter on `scope_columns`
    goes. A scope file may hold its own `select` statement: incremental builds then insert its rows
    (for models whose rows build on their own earlier rows, like running balances). Each name in
    `filters` is a placeholder of the SELECT filled with the scope file's statement of that name (a
    condition narrowing a read early; TRUE in a full build). A change in any `full_when_changed` ods
    table (master data the facts denormalise) forces a full build.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scope_columns: list[Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")]] = Field(
        min_length=1)
    filters: list[Identifier] = []
    full_when_changed: list[TableName] = []


class Model(BaseModel):
    """One SQL model: a SELECT in include/sql/<layer>/<table>.sql published as <layer>.<table>."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ModelName
    inputs: list[TableName] = []
    key: list[Identifier] = Field(min_length=1)
    description: str
    incremental: Incremental | None = None
    # Further indexes of the published table (column lists), for the incremental scopes that read it by
    # other columns than its key; made at every full build (an incremental build keeps them).
    indexes: list[Annotated[list[Identifier], Field(min_length=1)]] = []

    @property
    def layer(self) -> Layer:
        return Layer(self.name.split(".")[0])

    @property
    def table(self) -> str:
        return self.name.split(".")[1]

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / self.layer / f"{self.table}.sql"

    @property
    def scope_path(self) -> Path:
        """The incremental model's key-scope SELECT."""
        return SQL_DIR / "aggregation" / f"{self.table}_scope.sql"


class ModelRegistry(BaseModel):
    """All models; validated so every input exists, every SQL file exists and there is no cycle."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: list[Model] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_graph(self, info: ValidationInfo) -> ModelRegistry:
        names = [m.name for m in self.models]
        ods_tables = set((info.context or {}).get(ODS_TABLES, ()))
        for index, model in enumerate(self.models):
            where = f"entry {model.name!r} (#{index + 1})"
            if model.name in names[:index]:
                raise ValueError(f"{where}, field 'name': duplicate model name {model.name!r}")
            if not model.sql_path.is_file():
                raise ValueError(f"{where}: SQL file {model.sql_path} is missing; write the model's SELECT there")
            if model.incremental and not model.scope_path.is_file():
                raise ValueError(f"{where}, field 'incremental': scope SQL {model.scope_path} is missing")
            for table in model.inputs:
                if table not in ods_tables and table not in names:
                    raise ValueError(
                        f"{where}, field 'inputs': {table!r} is neither an ods table of the backflow "
                        f"inventory nor a model; valid models: {', '.join(names)}"
                    )
        try:
            tuple(self._sorter().static_order())
        except CycleError as exc:
            raise ValueError(
                f"field 'inputs': models depend on each other in a cycle: {' -> '.join(exc.args[1])}") from None
        return self

    def _sorter(self) -> TopologicalSorter:
        return TopologicalSorter({m.name: self.upstream_models(m.name) for m in self.models})

    @cached_property
    def by_name(self) -> dict[str, Model]:
        return {m.name: m for m in self.models}

    def get(self, name: str) -> Model:
        """Return model `name`, or raise UnknownEntry listing the valid names."""
        try:
            return self.by_name[name]
        except KeyError:
            raise UnknownEntry(f"model {name!r} is not in {MODELS_PATH.name}; valid models: "
                           f"{', '.join(self.by_name)}") from None

    def upstream_closure(self, name: str) -> list[str]:
        """Return every model `name` reads directly or through other models, in dependency order."""
        seen: dict[str, None] = {}
        for upstream in self.upstream_models(name):
            seen.update(dict.fromkeys(self.upstream_closure(upstream)))
            seen[upstream] = None
        return list(seen)

    def upstream_models(self, name: str) -> list[str]:
        """Return the models (not ods tables) that model `name` reads."""
        return [t for t in self.get(name).inputs if t in self.by_name]

    @property
    def ordered(self) -> list[Model]:
        """Return the models in a dependency order (inputs before readers)."""
        return [self.by_name[name] for name in self._sorter().static_order()]

    @property
    def ods_inputs(self) -> list[str]:
        """Return the ods tables (bare names) any model reads, in first-use order."""
        seen = dict.fromkeys(t for m in self.models for t in m.inputs if t.startswith("ods."))
        return [t.split(".", 1)[1] for t in seen]
