"""The report's view of the data's pulse: findings, volume bands, SLA attainment, the month-end close."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from smartops.business_date import BUSINESS_TIMEZONE
from smartops.calendar import default_calendar
from smartops.config.catalog import catalog
from smartops.sqlfiles import named_sql

SQL = "report/pulse.sql"
WINDOW_DAYS = 30
BAND_CHARTS = 6  # the tables with findings first, then the busiest ones
DEFAULT_DEADLINE = "08:00"


def pulse_figures(conn: psycopg.Connection, day: date) -> dict[str, Any]:
    """The pulse sections of the report of `day` (JSON-ready): what was found, and the trends around it."""
    if not _built(conn, "ops.pulse_verdict"):
        return {"built": False}
    first = day - timedelta(days=WINDOW_DAYS - 1)
    verdicts = [_json(r) for r in conn.execute(named_sql(SQL, "verdicts_of_day"), {"day": day})]
    bands: dict[str, list[dict]] = {}
    for row in conn.execute(named_sql(SQL, "volume_bands"), {"first": first, "day": day}):
        bands.setdefault(row["table_name"], []).append(_json(row))
    flagged = {v["table_name"] for v in verdicts if v["finding"]}
    chosen = sorted(bands, key=lambda t: (t not in flagged, -max(p["observed"] or 0 for p in bands[t])))
    return {
        "built": True,
        "findings": [v for v in verdicts if v["finding"]],
        "judged": len({v["table_name"] for v in verdicts}),
        "volume": [v for v in verdicts if v["category"] == "volume"],
        "bands": {t: bands[t] for t in chosen[:BAND_CHARTS]},
        "sla": _sla(conn, first, day),
        "drift": [_json(r) for r in conn.execute(named_sql(SQL, "drift_of_day"), {"day": day})],
        "close": _close(conn, day),
    }


def _sla(conn: psycopg.Connection, first: date, day: date) -> list[dict[str, Any]]:
    """Per business date: tables synced for it, marts published for it by their deadline (the contract's)."""
    scenarios, tables = catalog().scenarios.scenarios, catalog().inventory.names
    params = {"first": first, "day": day, "tables": tables, "tz": BUSINESS_TIMEZONE,
              "deadlines": json.dumps({s.id: s.deadline or DEFAULT_DEADLINE for s in scenarios})}
    synced = conn.execute(named_sql(SQL, "tables_on_time"), params).fetchall()
    marts = ({r["day"]: r["on_time"] for r in conn.execute(named_sql(SQL, "marts_on_time"), params)}
             if _built(conn, "ops.scenario_refresh") else {})
    return [{"day": r["day"].isoformat(), "tables_on_time": r["on_time"], "tables_total": len(tables),
             "marts_on_time": marts.get(r["day"]), "marts_total": len(scenarios),
             "tables_rate": r["on_time"] / len(tables) if tables else None,
             "marts_rate": marts[r["day"]] / len(scenarios) if scenarios and r["day"] in marts else None}
            for r in synced]


def _close(conn: psycopg.Connection, day: date) -> dict[str, Any] | None:
    """The latest month-end close window that has begun by `day`: its days' volumes and findings."""
    calendar = default_calendar()
    period_day = day.replace(day=1) - timedelta(days=1)  # the month the latest close closes
    window = [d for d in calendar.close_window(period_day) if d <= day]
    if not window:
        period_day = period_day.replace(day=1) - timedelta(days=1)
        window = calendar.close_window(period_day)
    rows = conn.execute(named_sql(SQL, "close_days"), {"days": window}).fetchall()
    return {"period": calendar.period_of(period_day), "days": [_json(r) for r in rows]}


def _built(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute(named_sql("report/figures.sql", "stage_table"), {"name": table}).fetchone()["present"]


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
            for k, v in row.items()}
