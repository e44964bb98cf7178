"""The stage layer decides retries from the error taxonomy, skips unselected items and emits asset extras."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from smartops.business_date import BUSINESS_TZ, InvalidBusinessDate
from smartops.config.loader import UnknownEntry
from smartops.errors import WarehouseUnreachable
from smartops.operators.aggregation import ModelBuildOperator
from smartops.operators.backflow import BackflowSyncOperator
from smartops.operators.base import StageOperator, StageRun, StageSkipped


class OutletEvents(defaultdict):
    """Airflow's outlet event accessors as the stage layer uses them: `extra` per asset, `add` through an alias."""

    def __init__(self) -> None:
        super().__init__(lambda: SimpleNamespace(extra=None, added=[]))

    def __missing__(self, key: Any) -> SimpleNamespace:
        accessor = super().__missing__(key)
        accessor.add = lambda asset, extra=None: accessor.added.append((asset, extra))
        return accessor


def context(params: dict[str, Any] | None = None, task_id: str = "t") -> dict[str, Any]:
    """The parts of an Airflow task context the stage layer reads."""
    return {
        "params": params or {}, "run_id": "manual__test", "logical_date": None,
        "ti": SimpleNamespace(dag_id="d", task_id=task_id),
        "dag_run": SimpleNamespace(run_after=datetime(2026, 11, 29, 2, tzinfo=BUSINESS_TZ), run_type="manual"),
        "outlet_events": OutletEvents(),
    }


class Probe(StageOperator):
    """A stage whose run raises or returns what the test gives it."""

    selection_param = "items"

    def __init__(self, *, outcome: object, **kwargs: Any) -> None:
        super().__init__(task_id="probe", **kwargs)
        self.outcome = outcome

    def run(self, run: StageRun) -> dict[str, Any]:
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return {"business_date": run.business_date.isoformat()}


@pytest.mark.parametrize("error", [
    UnknownEntry("table 'gone' is not in the backflow inventory"),
    InvalidBusinessDate("2026-13-01", datetime(2026, 11, 29).date()),
    ValueError("a bug: retrying cannot fix it"),
], ids=["config", "bad-date", "bug"])
def test_should_fail_at_once_when_retrying_cannot_help(error):
    with pytest.raises(AirflowFailException) as failed:
        Probe(outcome=error).execute(context())
    assert failed.value.__cause__ is error
    assert str(failed.value) == str(error)


@pytest.mark.parametrize("error", [
    WarehouseUnreachable("model=x", "127.0.0.1:1/w", "connection refused"),
    psycopg.OperationalError("server closed the connection unexpectedly"),
], ids=["unreachable", "connection-lost"])
def test_should_leave_retryable_errors_to_airflows_retries(error):
    with pytest.raises(type(error)) as raised:
        Probe(outcome=error).execute(context())
    assert raised.value is error


def test_should_skip_an_item_the_form_left_out_and_skip_when_the_stage_says_so():
    with pytest.raises(AirflowSkipException, match="x: not among the chosen items: a, b"):
        Probe(outcome={}, item="x").execute(context({"items": ["a", "b"]}))
    with pytest.raises(AirflowSkipException, match="gate refused"):
        Probe(outcome=StageSkipped("gate refused")).execute(context())


def test_should_resolve_the_business_date_and_emit_the_summary_on_every_outlet():
    operator = Probe(outcome={}, item="a", outlets=[])
    assert operator.execute(context({"items": ["a"]})) == {"business_date": "2026-11-28"}
    assert Probe(outcome={}).execute(context({"business_date": "2026-11-20"})) == {"business_date": "2026-11-20"}


def test_should_fail_without_retry_when_a_table_left_the_inventory():
    operator = BackflowSyncOperator(task_id="gone", table_names=["gone"])
    with pytest.raises(AirflowFailException, match="table 'gone' is not in the backflow inventory"):
        operator.execute(context(task_id="gone"))


def test_should_retry_a_model_build_when_the_warehouse_is_down(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", "postgresql://nobody@127.0.0.1:1/warehouse?connect_timeout=2")
    operator = ModelBuildOperator(task_id="dwd.status_map", model_name="dwd.status_map")
    with pytest.raises(WarehouseUnreachable, match="dwd.status_map: database 127.0.0.1:1/warehouse"):
        operator.execute(context(task_id="dwd.status_map"))
