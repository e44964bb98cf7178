"""The Backlog page's data and its triage: items with occurrences, impact, deliveries and audit trail.

Triage goes through smartops.alerting.backlog.triage — the function the backlog_triage DAG and the
CLI call — so the console writes the same item change and the same ops.backlog_audit row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.alerting.airflow_api import ui_base_url
from smartops.alerting.models import ItemStatus, TriageAction
from smartops.alerting.service import open_context
from smartops.alerting.triage import MAX_MUTE_DAYS, MAX_NOTE_LENGTH, TriageError, parse_until, triage
from smartops.business_date import BUSINESS_TZ
from smartops.config.catalog import catalog
from smartops.config.inventory import Inventory
from smartops.config.scenarios import ScenarioRegistry
from smartops.console.db import read_session
from smartops.console.errors import NotFound, TriageRefused
from smartops.scenarios.exceptions import UnknownTable
from smartops.scenarios.impact import affected_scenarios
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Category, Severity

SQL = "console/backlog.sql"
# A delivery's error text can carry an endpoint's details: only those who may triage read it.
HIDDEN = "(shown to users who may triage)"
LIST_LIMIT = 300
MAX_OWNER_LENGTH = 100


class BacklogFilters(BaseModel):
    """The page's filters; None matches every value. `item` shows one item (the links in chat and mail)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status: ItemStatus | None = None
    owner: str | None = Field(default=None, max_length=MAX_OWNER_LENGTH)
    severity: Severity | None = None
    category: Category | None = None


class TriageRequest(BaseModel):
    """One triage change from the page: a note is required; mute takes a date (Asia/Shanghai), capped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    action: TriageAction
    note: str = Field(min_length=1, max_length=MAX_NOTE_LENGTH)
    muted_until: date | None = None
    level1_owner: str | None = Field(default=None, max_length=MAX_OWNER_LENGTH)  # await_level1 only (triage checks)

    @model_validator(mode="after")
    def _mute_date(self) -> TriageRequest:
        if self.action is not TriageAction.MUTE:
            if self.muted_until is not None:
                raise ValueError(f"muted_until={self.muted_until} applies only to action 'mute', not "
                                 f"{self.action.value!r}; leave it empty")
            return self
        if self.muted_until is None:
            raise ValueError("action 'mute' needs muted_until: the date until which notifications stay silent")
        today = datetime.now(BUSINESS_TZ).date()
        latest = today + timedelta(days=MAX_MUTE_DAYS)
        if not today < self.muted_until <= latest:
            raise ValueError(f"muted_until={self.muted_until} must be after today ({today}; not in the past) and "
                             f"at most {MAX_MUTE_DAYS} days ahead ({latest}); mute again later if needed")
        return self


def backlog_view(warehouse: str, filters: BacklogFilters, *, triager: bool = False) -> dict[str, Any]:
    """Return the items matching `filters`, open first, most severe first (at most LIST_LIMIT).

    Each item carries its audit trail, its latest alert decision, the delivery state of its latest
    notification on each channel (ops.notification) and the scenarios it affects (as raised, else
    from the impact analysis).
    """
    inventory, registry = catalog().inventory, catalog().scenarios
    with read_session(warehouse) as conn:
        items = conn.execute(named_sql(SQL, "items"), {
            **filters.model_dump(mode="json"), "limit": LIST_LIMIT}).fetchall()
        audits: dict[int, list[dict[str, Any]]] = {}
        for row in conn.execute(named_sql(SQL, "audits"), {"item_ids": [i["item_id"] for i in items]}):
            audits.setdefault(row.pop("item_id"), []).append(row)
        owners = [r["owner"] for r in conn.execute(named_sql(SQL, "owners"))]
    impacts: dict[str, list[str]] = {}
    return {
        "filters": filters.model_dump(mode="json"),
        "owners": sorted(set(owners) | {t.owner for t in inventory.tables}),
        "limit": LIST_LIMIT,
        "items": [{**item, "audit": audits.get(item["item_id"], []),
                   "affected_scenarios": _scenarios(item, inventory, registry, impacts),
                   "notifications": [n if triager else {**n, "error": HIDDEN if n.get("error") else None}
                                     for n in item["notifications"] or []]} for item in items],
    }


def item_view(warehouse: str, item_id: int, *, triager: bool = False) -> dict[str, Any]:
    """Return one item as backlog_view shows it; raise NotFound when the id is not in ops.backlog_item."""
    items = backlog_view(warehouse, BacklogFilters(item=item_id), triager=triager)["items"]
    if not items:
        raise NotFound(f"backlog item {item_id} does not exist in ops.backlog_item; see the Backlog page for items")
    return items[0]


def apply_triage(warehouse: str, item_id: int, request: TriageRequest, *, actor: str) -> dict[str, Any]:
    """Acknowledge, mute, resolve, hand to Level-1 or resume item `item_id` as `actor` (audited); return the item.

    Raises NotFound for an unknown item and TriageRefused (nothing changed) for an impossible change.
    """
    item_view(warehouse, item_id, triager=True)
    until = parse_until(request.muted_until.isoformat()) if request.muted_until else None
    try:
        triage(open_context(warehouse, base_url=ui_base_url()), item_id, action=request.action, actor=actor,
               note=request.note, muted_until=until, level1_owner=request.level1_owner)
    except TriageError as exc:
        raise TriageRefused(str(exc)) from exc
    return item_view(warehouse, item_id, triager=True)


def _scenarios(item: dict[str, Any], inventory: Inventory, registry: ScenarioRegistry,
               memo: dict[str, list[str]]) -> list[dict[str, str]]:
    """The scenarios an item affects: those its alert named, else those downstream of its table."""
    ids = list(item["scenarios"]) or _downstream(_table_of(item["object_name"], inventory), registry, memo)
    return [{"id": s, "title": registry.by_id[s].title if s in registry.by_id else s} for s in ids]


def _table_of(object_name: str, inventory: Inventory) -> str | None:
    """The layer.table an item is about: quality items name it, sync task items name the inventory table."""
    if "." in object_name:
        return object_name
    return f"ods.{object_name}" if object_name in inventory.by_name else None


def _downstream(table: str | None, registry: ScenarioRegistry, memo: dict[str, list[str]]) -> list[str]:
    if table is None:
        return []
    if table not in memo:
        try:
            memo[table] = [impact.scenario.id for impact in affected_scenarios(table)]
        except UnknownTable:
            memo[table] = []  # not a table of the lineage (a DAG, a scenario id): nothing downstream
    return memo[table]
