"""Collect one business date's figures from the `ops` tables (stages not built yet are marked so)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import dict_row

from smartops.business_date import BUSINESS_TIMEZONE, BUSINESS_TZ
from smartops.config.catalog import catalog
from smartops.report.contracts import contract_figures
from smartops.report.model import ReportFigures
from smartops.report.pulse import pulse_figures
from smartops.report.upstream import upstream_figures
from smartops.sqlfiles import named_sql
from smartops.vocabulary import Severity

SQL = "report/figures.sql"
NOTIFICATIONS_SQL = "report/notifications.sql"
OVERRIDES_SQL = "report/overrides.sql"
TREND_DAYS = 14
QUALITY_TABLE = "ops.quality_result"
SCAN_SCOPE_TABLE = "ops.quality_scan_scope"
SCENARIO_TABLE = "ops.scenario_refresh"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start and end of business date `day` in Asia/Shanghai."""
    start = datetime.combine(day, time.min, BUSINESS_TZ)
    return start, start + timedelta(days=1)


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _stage_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute(named_sql(SQL, "stage_table"), {"name": name}).fetchone()["present"]


def collect(warehouse: str, day: date, *, now: datetime) -> ReportFigures:
    """Return the report figures of business date `day` as JSON-ready data.

    Freshness is judged at the end of the day, or at `now` for a day still running, by how far the
    newest load reaches (a sync reaches the end of the business date it stands for). A stage
    whose ops table does not exist yet gets `{"built": false}` instead of figures.
    """
    inventory = catalog().inventory
    start, end = day_bounds(day)
    as_of = min(end, now)
    params = {"start": start, "end": end, "day": day, "first": day - timedelta(days=TREND_DAYS - 1),
              "tz": BUSINESS_TIMEZONE}
    with psycopg.connect(warehouse, row_factory=dict_row) as conn:
        sync = {r["table_name"]: r for r in conn.execute(named_sql(SQL, "sync_by_table"), params)}
        last_success = {r["table_name"]: r for r in conn.execute(named_sql(SQL, "last_success"), params)}
        reconciliation = conn.execute(named_sql(SQL, "reconciliation"), params).fetchall()
        quality = _quality(conn, params)
        scenarios = _scenarios(conn, params)
        notifications = _notifications(conn, params)
        overrides = [{**r, "at": r["at"].isoformat(), "business_date": str(r["business_date"] or "") or None}
                     for r in conn.execute(named_sql(OVERRIDES_SQL, "overrides_of_day"), params)]
        open_items = {r["severity"]: r["count"] for r in conn.execute(named_sql(SQL, "open_items_by_severity"), params)}
        changes = conn.execute(named_sql(SQL, "backlog_changes"), params).fetchall()
        trend = conn.execute(named_sql(SQL, "trend"), params).fetchall()
        pass_rates = ({r["business_date"]: r["pass_rate"]
                       for r in conn.execute(named_sql(SQL, "quality_trend"), params)}
                      if quality["built"] else {})
        pulse = pulse_figures(conn, day)
        contracts = contract_figures(conn, day)
        upstream = upstream_figures(conn, day, day)

    tables = []
    for table in inventory.tables:
        row = sync.get(table.name, {})
        success = last_success.get(table.name) or {}
        loaded, through = success.get("last_success_at"), success.get("loaded_through")
        age_h = max(0.0, (as_of - through).total_seconds() / 3600) if through else None
        tables.append({
            "table": table.name, "description": table.description, "owner": table.owner,
            "severity": table.severity.value, "freshness_sla": table.freshness_sla,
            "runs": row.get("runs", 0), "failed_runs": row.get("failed_runs", 0),
            "rows_moved": int(row.get("rows_moved", 0)), "rows_changed": int(row.get("rows_changed", 0)),
            "last_status": row.get("last_status"), "last_error": (row.get("last_error") or "")[:300] or None,
            "last_success_at": loaded.isoformat() if loaded else None,
            "age_hours": round(age_h, 2) if age_h is not None else None,
            "on_time": age_h is not None and age_h <= table.freshness_sla_delta.total_seconds() / 3600,
        })
    recon_rows = [{**r, "source_value": _number(r["source_value"]), "ods_value": _number(r["ods_value"])}
                  for r in reconciliation]
    resolved = [c for c in changes if c["is_resolved"]]
    return {
        "report_date": day.isoformat(),
        "as_of": as_of.isoformat(),
        "headline": {
            "tables_total": len(inventory.tables),
            "tables_on_time": sum(t["on_time"] for t in tables),
            "rows_moved": sum(t["rows_moved"] for t in tables),
            "sync_failures": sum(t["failed_runs"] for t in tables),
            "reconciliation_checks": len(recon_rows),
            "reconciliation_mismatches": sum(not r["matched"] for r in recon_rows),
            "quality_pass_rate": quality.get("pass_rate"),
            "scenarios_published": scenarios.get("published"),
            "scenarios_skipped": scenarios.get("skipped"),
            "open_items": {s.value: open_items.get(s.value, 0) for s in Severity},
            "open_items_total": sum(open_items.values()),
            "pulse_findings": len(pulse["findings"]) if pulse["built"] else None,
        },
        "tables": tables,
        "reconciliation": recon_rows,
        "quality": quality,
        "scenarios": scenarios,
        "notifications": notifications,
        "overrides": overrides,
        "pulse": pulse,
        "contracts": contracts,
        "upstream": upstream,
        "backlog": {
            "new": [_item(c) for c in changes if c["is_new"]],
            "recurring": [_item(c) for c in changes if not c["is_new"] and not c["is_resolved"] and c["events"]],
            "resolved": [_item(c) for c in resolved],
            "mean_resolve_hours": (round(sum(c["resolve_seconds"] for c in resolved) / len(resolved) / 3600, 2)
                                   if resolved else None),
        },
        "trend": [{
            "day": r["day"].isoformat(), "rows_moved": int(r["rows_moved"]), "open_items": r["open_items"],
            "mttr_hours": round(float(r["mttr_seconds"]) / 3600, 2) if r["mttr_seconds"] is not None else None,
            "quality_pass_rate": round(pass_rates[r["day"]], 4) if r["day"] in pass_rates else None,
        } for r in trend],
    }


