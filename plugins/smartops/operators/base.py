"""The one place where stage code meets Airflow: every task of the project is a StageOperator.

The base does what every stage needs, once: refuses run parameters the DAG does not define,
skips items the run's form left out, resolves the business date (the form's, else the triggering
asset events', else the day before the run) and refuses one older than what the stage already
published unless the form's audited *rewind* is set, looks the connections up at run time, calls
the stage's plain-Python `run`, emits the task's outlet asset events with the run's summary as
`extra`, and decides retries from the error taxonomy (smartops.errors): a retryable error is
re-raised for Airflow to retry, anything else fails the task at once — a retry would fail the same way.
When lineage is on, it answers OpenLineage with the datasets the stage's `lineage` names (operators/lineage.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import psycopg
from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from smartops.business_date import resolve_business_date, run_time, triggering_business_date
from smartops.errors import ConfigError, WarehouseUnreachable, is_retryable
from smartops.sqlfiles import named_sql
from smartops.warehouse.connections import LEVEL1_CONN_ID, WAREHOUSE_CONN_ID, conninfo, describe

if TYPE_CHECKING:
    from airflow.providers.openlineage.extractors import OperatorLineage
    from airflow.sdk import Context

    from smartops.alerting.context import AlertContext

SQL = "operators/published.sql"
REWIND_PARAM = "rewind"
REASON_PARAM = "reason"


class Override(StrEnum):
    """Safeguards a person may override from a trigger form, always with a reason (ops.manual_override)."""

    SKIP_GATE = "skip_gate"
    REWIND = "rewind"


class StageSkipped(Exception):  # noqa: N818 (a control-flow signal, not an error)
    """Raised by a stage's run to end the task as skipped (e.g. the quality gate refused)."""


class RewindRefused(ConfigError):
    """A run asked for a business date older than what its stage already published."""

    def __init__(self, stage: str, asked: date, published: date) -> None:
        super().__init__(
            f"{stage}: business_date={asked} is older than the business date {published} already published; "
            f"running it would silently replace newer data with older. To rebuild the past on purpose, "
            f"trigger with {REWIND_PARAM}=true and a {REASON_PARAM} (audited); otherwise use {published} or later.")


class StageRun:
    """What a stage's `run` gets: the run's identity and parameters, its business date, its connections.

    The connections and the business date are resolved on first use, so a stage that does not
    need Level-1 never looks its connection up.
    """

    def __init__(self, context: Context, operator: StageOperator) -> None:
        self.context = context
        self.operator = operator
        self.params: Mapping[str, Any] = context["params"]
        self.run_id: str = context["run_id"]
        self.dag_id: str = context["ti"].dag_id
        self.task_id: str = context["ti"].task_id
        self.items: list[str] = list(operator.items)  # this task's items the run's form chose

    @property
    def dag_run(self) -> Any:
        return self.context["dag_run"]

    @property
    def actor(self) -> str:
        """Who triggered the run (the logged-in Airflow user), or the scheduler."""
        return getattr(self.dag_run, "triggering_user_name", None) or "scheduler"

    @cached_property
    def business_date(self) -> date:
        return self.operator.business_date(self)

    @cached_property
    def warehouse(self) -> str:
        """libpq conninfo of the warehouse connection."""
        return conninfo(self.operator.warehouse_conn_id)

    @cached_property
    def alerts(self) -> AlertContext:
        """The alert context of this run: alerting.yaml and the inventory guarded once, links to this deployment."""
        from smartops.alerting.airflow_api import ui_base_url
        from smartops.alerting.service import open_context

        return open_context(self.warehouse, base_url=ui_base_url())

    @cached_property
    def source(self) -> str:
        """libpq conninfo of the Level-1 connection (read-only)."""
        return conninfo(self.operator.source_conn_id)

    def record_override(self, kind: Override, detail: str, business_date: date | None = None) -> None:
        """Audit a safeguard the form overrode: who, when, why. The form's `reason` is required."""
        reason = str(self.params.get(REASON_PARAM) or "").strip()
        if not reason:
            raise ConfigError(f"{self.dag_id}.{self.task_id}: {kind.value} overrides a safeguard; give the "
                              f"trigger form's {REASON_PARAM!r} saying why (it is kept in ops.manual_override)")
        with self._connect() as conn:
            conn.execute(named_sql(SQL, "insert_override"), {
                "kind": kind.value, "dag_id": self.dag_id, "run_id": self.run_id, "task_id": self.task_id,
                "actor": self.actor, "reason": reason, "business_date": business_date, "detail": detail})

    def scalar(self, statement: str, **params: Any) -> Any:
        """One value from the warehouse (a named statement of operators/published.sql)."""
        with self._connect() as conn:
            return conn.execute(named_sql(SQL, statement), params).fetchone()[0]

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.warehouse)
        except psycopg.OperationalError as exc:
            raise WarehouseUnreachable(f"{self.dag_id}.{self.task_id}", describe(self.warehouse), exc) from exc


