"""Read what the pulse detectors judge from the warehouse: daily volume series and newest cursors.

Thin reads of ops.sync_ledger (SQL in include/sql/pulse/history.sql) into the plain records the
detectors take; the caller owns the connection, so one judging run reads the whole inventory at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import psycopg

from smartops.business_date import BUSINESS_TZ
from smartops.pulse.volume import VolumePoint
from smartops.sqlfiles import named_sql

SQL = "pulse/history.sql"


def read_volume_series(conn: psycopg.Connection, table: str, first: date, last: date) -> list[VolumePoint]:
    """Return `table`'s per-business-date volume from `first` to `last` (dates without a committed
    incremental sync are absent: unknown, not 0)."""
    cursor = conn.execute(named_sql(SQL, "volume_series"), {"table": table, "first": first, "last": last})
    return [VolumePoint(day, inserted, updated, deleted) for day, inserted, updated, deleted in cursor]


def read_all_volume_series(conn: psycopg.Connection, first: date, last: date) -> dict[str, list[VolumePoint]]:
    """Return every table's per-business-date volume from `first` to `last`, keyed by inventory name."""
    series: dict[str, list[VolumePoint]] = defaultdict(list)
    for table, day, inserted, updated, deleted in conn.execute(
            named_sql(SQL, "volume_series_all"), {"first": first, "last": last}):
        series[table].append(VolumePoint(day, inserted, updated, deleted))
    return dict(series)


def read_newest_cursors(conn: psycopg.Connection, day: date) -> dict[str, str]:
    """Return each table's cursor (text form) after its latest committed sync of a business date up to `day`."""
    return {table: watermark for table, watermark, _ in conn.execute(named_sql(SQL, "newest_cursors"), {"day": day})}


def activity_date(watermark: str | None) -> date | None:
    """Return the business date (Asia/Shanghai) of a timestamp cursor, None for id cursors or no cursor."""
    if not watermark:
        return None
    try:
        at = datetime.fromisoformat(watermark)
    except ValueError:
        return None  # an increasing id says nothing about dates
    return (at if at.tzinfo else at.replace(tzinfo=BUSINESS_TZ)).astimezone(BUSINESS_TZ).date()
