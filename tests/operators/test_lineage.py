"""Lineage for the group's catalogue: datasets from the catalog, named by the runtime connections; off by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from itertools import pairwise
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from airflow.providers.openlineage.extractors import OperatorLineage
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from smartops.config.catalog import catalog
from smartops.operators.base import StageRun, StageSkipped
from smartops.operators.lineage import Database, model_lineage, scenario_lineage
from smartops.operators.scenarios import ScenarioRefreshOperator
from tests.conftest import DEMO_END, ROOT
from tests.operators.test_stage_operator import Probe, context

WAREHOUSE = Database(namespace="postgres://wh.example:6432", name="warehouse")
TRANSPORT = "AIRFLOW__OPENLINEAGE__TRANSPORT"
# Airflow's listeners in a fresh process: the provider decides when it is imported whether it listens.
_LISTENERS = """
import json
from airflow.listeners.listener import get_listener_manager
print(json.dumps(sorted(type(listener).__name__ for listener in get_listener_manager().pm.get_plugins())))
"""


def test_should_name_a_database_by_its_server_and_name_never_its_credentials():
    database = Database.of("host=db1.example,db2.example port=6432,6433 dbname=warehouse user=etl password=s3cret "
                           "sslmode=require")
    assert database == Database(namespace="postgres://db1.example:6432", name="warehouse")
    assert Database.of("host=/run/postgresql user=etl") == Database(namespace="postgres://localhost:5432", name="etl")
    assert Database.of("dbname=level1").input("l1.gl_voucher").name == "level1.l1.gl_voucher"


def test_should_take_every_model_and_mart_from_the_catalog_with_its_columns_where_the_parser_derives_them():
    for model in catalog().models.models:
        lineage = model_lineage(model, warehouse=WAREHOUSE)
        assert [d.name for d in lineage.inputs] == [f"warehouse.{t}" for t in model.inputs]
        assert [d.name for d in lineage.outputs] == [f"warehouse.{model.name}"]
    for scenario in catalog().scenarios.scenarios:
        lineage = scenario_lineage(scenario, warehouse=WAREHOUSE)
        assert [d.name for d in lineage.inputs] == [f"warehouse.{t}" for t in scenario.inputs]
        assert [d.name for d in lineage.outputs] == [f"warehouse.{t}" for t in scenario.publishes]
        for output in lineage.outputs:  # a parser's guess (a CTE, a function read as a table) is left out
            sources = {f.name for c in output.facets["columnLineage"].fields.values() for f in c.inputFields}
            assert sources <= {d.name for d in lineage.inputs + lineage.outputs}, (output.name, sources)

    [monthly] = model_lineage(catalog().models.get("dws.expense_monthly"), warehouse=WAREHOUSE).outputs
    paid = monthly.facets["columnLineage"].fields["paid_amount"].inputFields
    assert {(f.namespace, f.name, f.field) for f in paid} == {
        ("postgres://wh.example:6432", "warehouse.dwd.expense_claim", "amount"),
        ("postgres://wh.example:6432", "warehouse.dwd.expense_claim", "status")}
    # the recursive chart of accounts: columns through its CTEs to ods.account
    [account] = model_lineage(catalog().models.get("dwd.account"), warehouse=WAREHOUSE).outputs
    assert [(f.name, f.field) for f in account.facets["columnLineage"].fields["level1_account_code"].inputFields] == [
        ("warehouse.ods.account", "account_code")]
    # the reconciliation summary reads its sibling mart, built beside it (unqualified) and published in ads
    summary = scenario_lineage(catalog().scenarios.get("reconciliation"), warehouse=WAREHOUSE).outputs[1]
    assert {f.name for f in summary.facets["columnLineage"].fields["doc_type"].inputFields} == {
        "warehouse.ads.reconciliation_detail"}


class Publishing(Probe):
    """A stage that names what it publishes."""

    def lineage(self, run: StageRun, summary: dict) -> OperatorLineage:
        return OperatorLineage(outputs=[WAREHOUSE.output("ads.mart")])


@pytest.mark.parametrize("outcome, raised", [(StageSkipped("gate refused"), AirflowSkipException),
                                             (ValueError("broken"), AirflowFailException)], ids=["skipped", "failed"])
def test_should_report_only_what_a_successful_run_published(outcome, raised):
    stage = Publishing(outcome=outcome)
    with pytest.raises(raised):
        stage.execute(context())
    assert stage.get_openlineage_facets_on_complete(None).outputs == [], "it published nothing"
    stage.outcome = None
    stage.execute(context())
    assert [d.name for d in stage.get_openlineage_facets_on_complete(None).outputs] == ["warehouse.ads.mart"]


def test_should_never_fail_the_stage_when_lineage_breaks(caplog):
    operator = ScenarioRefreshOperator(task_id="expense_analysis", scenario_id="expense_analysis",
                                       publishes=["ads.expense_analysis"])
    operator.completed = (SimpleNamespace(warehouse="no such option=1"), {})
    lineage = operator.get_openlineage_facets_on_complete(None)
    assert (lineage.inputs, lineage.outputs) == ([], [])
    assert "expense_analysis: no OpenLineage datasets reported; the task's own outcome stands" in caplog.text

    probe = Probe(outcome=None)  # a stage without datasets of its own (quality, pulse, report, …)
    probe.execute(context())
    assert probe.get_openlineage_facets_on_complete(None).outputs == []


def test_should_send_nothing_with_lineage_off_and_turn_it_on_with_one_setting():
    env = {k: v for k, v in os.environ.items() if "OPENLINEAGE" not in k}
    for off in ({}, {TRANSPORT: ""}):  # unset, or empty as .env.example leaves it for docker-compose.yaml
        assert "OpenLineageListener" not in _listeners({**env, **off}), f"{off}: no listener, nothing is sent"
    on = {TRANSPORT: json.dumps({"type": "http", "url": "http://127.0.0.1:9"})}
    assert "OpenLineageListener" in _listeners({**env, **on})


def _listeners(env: dict[str, str]) -> list[str]:
    run = subprocess.run([sys.executable, "-c", _LISTENERS], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.slow
def test_should_walk_level1_to_ads_in_the_events_of_a_daily_cycle(webhook_server, airflow_db, demo_connections):
    """The cycle's stages through Airflow (`make demo`'s way) with the one setting on; a local receiver records."""
    env = {**os.environ, TRANSPORT: json.dumps({"type": "http", "url": webhook_server.url,
                                                "endpoint": "api/v1/lineage"})}
    night = f"{DEMO_END + timedelta(days=1)}T02:00:00+08:00"
    for dag_id in ("backflow_sync", "aggregation", "quality_scan", "scenario_refresh"):
        conf = {} if dag_id == "backflow_sync" else {"business_date": DEMO_END.isoformat()}
        run = subprocess.run([sys.executable, "-m", "workbench.dag_test", dag_id, night, "--conf", json.dumps(conf)],
                             env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        assert run.returncode == 0, f"{dag_id}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"

    complete = {e["job"]["name"]: e for e in (r.body for r in webhook_server.requests if r.path == "/api/v1/lineage")
                if e["eventType"] == "COMPLETE"}
    level1 = Database.of(os.environ["AIRFLOW_CONN_LEVEL1_SOURCE"])
    warehouse = Database.of(os.environ["AIRFLOW_CONN_LEVEL2_WAREHOUSE"])
    for database, uri in ((level1, "AIRFLOW_CONN_LEVEL1_SOURCE"), (warehouse, "AIRFLOW_CONN_LEVEL2_WAREHOUSE")):
        server = urlsplit(os.environ[uri])  # whichever server the suite runs on: embedded or a system one
        assert database.namespace == f"postgres://{server.hostname}:{server.port}", "host:port, never user or password"

    def datasets(event: dict, kind: str) -> list[str]:
        return [f"{d['namespace']}/{d['name']}" for d in event[kind]]

    def l1(table: str) -> str:
        return f"{level1.namespace}/{level1.name}.{table}"

    def wh(table: str) -> str:
        return f"{warehouse.namespace}/{warehouse.name}.{table}"

    # every stage task reported what the catalog says it reads and writes
    for table in catalog().inventory.tables:
        event = complete[f"backflow_sync.{table.name}"]
        assert (datasets(event, "inputs"), datasets(event, "outputs")) == ([l1(table.source)], [wh(table.target)])
    for model in catalog().models.models:
        event = complete[f"aggregation.{model.name}"]
        assert (datasets(event, "inputs"), datasets(event, "outputs")) == ([wh(t) for t in model.inputs],
                                                                           [wh(model.name)])
    for scenario in catalog().scenarios.scenarios:
        event = complete[f"scenario_refresh.{scenario.id}"]
        assert datasets(event, "outputs") == [wh(t) for t in scenario.publishes]

    # walk the recorded lineage upstream from every mart: each reaches Level-1 through ods and dwd
    edges = {(i, o) for event in complete.values()
             for i in datasets(event, "inputs") for o in datasets(event, "outputs")}
    for scenario in catalog().scenarios.scenarios:
        for mart in scenario.publishes:
            upstream, todo = set(), [wh(mart)]
            while todo:
                dataset = todo.pop()
                found = {i for i, o in edges if o == dataset} - upstream
                upstream |= found
                todo += found
            layers = {name.split("/", 3)[-1].split(".")[1] for name in upstream if name.startswith(wh(""))}
            assert any(name.startswith(l1("l1.")) for name in upstream) and {"ods", "dwd"} <= layers, (mart, upstream)
    chain = [l1("l1.expense_claim"), wh("ods.expense_claim"), wh("dwd.expense_claim"), wh("dws.expense_monthly"),
             wh("ads.expense_analysis")]
    assert all(hop in edges for hop in pairwise(chain)), "Level-1 -> ods -> dwd -> dws -> ads"

    # and its columns: the mart's amount is the dws amount, which sums the dwd claims' amounts
    def sources(job: str, column: str) -> list[tuple[str, str]]:
        [output] = complete[job]["outputs"]
        fields = output["facets"]["columnLineage"]["fields"][column]["inputFields"]
        return [(f"{f['namespace']}/{f['name']}", f["field"]) for f in fields]

    assert sources("scenario_refresh.expense_analysis", "amount") == [(wh("dws.expense_monthly"), "amount")]
    assert sources("aggregation.dws.expense_monthly", "amount") == [(wh("dwd.expense_claim"), "amount")]
