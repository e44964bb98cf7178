"""The one place where stage code meets Airflow: every task of the project is a StageOperator.

The base does what every stage needs, once: skips items the run's form left out, resolves the
business date, looks the connections up at run time, calls the stage's plain-Python `run`,
emits the task's outlet asset events with the run's summary as `extra`, and decides retries
from the error taxonomy (smartops.errors): a retryable error is re-raised for Airflow to retry,
anything else fails the task at once — a retry would fail the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any, ClassVar

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from smartops.business_date import resolve_business_date, run_time, triggering_business_date
from smartops.errors import is_retryable
from smartops.warehouse.connections import LEVEL1_CONN_ID, WAREHOUSE_CONN_ID, conninfo


class StageSkipped(Exception):  # noqa: N818 (a control-flow signal, not an error)
    """Raised by a stage's run to end the task as skipped (e.g. the quality gate refused)."""


class StageRun:
    """What a stage's `run` gets: the run's identity and parameters, its business date, its connections.

    The connections and the business date are resolved on first use, so a stage that does not
    need Level-1 never looks its connection up.
    """

    def __init__(self, context: Mapping[str, Any], operator: StageOperator) -> None:
        self.context = context
        self.operator = operator
        self.params: Mapping[str, Any] = context["params"]
        self.run_id: str = context["run_id"]
        self.dag_id: str = context["ti"].dag_id
        self.task_id: str = context["ti"].task_id

    @property
    def dag_run(self) -> Any:
        return self.context["dag_run"]

    @cached_property
    def business_date(self) -> date:
        return self.operator.business_date(self)

    @cached_property
    def warehouse(self) -> str:
        """libpq conninfo of the warehouse connection."""
        return conninfo(self.operator.warehouse_conn_id)

    @cached_property
    def source(self) -> str:
        """libpq conninfo of the Level-1 connection (read-only)."""
        return conninfo(self.operator.source_conn_id)


class StageOperator(BaseOperator):
    """Base of every task: subclasses set the class attributes and implement `run(StageRun) -> dict`.

    selection_param names the array param that chooses items (empty = all); `item` is this task's.
    business_date_param names the param that may set the business date (None: the run's default).
    """

    selection_param: ClassVar[str | None] = None
    business_date_param: ClassVar[str | None] = "business_date"

    def __init__(self, *, item: str | None = None, warehouse_conn_id: str = WAREHOUSE_CONN_ID,
                 source_conn_id: str = LEVEL1_CONN_ID, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.warehouse_conn_id = warehouse_conn_id
        self.source_conn_id = source_conn_id

    def run(self, run: StageRun) -> dict[str, Any]:
        """Do the stage's work; return the summary (the task's return value and the asset events' extra)."""
        raise NotImplementedError

    def business_date(self, run: StageRun) -> date:
        """The form's date, else the date the triggering asset events carry, else the day before the run."""
        value = run.params.get(self.business_date_param) if self.business_date_param else None
        return resolve_business_date(value or triggering_business_date(run.context), run_time(run.context))

    def execute(self, context: Any) -> dict[str, Any]:
        run = StageRun(context, self)
        selected = run.params.get(self.selection_param) if self.selection_param else None
        if selected and self.item not in selected:
            raise AirflowSkipException(f"{self.item} is not among the chosen {self.selection_param}: "
                                       f"{', '.join(selected)}")
        try:
            summary = self.run(run)
        except StageSkipped as exc:
            raise AirflowSkipException(str(exc)) from exc
        except AirflowException:
            raise
        except Exception as exc:
            if is_retryable(exc):
                raise
            raise AirflowFailException(str(exc)) from exc
        for asset in self.outlets:
            context["outlet_events"][asset].extra = summary
        return summary
