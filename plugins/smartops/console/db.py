"""The console's warehouse sessions: read-only, in Asia/Shanghai, failures named with the target."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.rows import dict_row

from smartops.business_date import BUSINESS_TIMEZONE
from smartops.console.errors import WarehouseUnavailable
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo, describe, with_options


@contextmanager
def read_session(warehouse: str) -> Iterator[psycopg.Connection]:
    """A read-only session on the warehouse whose timestamps come back in Asia/Shanghai (dict rows).

    Read-only so that no page can write by mistake; triage writes through smartops.alerting.backlog.
    Raises WarehouseUnavailable naming host:port/db when the warehouse cannot be reached.
    """
    target = with_options(warehouse, f"TimeZone={BUSINESS_TIMEZONE}", "default_transaction_read_only=on")
    try:
        conn = psycopg.connect(target, row_factory=dict_row, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise WarehouseUnavailable(describe(warehouse), exc) from exc
    with conn:
        yield conn


def warehouse_conninfo() -> str:
    """The warehouse conninfo from Airflow connection level2_warehouse, looked up per request.

    Raises WarehouseUnavailable naming the connection when it is not defined.
    """
    from airflow.exceptions import AirflowNotFoundException

    try:
        return conninfo(WAREHOUSE_CONN_ID)
    except AirflowNotFoundException as exc:
        raise WarehouseUnavailable(WAREHOUSE_CONN_ID, "the Airflow connection is not defined") from exc
