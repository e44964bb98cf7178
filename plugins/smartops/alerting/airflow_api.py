"""Airflow's own state for the watchdog, read through the REST API of the API server.

Inside a task Airflow 3 hides the metadata database (`airflow-db-not-allowed:///`), so the
supported way to read runs, failed task instances and import errors is the API server, with a
JWT from the auth manager's token endpoint. The detection functions in `watchdog` only see the
records this module returns.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from smartops.alerting.watchdog import DagRecord, ImportErrorRecord, MetadataSnapshot, RunRecord, TaskRecord
from smartops.errors import SmartopsError
from smartops.vocabulary import Category, RunType

API_CONN_ID = "airflow_api"
PAGE_SIZE = 100
TIMEOUT_S = 30
UNFINISHED = ("queued", "running")


class AirflowApiUnreachable(SmartopsError):
    """The API server did not answer or refused the watchdog's user (retryable: it may be starting)."""

    category = Category.PLATFORM
    retryable = True

    def __init__(self, base_url: str, reason: str) -> None:
        super().__init__(
            f"Airflow API at {base_url}: {reason}. The watchdog cannot see Airflow's runs; check that the API "
            f"server runs and that connection {API_CONN_ID!r} names it and a user that may read DAG runs (Viewer)")


def ui_base_url() -> str | None:
    """Airflow's own `[api] base_url` (AIRFLOW__API__BASE_URL): where people open this deployment's UI."""
    from airflow.sdk.configuration import conf

    return conf.get("api", "base_url", fallback=None) or None


@dataclass(frozen=True)
class ApiEndpoint:
    base_url: str
    username: str
    password: str


def endpoint() -> ApiEndpoint:
    """Return the API server and the watchdog's credentials, from connection `airflow_api` only.

    The connection's host is the base URL (`http://host:port`, or host and port fields); without a
    host, Airflow's own `[api] base_url` (this deployment's API server). The login and password are
    those of a user that may read DAG runs (the Viewer role is enough); compose's `airflow-init`
    creates it, `make run` and `make cluster` set it up themselves.
    """
    from airflow.sdk import BaseHook
    from airflow.sdk.configuration import conf
    from airflow.sdk.exceptions import AirflowNotFoundException

    local = (conf.get("api", "base_url", fallback=None) or "http://localhost:8080").rstrip("/")
    try:
        conn = BaseHook.get_connection(API_CONN_ID)
    except AirflowNotFoundException:
        raise AirflowApiUnreachable(local, f"connection {API_CONN_ID!r} is not defined; set AIRFLOW_CONN_AIRFLOW_API "
                                           "to http://<viewer user>:<password>@<api server host>:8080") from None
    host = conn.host or local
    base = host if "://" in host else f"{conn.schema or 'http'}://{host}:{conn.port or 8080}"
    if not conn.login or not conn.password:
        raise AirflowApiUnreachable(base, f"connection {API_CONN_ID!r} has no login or password; give it the "
                                          "credentials of a user with the Viewer role")
    return ApiEndpoint(base.rstrip("/"), conn.login, conn.password)


def read_state(api: ApiEndpoint, *, runs_since: datetime, tasks_since: datetime) -> MetadataSnapshot:
    """Read runs started since `runs_since` (and unfinished ones), tasks failed since `tasks_since`, import errors
    and every DAG's schedule (with the asset events an asset-triggered DAG is waiting on)."""
    try:
        with closing(logged_in_client(api)) as client:  # already opened by the token request
            recent = pages(client, "/api/v2/dags/~/dagRuns", "dag_runs", start_date_gte=runs_since.isoformat())
            unfinished = pages(client, "/api/v2/dags/~/dagRuns", "dag_runs", state=list(UNFINISHED))
            runs = {(r["dag_id"], r["dag_run_id"]): r for r in [*recent, *unfinished]}
            failed = pages(client, "/api/v2/dags/~/dagRuns/~/taskInstances", "task_instances", state="failed",
                            end_date_gte=tasks_since.isoformat())
            errors = pages(client, "/api/v2/importErrors", "import_errors")
            dags = _dags(client)
    except httpx.HTTPError as exc:
        raise AirflowApiUnreachable(api.base_url, f"{type(exc).__name__}: {exc}") from exc
    return MetadataSnapshot(
        runs=[RunRecord(r["dag_id"], r["dag_run_id"], r["state"], _moment(r.get("start_date")),
                        _moment(r.get("end_date")), RunType(r.get("run_type") or RunType.SCHEDULED),
                        _moment(r.get("run_after")))
              for r in runs.values()],
        dags=dags,
        failed_tasks=[TaskRecord(t["dag_id"], t["dag_run_id"], t["task_id"], _moment(t["end_date"]),
                                 t.get("try_number") or 1)
                      for t in failed if t.get("end_date")],
        import_errors=[ImportErrorRecord(e["filename"], e.get("stack_trace") or "") for e in errors],
    )


def logged_in_client(api: ApiEndpoint) -> httpx.Client:
    """An HTTP client for the API server with a bearer token from the auth manager's token endpoint."""
    client = httpx.Client(base_url=api.base_url, timeout=TIMEOUT_S)
    token = client.post("/auth/token", json={"username": api.username, "password": api.password})
    if token.status_code not in (200, 201):
        client.close()
        raise AirflowApiUnreachable(api.base_url, f"token refused for user {api.username!r} "
                                                  f"(HTTP {token.status_code})")
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def _dags(client: httpx.Client) -> list[DagRecord]:
    """Every DAG's schedule; for asset-triggered DAGs also the upstream events they wait on, and what is missing."""
    records, asset_names = [], None
    for dag in pages(client, "/api/v2/dags", "dags"):
        waiting_since, missing = None, ()
        if dag.get("timetable_summary") == "Asset":
            queued = pages(client, f"/api/v2/dags/{dag['dag_id']}/assets/queuedEvents", "queued_events")
            if queued:
                asset_names = asset_names or {a["id"]: a["name"] for a in pages(client, "/api/v2/assets", "assets")}
                details = client.get(f"/api/v2/dags/{dag['dag_id']}/details").raise_for_status().json()
                arrived = {asset_names.get(q["asset_id"]) for q in queued}
                missing = tuple(sorted(set(_asset_names(details.get("asset_expression"))) - arrived))
                waiting_since = min(_moment(q["created_at"]) for q in queued)
        records.append(DagRecord(dag["dag_id"], dag["is_paused"], dag.get("timetable_summary"),
                                 bool(dag.get("timetable_periodic")), _moment(dag.get("next_dagrun_run_after")),
                                 waiting_since, missing))
    return records


def _asset_names(expression: Any) -> list[str]:
    """The asset names in a DAG's asset condition (nested all/any of {"asset": {...}})."""
    if isinstance(expression, dict):
        if isinstance(expression.get("asset"), dict):
            return [expression["asset"].get("name") or expression["asset"].get("uri")]
        return [name for value in expression.values() for name in _asset_names(value)]
    if isinstance(expression, list):
        return [name for item in expression for name in _asset_names(item)]
    return []


def pages(client: httpx.Client, path: str, key: str, **params: Any) -> list[dict]:
    """Every item of a paginated list endpoint."""
    items: list[dict] = []
    while True:
        response = client.get(path, params={**params, "limit": PAGE_SIZE, "offset": len(items)})
        response.raise_for_status()
        body = response.json()
        items.extend(body[key])
        if not body[key] or len(items) >= body.get("total_entries", 0):
            return items


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
