"""The console's FastAPI app, mounted by the Airflow API server at /smartops (see plugin.py).

Errors are answered as JSON under /api and as a small page elsewhere; an anonymous visitor of a
page gets 401 with a link to Airflow's login that returns to the page.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from smartops.console import api, pages
from smartops.console.errors import ConsoleError
from smartops.console.templates import PAGE_CSP, render

log = logging.getLogger(__name__)


def create_app() -> FastAPI:
    """Build the console app: pages, the JSON API, and error answers (no unauthenticated OpenAPI schema)."""
    app = FastAPI(title="SmartOps ops console (运营中心)", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(ConsoleError, _console_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


def _is_api(request: Request) -> bool:
    path = request.scope.get("path", "")
    return path.removeprefix(pages.root_of(request)).startswith("/api/")


def _answer(request: Request, status_code: int, detail: object, headers: dict[str, str] | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)
    login = None
    if status_code == 401:
        from airflow.api_fastapi.app import get_auth_manager

        login = get_auth_manager().get_url_login(next_url=_own_url(request))
    html = render("error.html.j2", root=pages.root_of(request), status_code=status_code, detail=detail, login=login)
    return HTMLResponse(html, status_code=status_code, headers={**(headers or {}), "Content-Security-Policy": PAGE_CSP})


def _own_url(request: Request) -> str:
    """The page's address under Airflow's own `[api] base_url`: a forged Host header cannot redirect the login."""
    from smartops.alerting.airflow_api import ui_base_url

    base = (ui_base_url() or "").rstrip("/")
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{base}{path}" if base else path


async def _console_error(request: Request, exc: ConsoleError) -> Response:
    log.warning("ops console %s %s: %s", request.method, request.url.path, exc)
    return _answer(request, exc.status_code, str(exc))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return _answer(request, exc.status_code, exc.detail, dict(exc.headers or {}))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    if _is_api(request):
        return JSONResponse({"detail": errors}, status_code=422)
    return _answer(request, 422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
