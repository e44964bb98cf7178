"""No silent rewind: a dated stage refuses a business date older than it published unless rewound (audited);
asset-triggered dates are validated; unknown conf keys are refused; skipping the gate is audited."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from airflow.sdk.exceptions import AirflowFailException

from smartops.business_date import BUSINESS_TZ
from smartops.operators.aggregation import ModelBuildOperator
from smartops.operators.scenarios import ScenarioRefreshOperator
from tests.aggregation.conftest import BUSINESS_DATE, ROWS, build_all, create_ods_tables, insert_rows
from tests.support.helpers import parse_dag, query, task_states

LATER = date(2026, 5, 3)


def context(params: dict[str, Any], *, task_id: str, events: dict | None = None, user: str | None = "ops-li",
            conf: dict | None = None) -> dict[str, Any]:
    return {
        "params": params, "run_id": f"manual__{task_id}", "logical_date": None,
        "ti": SimpleNamespace(dag_id="d", task_id=task_id), "triggering_asset_events": events or {},
        "dag_run": SimpleNamespace(run_after=datetime(2026, 11, 29, 2, tzinfo=BUSINESS_TZ), run_type="manual",
                                   triggering_user_name=user, conf=conf or {}),
        "outlet_events": defaultdict(SimpleNamespace),
    }


@pytest.fixture
def published(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The hand-built ods rows with every model published for LATER (the connection points at it)."""
    from tests.conftest import airflow_uri

    create_ods_tables(warehouse)
    insert_rows(warehouse, ROWS)
    build_all(warehouse, LATER)
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", airflow_uri(warehouse))
    return warehouse


def build(params: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return ModelBuildOperator(task_id="dwd.org_unit", model_name="dwd.org_unit").execute(
        context(params, task_id="dwd.org_unit", **kw))


def test_should_refuse_an_older_business_date_than_published(published):
    with pytest.raises(AirflowFailException, match=r"business_date=2026-04-30 is older than the business date "
                                                   r"2026-05-03 already published.*rewind=true and a reason"):
        build({"business_date": BUSINESS_DATE.isoformat()})
    assert query(published, "SELECT max(business_date) FROM ops.model_run WHERE model = 'dwd.org_unit'") == [(LATER,)]
    assert build({"business_date": LATER.isoformat()})["business_date"] == LATER.isoformat()  # a re-run is fine


def test_should_rewind_only_with_a_reason_and_audit_who_did(published):
    with pytest.raises(AirflowFailException, match="rewind overrides a safeguard; give the trigger form's 'reason'"):
        build({"business_date": BUSINESS_DATE.isoformat(), "rewind": True, "reason": " "})

    summary = build({"business_date": BUSINESS_DATE.isoformat(), "rewind": True, "reason": "restate April"})

    assert summary["business_date"] == BUSINESS_DATE.isoformat()
    assert query(published, "SELECT kind, task_id, actor, reason, business_date FROM ops.manual_override") == [
        ("rewind", "dwd.org_unit", "ops-li", "restate April", BUSINESS_DATE)]


def test_should_validate_the_date_an_asset_event_carries(published):
    def event(day: str) -> dict:
        return {"ods.org_unit": [SimpleNamespace(extra={"business_date": day})]}

    with pytest.raises(AirflowFailException, match="older than the business date 2026-05-03 already published"):
        build({}, events=event("2026-04-30"))  # a stale event queued long ago
    with pytest.raises(AirflowFailException, match="'2026-13-01' is not a valid business date"):
        build({}, events=event("2026-13-01"))
    with pytest.raises(AirflowFailException, match="no later than the run date 2026-11-29"):
        build({}, events=event("2026-12-05"))
    assert build({}, events={"ods.a": [SimpleNamespace(extra={"business_date": "2026-05-03"})],
                             "ods.b": [SimpleNamespace(extra={"business_date": "2026-11-27"})]}
                 )["business_date"] == "2026-11-27"  # events of several runs: the newest data


def test_should_compare_event_dates_as_dates_and_name_a_junk_one(published):
    junk = {"ods.a": [SimpleNamespace(extra={"business_date": "2026-11-27"})],
            "ods.b": [SimpleNamespace(extra={"business_date": "z"})]}
    with pytest.raises(AirflowFailException, match="business_date='z' is not a valid business date"):
        build({}, events=junk)  # as strings, "z" > "2026-11-27" would have won


def test_should_audit_publishing_without_the_gate(published):
    from smartops.alerting import raise_alert
    from smartops.alerting.context import AlertContext
    from smartops.config.alerting import AlertingConfig
    from smartops.operators.scenarios import GATE_CHECK
    from tests.alerting.factories import make_alert

    # the gate refused this scenario earlier: its item is open ("d" is this context's DAG id)
    gate_item = raise_alert(AlertContext(published, AlertingConfig()), make_alert(
        stage="d", object="receivables_aging", check=GATE_CHECK)).item_id
    operator = ScenarioRefreshOperator(task_id="receivables_aging", scenario_id="receivables_aging",
                                       publishes=["ads.receivables_aging"])
    params = {"business_date": LATER.isoformat(), "skip_gate": True}
    with pytest.raises(AirflowFailException, match="skip_gate overrides a safeguard"):
        operator.execute(context({**params, "reason": ""}, task_id="receivables_aging"))

    summary = operator.execute(context({**params, "reason": "scan re-run by hand"}, task_id="receivables_aging"))

    assert summary["status"] == "published"
    assert query(published, "SELECT kind, actor, reason FROM ops.manual_override") == [
        ("skip_gate", "ops-li", "scan re-run by hand")]
    assert query(published, "SELECT status FROM ops.backlog_item WHERE item_id = %s", (gate_item,)) == [("open",)], \
        "a publish without the gate says nothing about the gate's findings: its item stays open"


def test_should_refuse_an_unknown_key_in_the_runs_conf(airflow_db, airflow_connections, warehouse):
    dag = parse_dag("backflow_sync")
    run = dag.test(run_conf={"full_relaod": True})

    assert set(task_states(run).values()) == {"failed"}
    assert query(warehouse, "SELECT count(*) FROM ops.sync_ledger") == [(0,)], "nothing ran"
    assert query(warehouse, "SELECT DISTINCT check_name, category FROM ops.backlog_item") == [("ConfigError", "config")]
