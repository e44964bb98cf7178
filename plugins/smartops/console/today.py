"""The Today page's data: every inventory table and scenario with its latest state, and the report's headline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from smartops.business_date import BUSINESS_TIMEZONE, BUSINESS_TZ, resolve_business_date
from smartops.config.catalog import catalog
from smartops.config.inventory import Inventory
from smartops.config.scenarios import Scenario
from smartops.console.db import read_session
from smartops.console.status import Rag, freshness, scenario_state, table_state
from smartops.report.figures import collect
from smartops.sqlfiles import named_sql

SQL = "console/today.sql"


def default_business_date(warehouse: str, now: datetime) -> date:
    """The newest business date the ops record has evidence for, else the day before `now` (Asia/Shanghai)."""
    with read_session(warehouse) as conn:
        day = conn.execute(named_sql(SQL, "latest_business_date")).fetchone()["day"]
    return day or resolve_business_date(None, now)


def today_view(warehouse: str, *, now: datetime, business_date: date | None = None) -> dict[str, Any]:
    """Return the Today page: one row per inventory table and per scenario (registry order), with the headline.

    business_date (default: default_business_date) picks the day of the quality counts and of the
    headline, which are the daily report's figures of that day computed now. Sync, freshness and
    scenario state are the latest recorded, judged at `now`.
    """
    inventory, registry = catalog().inventory, catalog().scenarios
    now = now.astimezone(BUSINESS_TZ)
    day = business_date or default_business_date(warehouse, now)
    with read_session(warehouse) as conn:
        tables = conn.execute(named_sql(SQL, "table_status"), {"tables": inventory.names, "day": day}).fetchall()
        attempts = {r["scenario"]: r for r in conn.execute(named_sql(SQL, "scenario_status"))}
        languages = [r["language"] for r in conn.execute(named_sql(SQL, "report_languages"), {"day": day})]
    figures = collect(warehouse, day, now=now)
    rows = [_table_row(inventory, row, now) for row in tables]
    scenarios = [_scenario_row(s, attempts.get(s.id), now) for s in registry.scenarios]
    return {
        "business_date": day, "now": now, "timezone": BUSINESS_TIMEZONE,
        "headline": figures["headline"],
        "pulse": figures["pulse"],
        "report_languages": languages,
        "states": {state.value: sum(r["state"] is state for r in rows + scenarios) for state in Rag},
        "tables": rows,
        "scenarios": scenarios,
    }


def _table_row(inventory: Inventory, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    table = inventory.get(row["table_name"])
    fresh = freshness(row["last_success_at"], table.freshness_sla_delta, now)
    checks = row["reconciliation_checks"]
    return {
        "table": table.name, "description": table.description, "owner": table.owner,
        "severity": table.severity.value, "mode_configured": table.mode.value,
        "sync": None if row["status"] is None else {
            "run_id": row["run_id"], "status": row["status"], "mode": row["mode"], "rows_read": row["rows_read"],
            "rows_changed": row["rows_inserted"] + row["rows_updated"] + row["rows_deleted"],
            "duration_s": round(row["duration_s"], 3), "finished_at": row["finished_at"], "error": row["error"],
        },
        "watermark": row["watermark"], "last_success_at": row["last_success_at"],
        "freshness": {**fresh, "sla": table.freshness_sla},
        "reconciliation": {"checks": checks, "mismatches": row["reconciliation_mismatches"],
                           "verdict": None if not checks else "mismatch" if row["reconciliation_mismatches"]
                           else "matched"},
        "quality": {"business_date": row["quality_date"], "pass": row["quality_pass"], "warn": row["quality_warn"],
                    "fail": row["quality_fail"], "error": row["quality_error"]},
        "state": table_state(row, fresh),
    }


def _scenario_row(scenario: Scenario, attempt: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
    """A scenario's latest attempt; input freshness is its oldest input's last build against its SLA."""
    inputs = {name: datetime.fromisoformat(at).astimezone(BUSINESS_TZ) if at else None
              for name, at in ((attempt or {}).get("inputs_freshness") or {}).items()}
    known = [at for at in inputs.values() if at is not None]
    fresh = freshness(min(known) if known else None, scenario.freshness_sla_delta, now)
    if attempt and len(known) < len(inputs):
        fresh["state"] = Rag.RED  # an input was never built
    base = {"scenario": scenario.id, "title_zh": scenario.title_zh, "title_en": scenario.title_en,
            "owner": scenario.owner, "inputs": inputs, "freshness": {**fresh, "sla": scenario.freshness_sla}}
    if attempt is None:
        return {**base, "status": None, "business_date": None, "reason": None, "rows": None, "finished_at": None,
                "published_at": None, "published_rows": None, "state": Rag.GREY}
    keys = ("status", "business_date", "reason", "rows", "finished_at", "published_at", "published_rows")
    return {**base, **{k: attempt[k] for k in keys}, "state": scenario_state(attempt["status"], fresh)}