def _item(row: dict) -> dict[str, Any]:
    keys = ("item_id", "fingerprint", "category", "severity", "owner", "title", "hint", "status", "events")
    item = {k: row[k] for k in keys}
    item["resolve_hours"] = round(row["resolve_seconds"] / 3600, 2) if row["resolve_seconds"] is not None else None
    return item


def _quality(conn: psycopg.Connection, params: dict) -> dict[str, Any]:
    if not _stage_exists(conn, QUALITY_TABLE):
        return {"built": False}
    counts = {r["outcome"]: r["count"] for r in conn.execute(named_sql(SQL, "quality_counts"), params)}
    total = sum(counts.values())
    problems = [{**r, "measured_value": _number(r["measured_value"])}
                for r in conn.execute(named_sql(SQL, "quality_problems"), params)]
    scopes = (conn.execute(named_sql(SQL, "quality_scopes"), params).fetchall()
              if _stage_exists(conn, SCAN_SCOPE_TABLE) else [])
    return {"built": True, "counts": counts, "total": total,
            "pass_rate": round(counts.get("pass", 0) / total, 4) if total else None, "problems": problems,
            "scopes": scopes}


def _notifications(conn: psycopg.Connection, params: dict) -> dict[str, Any]:
    """The day's notifications by state; those not delivered (yet) are listed: a silent channel shows here."""
    counts = {r["status"]: r["count"]
              for r in conn.execute(named_sql(NOTIFICATIONS_SQL, "notification_counts"), params)}
    undelivered = conn.execute(named_sql(NOTIFICATIONS_SQL, "undelivered"), params).fetchall()
    return {"counts": {s: counts.get(s, 0) for s in ("delivered", "pending", "expired")},
            "undelivered": [{**r, "created_at": r["created_at"].isoformat()} for r in undelivered]}


def _scenarios(conn: psycopg.Connection, params: dict) -> dict[str, Any]:
    if not _stage_exists(conn, SCENARIO_TABLE):
        return {"built": False}
    rows = conn.execute(named_sql(SQL, "scenario_status"), params).fetchall()
    return {"built": True, "rows": rows, "published": sum(r["status"] == "published" for r in rows),
            "skipped": sum(r["status"] == "skipped" for r in rows),
            "failed": sum(r["status"] == "failed" for r in rows)}
