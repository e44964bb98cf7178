"""`airflow dags test` for DAGs with Deadline Alerts: one run in-process, without the DAG's deadlines.

Airflow 3.3's `dag.test()` cannot finish a run of a DAG that has Deadline Alerts: its in-process
scheduler copy keeps the raw deadline definitions where the run's end looks up the stored ones by id
(AttributeError on `.hex`). The real scheduler has no such problem and the product keeps its deadlines
there (tests/e2e/test_scheduled_cycle.py watches one missed); `make demo` and the tests' `dag.test()`
runs go through `run_without_deadlines`.

    python -m workbench.dag_test <dag_id> <logical date> [--conf JSON]   # exit 1 when the run failed
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any


def run_without_deadlines(dag: Any, **kwargs: Any) -> Any:
    """`dag.test(**kwargs)` with the DAG's deadlines set aside for the run (restored afterwards)."""
    saved, dag.deadline = dag.deadline, None
    try:
        return _ORIGINAL_TEST(dag, **kwargs) if _ORIGINAL_TEST else dag.test(**kwargs)
    finally:
        dag.deadline = saved


_ORIGINAL_TEST = None  # set by install() to the unpatched DAG.test


def install() -> None:
    """Route every `DAG.test()` of this process through run_without_deadlines (the test suite does)."""
    global _ORIGINAL_TEST
    from airflow.sdk import DAG

    if _ORIGINAL_TEST is None:
        _ORIGINAL_TEST = DAG.test
        DAG.test = lambda self, **kwargs: run_without_deadlines(self, **kwargs)


def main(argv: list[str] | None = None) -> int:
    from airflow.dag_processing.dagbag import DagBag

    from smartops.paths import PROJECT_ROOT

    parser = argparse.ArgumentParser(prog="python -m workbench.dag_test", description=__doc__.splitlines()[0])
    parser.add_argument("dag_id")
    parser.add_argument("logical_date")
    parser.add_argument("--conf", default="{}", help="the run's conf as JSON")
    args = parser.parse_args(argv)
    dag = DagBag(dag_folder=PROJECT_ROOT / "dags").get_dag(args.dag_id)
    if dag is None:
        raise SystemExit(f"DAG {args.dag_id!r} not found or failed to parse (see the DAG processor's import errors)")
    run = run_without_deadlines(dag, logical_date=datetime.fromisoformat(args.logical_date),
                                run_conf=json.loads(args.conf))
    return 0 if run.state == "success" else 1


if __name__ == "__main__":
    raise SystemExit(main())
