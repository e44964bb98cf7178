"""The console's HTML pages: Today, Backlog, Reports, one report, one table (server-rendered, autoescaped)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from airflow.api_fastapi.core_api.security import GetUserDep
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smartops.alerting.models import ItemStatus, TriageAction
from smartops.alerting.triage import known_level1_owners
from smartops.business_date import BUSINESS_TZ
from smartops.config.alerting import load_alerting_config
from smartops.config.catalog import catalog
from smartops.console.backlog import MAX_MUTE_DAYS, MAX_NOTE_LENGTH, BacklogFilters, backlog_view
from smartops.console.db import warehouse_conninfo
from smartops.console.outside import (
    contract_view,
    contracts_view,
    inventory_health_view,
    onboard_view,
    upstream_view,
)
from smartops.console.params import BusinessDay
from smartops.console.reports import report_document, report_list
from smartops.console.reviews import review_document, review_list
from smartops.console.security import (
    actor_name,
    can_onboard,
    can_triage,
    csrf_token,
    require_onboarder,
    require_reader,
)
from smartops.console.tables import table_view, task_tables
from smartops.console.templates import DOCUMENT_CSP, PAGE_CSP, STATIC_DIR, STATIC_FILES, local, render
from smartops.console.today import today_view
from smartops.notify.language import Language
from smartops.report.charts import chart
from smartops.report.render import LABELS, pulse_charts
from smartops.report.review import ReviewKind
from smartops.vocabulary import Category, Severity

router = APIRouter(dependencies=[Depends(require_reader)], default_response_class=HTMLResponse)
Warehouse = Annotated[str, Depends(warehouse_conninfo)]


def root_of(request: Request) -> str:
    """Where the console is mounted (e.g. /smartops, under Airflow's base path): every link starts there."""
    return request.scope.get("root_path", "").rstrip("/")


def page(request: Request, user: GetUserDep, template: str, name: str, **data: Any) -> HTMLResponse:
    """Render a page with the frame every page shares: links, user, time in Asia/Shanghai, CSRF token."""
    html = render(template, root=root_of(request), page=name, user=actor_name(user), csrf=csrf_token(user),
                  can_triage=can_triage(request, user), now=datetime.now(BUSINESS_TZ), **data)
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store",
                                       "X-Content-Type-Options": "nosniff"})


@router.get("/")
def today(request: Request, user: GetUserDep, warehouse: Warehouse,
          day: Annotated[BusinessDay | None, Query(alias="date")] = None) -> HTMLResponse:
    view = today_view(warehouse, now=datetime.now(BUSINESS_TZ), business_date=day)
    return page(request, user, "today.html.j2", "today", v=view,
                pulse_charts=pulse_charts({"pulse": view["pulse"]}, LABELS[Language.EN]))


@router.get("/backlog")
def backlog(request: Request, user: GetUserDep, warehouse: Warehouse,
            filters: Annotated[BacklogFilters, Query()]) -> HTMLResponse:
    local_today = datetime.now(BUSINESS_TZ).date()
    return page(request, user, "backlog.html.j2", "backlog",
                v=backlog_view(warehouse, filters, triager=can_triage(request, user)),
                statuses=list(ItemStatus), severities=list(Severity), categories=list(Category),
                actions=list(TriageAction), max_note=MAX_NOTE_LENGTH, mute_min=local_today + timedelta(days=1),
                mute_max=local_today + timedelta(days=MAX_MUTE_DAYS),
                level1_owners=known_level1_owners(load_alerting_config(), catalog().inventory))


@router.get("/reports")
def reports(request: Request, user: GetUserDep, warehouse: Warehouse) -> HTMLResponse:
    return page(request, user, "reports.html.j2", "reports", reports=report_list(warehouse), languages=list(Language))


@router.get("/reports/{day}")
def report(request: Request, user: GetUserDep, warehouse: Warehouse, day: BusinessDay,
           lang: Language | None = None) -> HTMLResponse:
    document = report_document(warehouse, day, lang)
    return page(request, user, "report.html.j2", "reports", r=document, languages=list(Language))


@router.get("/reports/{day}/document")
def report_html(warehouse: Warehouse, day: BusinessDay, lang: Language | None = None) -> HTMLResponse:
    """The report itself, as stored (or rendered from its stored figures): framed by the report page."""
    html = report_document(warehouse, day, lang)["html"]
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_CSP, "X-Content-Type-Options": "nosniff"})


