"""The report's 一级协同 figures: the time to resolve split into ours and Level-1's, and who still owes what.

An item's clock runs for Level-1 while it awaits them (ops.backlog_item.awaiting_seconds) and for us
otherwise, so a problem Level-1 sat on for a week does not read as our slowness, and the other way round.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import psycopg

from smartops.business_date import BUSINESS_TIMEZONE, BUSINESS_TZ
from smartops.sqlfiles import named_sql

SQL = "alerting/upstream.sql"


def upstream_figures(conn: psycopg.Connection, first: date, last: date) -> dict[str, Any]:
    """The split of what was resolved on business dates first..last, and the items open at the end of `last`
    (`conn` returns dict rows).

    {resolved, upstream_resolved, ours_hours, upstream_hours, open: [{owner, items, oldest_hours, list}]}
    """
    until = datetime.combine(last + timedelta(days=1), time.min, BUSINESS_TZ)
    split = conn.execute(named_sql(SQL, "resolve_time_split"),
                         {"first": first, "last": last, "tz": BUSINESS_TIMEZONE}).fetchone()
    owners: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(named_sql(SQL, "open_by_owner"), {"until": until}).fetchall():
        owners[row["level1_owner"]].append({
            "item_id": row["item_id"], "status": row["status"], "severity": row["severity"],
            "object": row["object_name"], "check": row["check_name"], "title": row["title"],
            "age_hours": _hours(row["age_seconds"]), "awaiting_hours": _hours(row["awaiting_seconds"]),
        })
    return {
        "resolved": split["resolved"], "upstream_resolved": split["upstream_resolved"],
        "ours_hours": _hours(split["ours_seconds"]), "upstream_hours": _hours(split["upstream_seconds"]),
        "open": [{"owner": owner, "items": len(items), "oldest_hours": max(i["age_hours"] for i in items),
                  "list": items} for owner, items in sorted(owners.items())],
    }


def _hours(seconds: Any) -> float | None:
    return round(float(seconds) / 3600, 2) if seconds is not None else None
