"""One DagBag per session, shared by the DAG tests."""

from __future__ import annotations

import pytest
from airflow.dag_processing.dagbag import DagBag

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def dagbag(airflow_db) -> DagBag:
    return DagBag(dag_folder=str(ROOT / "dags"))