@router.get("/reviews")
def reviews(request: Request, user: GetUserDep, warehouse: Warehouse) -> HTMLResponse:
    return page(request, user, "reviews.html.j2", "reviews", reviews=review_list(warehouse))


@router.get("/reviews/{kind}/{start}")
def review(request: Request, user: GetUserDep, warehouse: Warehouse, kind: ReviewKind, start: BusinessDay,
           lang: Language | None = None) -> HTMLResponse:
    return page(request, user, "review.html.j2", "reviews", r=review_document(warehouse, kind, start, lang))


@router.get("/reviews/{kind}/{start}/document")
def review_html(warehouse: Warehouse, kind: ReviewKind, start: BusinessDay,
                lang: Language | None = None) -> HTMLResponse:
    """The review itself, as stored: framed by the review page."""
    html = review_document(warehouse, kind, start, lang)["html"]
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_CSP, "X-Content-Type-Options": "nosniff"})


@router.get("/tables/{name}")
def table(request: Request, user: GetUserDep, warehouse: Warehouse, name: str) -> HTMLResponse:
    view = table_view(warehouse, name, triager=can_triage(request, user))
    return page(request, user, "table.html.j2", "today", v=view, charts=ledger_charts(view["ledger"]))


@router.get("/inventory")
def inventory(request: Request, user: GetUserDep, warehouse: Warehouse) -> HTMLResponse:
    return page(request, user, "inventory.html.j2", "inventory", v=inventory_health_view(warehouse),
                can_onboard=can_onboard(request, user))


@router.get("/inventory/onboard", dependencies=[Depends(require_onboarder)])
def onboard(request: Request, user: GetUserDep,
            source: Annotated[str | None, Query(max_length=130)] = None) -> HTMLResponse:
    """Onboard a Level-1 table: a ready inventory entry with a reason per field (read-only, nothing written)."""
    return page(request, user, "onboard.html.j2", "inventory", v=onboard_view(source))


@router.get("/upstream")
def upstream(request: Request, user: GetUserDep, warehouse: Warehouse,
             owner: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    """一级协同: what each Level-1 team still owes, how long it waited, which digests reached them."""
    return page(request, user, "upstream.html.j2", "upstream", v=upstream_view(warehouse, owner))


@router.get("/contracts")
def contracts(request: Request, user: GetUserDep) -> HTMLResponse:
    return page(request, user, "contracts.html.j2", "contracts", contracts=contracts_view())


@router.get("/contracts/{table}")
def contract(request: Request, user: GetUserDep, table: str) -> HTMLResponse:
    return page(request, user, "contract.html.j2", "contracts", c=contract_view(table))


@router.get("/tasks/{dag_id}/{task_id}", response_model=None)
def task(request: Request, user: GetUserDep, dag_id: str, task_id: str) -> HTMLResponse | RedirectResponse:
    """The task instance tab (external view `{DAG_ID}`/`{TASK_ID}`): a sync task's table page, a batch's tables."""
    tables = task_tables(dag_id, task_id)
    if len(tables) == 1:
        return RedirectResponse(f"{root_of(request)}/tables/{tables[0]}", status_code=status.HTTP_303_SEE_OTHER)
    return page(request, user, "task.html.j2", "today", dag_id=dag_id, task_id=task_id, tables=tables)


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The pages' stylesheet, script and icon (behind the same login as the pages)."""
    if name not in STATIC_FILES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no static file {name!r}; the console serves "
                                                       f"{', '.join(STATIC_FILES)}")
    return Response((STATIC_DIR / name).read_bytes(), media_type=STATIC_FILES[name],
                    headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"})


def ledger_charts(ledger: list[dict[str, Any]]) -> list[str]:
    """Rows read and duration of the table's sync runs, oldest first, as inline SVG."""
    runs = list(reversed(ledger))
    labels = [local(run["started_at"]) for run in runs]
    return [
        chart("每次同步读取行数 rows read per sync", labels, [run["rows_read"] for run in runs], kind="bar"),
        chart("同步耗时（秒）duration per sync (s)", labels, [run["duration_s"] for run in runs],
              fmt=lambda v: f"{v:.2f}"),
    ]
