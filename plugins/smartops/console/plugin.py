"""The AirflowPlugin of the ops console: the FastAPI app at /smartops and the 运营中心 / Operations nav entry.

Registered by plugins/smartops_plugin.py (Airflow's loader reads only top-level files of plugins/).
The nav entry opens the console inside the UI (an iframe at /plugin/smartops); the console's
pages also work on their own: chat and mail link to them through AlertingConfig.console_url
(`reports/<date>?lang=`, `backlog?item=<id>`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from airflow.configuration import conf
from airflow.plugins_manager import AirflowPlugin

from smartops.config.alerting import CONSOLE_PREFIX

# The nav entry opens /plugin/<NAV_ROUTE> in the UI, which frames the console's Today page.
NAV_ROUTE = "smartops"
NAV_NAME = "运营中心"  # the sidebar shows about four characters; the pages say 运营中心 Operations


def _href(path: str) -> str:
    """A console path as the browser needs it: below Airflow's own base path ([api] base_url)."""
    base = urlsplit(conf.get("api", "base_url", fallback="") or "/").path.rstrip("/")
    return f"{base}{CONSOLE_PREFIX}{path}"


class ConsoleApp:
    """The console's ASGI app, built on its first request.

    Every Airflow component loads plugins (task runners do, for listeners): only the API server,
    which serves requests, pays for importing the console (FastAPI routes, Airflow's auth, the report).
    """

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self._app is None:
            from smartops.console.app import create_app

            self._app = create_app()
        await self._app(scope, receive, send)


class SmartOpsConsolePlugin(AirflowPlugin):
    """运营中心: Today, Backlog (with triage), Reports and Table pages, and their JSON API."""

    name = "smartops_console"
    fastapi_apps = [{"app": ConsoleApp(), "url_prefix": CONSOLE_PREFIX, "name": "运营中心 ops console"}]
    external_views = [{
        "name": NAV_NAME,
        "href": _href("/"),
        "icon": _href("/static/icon.svg"),
        "url_route": NAV_ROUTE,
        "destination": "nav",
        "nav_top_level": True,
    }, {
        # A tab on every task instance: a sync task's ledger, reconciliation and quality beside its log.
        "name": "表 Table",
        "href": _href("/tasks/{DAG_ID}/{TASK_ID}"),
        "url_route": "smartops-table",
        "destination": "task_instance",
    }]