class StageOperator(BaseOperator):
    """Base of every task: subclasses set the class attributes and implement `run(StageRun) -> dict`.

    selection_param names the array param that chooses items (empty = all); `item` is this task's, or
    `items` when one task serves several (a batch of small tables): it runs the chosen ones.
    business_date_param names the param that may set the business date (None: the run's default).
    A dated stage overrides `published_through` so older dates need the audited rewind.
    """

    selection_param: ClassVar[str | None] = None
    business_date_param: ClassVar[str | None] = "business_date"

    def __init__(self, *, item: str | None = None, items: Sequence[str] | None = None,
                 warehouse_conn_id: str = WAREHOUSE_CONN_ID, source_conn_id: str = LEVEL1_CONN_ID,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[str] = list(items) if items is not None else [item] if item is not None else []
        self.warehouse_conn_id = warehouse_conn_id
        self.source_conn_id = source_conn_id
        # The run that succeeded and its summary: what the task reports to OpenLineage once it completed.
        self.completed: tuple[StageRun, dict[str, Any]] | None = None

    def run(self, run: StageRun) -> dict[str, Any]:
        """Do the stage's work; return the summary (the task's return value and the asset events' extra)."""
        raise NotImplementedError

    def lineage(self, run: StageRun, summary: dict[str, Any]) -> OperatorLineage | None:
        """The datasets a successful run read and wrote (smartops.operators.lineage); None: none to report."""
        return None

    def get_openlineage_facets_on_complete(self, task_instance: Any) -> OperatorLineage:
        """Called by the OpenLineage provider after the task ended (only when lineage is on).

        A skipped or failed run reports no datasets: it published nothing. Never raises.
        """
        from smartops.operators.lineage import report

        return report(self.task_id, lambda: self.lineage(*self.completed) if self.completed else None)

    def published_through(self, run: StageRun) -> date | None:
        """The newest business date this stage (item) has published; None: no rewind rule."""
        return None

    def emit(self, outlet_events: Any, summary: dict[str, Any]) -> None:
        """Give each outlet's asset event the run's summary as `extra` (Airflow emits them on success)."""
        for asset in self.outlets:
            outlet_events[asset].extra = summary

    def business_date(self, run: StageRun) -> date:
        """The form's date, else the newest date the triggering asset events carry, else the day before the run.

        Refused when older than `published_through` unless the form sets the audited rewind.
        """
        value = run.params.get(self.business_date_param) if self.business_date_param else None
        day = resolve_business_date(value or triggering_business_date(run.context), run_time(run.context))
        published = self.published_through(run)
        if published is not None and day < published:
            if not run.params.get(REWIND_PARAM):
                raise RewindRefused(f"{run.dag_id}.{run.task_id}", day, published)
            run.record_override(Override.REWIND, f"rebuilt {day} although {published} was published", day)
        return day

    def execute(self, context: Context) -> dict[str, Any]:
        run = StageRun(context, self)
        try:
            self._refuse_unknown_params(context)
            selected = run.params.get(self.selection_param) if self.selection_param else None
            if selected:
                run.items = [item for item in self.items if item in selected]
                if self.items and not run.items:
                    raise AirflowSkipException(f"{', '.join(self.items)}: not among the chosen "
                                               f"{self.selection_param}: {', '.join(selected)}")
            summary = self.run(run)
        except StageSkipped as exc:
            raise AirflowSkipException(str(exc)) from exc
        except AirflowException:
            raise
        except Exception as exc:
            if is_retryable(exc):
                raise
            raise AirflowFailException(str(exc)) from exc
        self.emit(context["outlet_events"], summary)
        self.completed = (run, summary)
        return summary

    def _refuse_unknown_params(self, context: Context) -> None:
        """A key of the run's conf the DAG does not define is a typo (`full_relaod`): refuse it, never ignore it."""
        conf = getattr(context.get("dag_run"), "conf", None) or {}
        known = set(self.dag.params.keys()) if self.has_dag() else set(context["params"])
        unknown = sorted(set(conf) - known)
        if unknown:
            raise ConfigError(f"{self.dag_id}: the run's conf has unknown key(s) {', '.join(unknown)}; this DAG "
                              f"takes: {', '.join(sorted(known)) or '(none)'}. Fix the trigger and run again.")
