"""DAG policy tests: every DAG imports cleanly and carries what the on-call person needs."""

from __future__ import annotations

import pytest

from smartops.operators.callbacks import task_failure_alert
from smartops.operators.dag_defaults import Tag
from tests.conftest import ROOT

REQUIRED_DAGS = {"backflow_sync", "aggregation", "quality_scan", "scenario_refresh", "operations_report"}


def test_should_import_every_dag_file_without_errors(dagbag):
    assert not dagbag.import_errors, "DAG import errors:\n" + "\n".join(
        f"{path}: {error}" for path, error in dagbag.import_errors.items())


def test_should_contain_the_stable_dag_ids(dagbag):
    assert set(dagbag.dag_ids) >= REQUIRED_DAGS


def _dag_ids():
    return sorted(p.stem for p in (ROOT / "dags").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("dag_id", _dag_ids())
def test_should_follow_the_house_policy(dagbag, dag_id):
    dag = dagbag.get_dag(dag_id)
    assert dag is not None, f"dags/{dag_id}.py must define a DAG with dag_id={dag_id!r} (file name = DAG id)"
    assert dag.tags, f"{dag_id}: add tags=[...] so the ops team can filter it in the UI"
    unapproved = sorted(set(dag.tags) - {tag.value for tag in Tag})
    assert not unapproved, (f"{dag_id}: tags {unapproved} are not approved; use "
                            f"smartops.operators.dag_defaults.Tag ({', '.join(Tag)}) or add one there on purpose")
    assert dag.doc_md and "Triage" in dag.doc_md, f"{dag_id}: doc_md must include a 'Triage' section for on-call"
    for task in dag.tasks:
        assert task.owner and task.owner != "airflow", f"{dag_id}.{task.task_id}: set an owner in default_args"
        assert task.retries >= 1, f"{dag_id}.{task.task_id}: set retries >= 1 in default_args"
        assert task_failure_alert in (task.on_failure_callback or []), (
            f"{dag_id}.{task.task_id}: no alert route; build default_args with "
            "smartops.operators.dag_defaults.default_args")


def test_should_offer_only_inventory_tables_in_the_trigger_form(dagbag):
    from smartops.config.inventory import load_inventory

    schema = dagbag.get_dag("backflow_sync").params.get_param("tables").schema
    assert schema["items"]["enum"] == load_inventory().names
