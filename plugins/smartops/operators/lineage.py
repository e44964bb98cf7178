"""OpenLineage for the group's catalogue: the datasets a stage task read and wrote, from the config catalog.

Lineage is off unless the deployment gives the OpenLineage provider a transport (README "Lineage
(OpenLineage)"). Then the provider's listener asks every finished task for its facets
(StageOperator.get_openlineage_facets_on_complete), and a stage answers from what it ran:

    backflow_sync      the Level-1 table of each inventory entry it loaded  ->  ods.<name>
    aggregation        the model's `inputs` in models.yaml                  ->  dwd.<table> / dws.<table>
    scenario_refresh   the scenario's `inputs` in scenarios.yaml            ->  its published ads tables

Datasets are named as OpenLineage names PostgreSQL tables (and as the postgres provider names them):
namespace `postgres://host:port` of the runtime connection (never its credentials), name
`<database>.<schema>.<table>`. The dwd, dws and ads outputs carry column lineage where the SQL parser
derives it from the model's or mart's SELECT. Lineage is a by-product: nothing here may fail a stage,
so `report` logs whatever goes wrong and reports no datasets instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from airflow.providers.openlineage.extractors import OperatorLineage
from airflow.providers.openlineage.sqlparser import SQLParser
from openlineage.client.event_v2 import InputDataset, OutputDataset
from openlineage.client.facet_v2 import column_lineage_dataset
from psycopg.conninfo import conninfo_to_dict

from smartops.aggregation.build import model_select
from smartops.config.inventory import BackflowTable
from smartops.config.models import Model
from smartops.config.scenarios import Scenario
from smartops.vocabulary import Layer

log = logging.getLogger(__name__)

# psycopg's named placeholders: the parser reads SQL, to which a bound value is a constant.
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database as OpenLineage names it: the namespace of its server and its own name."""

    namespace: str
    name: str

    @classmethod
    def of(cls, conninfo: str) -> Database:
        """From a libpq conninfo: host, port and database only (the first of a multi-host list)."""
        params = conninfo_to_dict(conninfo)
        host = (params.get("host") or "localhost").split(",")[0]
        port = (params.get("port") or "5432").split(",")[0]
        if host.startswith("/"):  # a Unix-socket directory: the server on this machine
            host = "localhost"
        return cls(namespace=f"postgres://{host}:{port}", name=params.get("dbname") or params.get("user") or "")

    def input(self, table: str) -> InputDataset:
        """Table `schema.table` of this database, read."""
        return InputDataset(namespace=self.namespace, name=f"{self.name}.{table}")

    def output(self, table: str, facets: Mapping[str, object] | None = None) -> OutputDataset:
        """Table `schema.table` of this database, written."""
        return OutputDataset(namespace=self.namespace, name=f"{self.name}.{table}", facets=dict(facets or {}))


def sync_lineage(tables: Iterable[BackflowTable], *, source: Database, warehouse: Database) -> OperatorLineage:
    """Each loaded inventory table: its Level-1 table in, `ods.<name>` out."""
    tables = list(tables)
    return OperatorLineage(inputs=[source.input(f"{t.source_schema}.{t.source_table}") for t in tables],
                           outputs=[warehouse.output(t.target) for t in tables])


def model_lineage(model: Model, *, warehouse: Database) -> OperatorLineage:
    """The model's inputs (models.yaml) in, the model out, with the columns its full-build SELECT derives."""
    return _sql_lineage(model.inputs, {model.name: model_select(model).as_string()}, warehouse, model.layer)


def scenario_lineage(scenario: Scenario, *, warehouse: Database) -> OperatorLineage:
    """The scenario's inputs (scenarios.yaml) in, its published ads tables out, each with its columns."""
    selects = {qualified: scenario.select(table) for qualified, table in zip(scenario.publishes, scenario.tables,
                                                                            strict=True)}
    # A mart's SELECT may read a sibling mart unqualified: the refresh builds them side by side (then in ads).
    return _sql_lineage(scenario.inputs, selects, warehouse, Layer.ADS)


def report(task: str, lineage: Callable[[], OperatorLineage | None]) -> OperatorLineage:
    """What `lineage` gives, or no datasets when it fails: lineage must never fail or alter a stage."""
    try:
        return lineage() or OperatorLineage()
    except Exception:
        log.warning("%s: no OpenLineage datasets reported; the task's own outcome stands", task, exc_info=True)
        return OperatorLineage()


def _sql_lineage(inputs: list[str], selects: Mapping[str, str], warehouse: Database,
                 default_schema: str) -> OperatorLineage:
    known = {*inputs, *selects}
    outputs = []
    for table, select in selects.items():
        columns = column_lineage(table, select, known=known, warehouse=warehouse, default_schema=default_schema)
        outputs.append(warehouse.output(table, {"columnLineage": columns} if columns else None))
    return OperatorLineage(inputs=[warehouse.input(t) for t in inputs], outputs=outputs)


def column_lineage(table: str, select: str, *, known: set[str], warehouse: Database,
                   default_schema: str) -> column_lineage_dataset.ColumnLineageDatasetFacet | None:
    """The columns `select` gives `table`, each mapped to the columns of the `known` tables it is computed from.

    Best effort: the parser's guesses outside `known` (a CTE or a set-returning function read like a
    table) are left out, and a column without a known source is left out; None when nothing is derived.
    """
    statement = f"CREATE TABLE {table} AS\n{_PLACEHOLDER.sub('NULL', select).replace('%%', '%')}"
    parsed = SQLParser(dialect="postgres", default_schema=default_schema).parse(statement)
    fields = {}
    for column in parsed.column_lineage if parsed else []:
        sources = [column_lineage_dataset.InputField(namespace=warehouse.namespace, name=f"{warehouse.name}.{origin}",
                                                     field=source.name)
                   for source in column.lineage if source.origin
                   and (origin := f"{source.origin.schema or default_schema}.{source.origin.name}") in known]
        if sources:
            fields[column.descendant.name] = column_lineage_dataset.Fields(inputFields=sources)
    return column_lineage_dataset.ColumnLineageDatasetFacet(fields=fields) if fields else None
