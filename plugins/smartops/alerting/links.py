"""Links into the Airflow UI for alerts and findings."""

from __future__ import annotations

from urllib.parse import quote


def run_links(base_url: str, dag_id: str, run_id: str, task_id: str | None = None) -> tuple[str, str | None]:
    """Return the Airflow UI URLs of a run and (optionally) one of its tasks."""
    run_url = f"{base_url.rstrip('/')}/dags/{quote(dag_id)}/runs/{quote(run_id, safe='')}"
    return run_url, f"{run_url}/tasks/{quote(task_id)}" if task_id else None
