"""The console's JSON API under /smartops/api: what the pages show, and triage (tests and scripts call it too)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from airflow.api_fastapi.core_api.security import GetUserDep
from fastapi import APIRouter, Depends, Query, Request

from smartops.business_date import BUSINESS_TZ
from smartops.console.backlog import BacklogFilters, TriageRequest, apply_triage, backlog_view, item_view
from smartops.console.db import warehouse_conninfo
from smartops.console.outside import (
    contract_view,
    contracts_view,
    inventory_health_view,
    onboard_view,
    upstream_view,
)
from smartops.console.params import BusinessDay, ItemId
from smartops.console.reports import report_document, report_list
from smartops.console.security import (
    actor_name,
    can_triage,
    require_csrf,
    require_onboarder,
    require_reader,
    require_triager,
)
from smartops.console.tables import table_view
from smartops.console.today import today_view
from smartops.notify.language import Language

router = APIRouter(prefix="/api", dependencies=[Depends(require_reader)])
Warehouse = Annotated[str, Depends(warehouse_conninfo)]


@router.get("/me")
def me(request: Request, user: GetUserDep) -> dict[str, Any]:
    """Who is logged in, and whether the triage actions are open to them."""
    return {"name": actor_name(user), "can_triage": can_triage(request, user)}


@router.get("/today")
def today(warehouse: Warehouse, day: Annotated[BusinessDay | None, Query(alias="date")] = None) -> dict[str, Any]:
    return today_view(warehouse, now=datetime.now(BUSINESS_TZ), business_date=day)


@router.get("/backlog")
def backlog(request: Request, user: GetUserDep, warehouse: Warehouse,
            filters: Annotated[BacklogFilters, Query()]) -> dict[str, Any]:
    return backlog_view(warehouse, filters, triager=can_triage(request, user))


@router.get("/backlog/{item_id}")
def backlog_item(request: Request, user: GetUserDep, warehouse: Warehouse, item_id: ItemId) -> dict[str, Any]:
    return item_view(warehouse, item_id, triager=can_triage(request, user))


@router.post("/backlog/{item_id}/triage", dependencies=[Depends(require_triager), Depends(require_csrf)])
def triage(warehouse: Warehouse, item_id: ItemId, body: TriageRequest, user: GetUserDep) -> dict[str, Any]:
    """Acknowledge, mute or resolve one item, audited with the logged-in user's name; return the item."""
    return apply_triage(warehouse, item_id, body, actor=actor_name(user))


@router.get("/reports")
def reports(warehouse: Warehouse) -> list[dict[str, Any]]:
    return report_list(warehouse)


@router.get("/reports/{day}")
def report(warehouse: Warehouse, day: BusinessDay, lang: Language | None = None) -> dict[str, Any]:
    return report_document(warehouse, day, lang)


@router.get("/tables/{name}")
def table(request: Request, user: GetUserDep, warehouse: Warehouse, name: str) -> dict[str, Any]:
    return table_view(warehouse, name, triager=can_triage(request, user))


@router.get("/inventory")
def inventory(warehouse: Warehouse) -> dict[str, Any]:
    return inventory_health_view(warehouse)


@router.get("/inventory/onboard", dependencies=[Depends(require_onboarder)])
def onboard(source: Annotated[str, Query(max_length=130)]) -> dict[str, Any]:
    return onboard_view(source)


@router.get("/upstream")
def upstream(warehouse: Warehouse, owner: Annotated[str | None, Query(max_length=100)] = None) -> dict[str, Any]:
    return upstream_view(warehouse, owner)


@router.get("/contracts")
def contracts() -> list[dict[str, Any]]:
    return contracts_view()


@router.get("/contracts/{table}")
def contract(table: str) -> dict[str, Any]:
    return contract_view(table)
