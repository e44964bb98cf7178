"""Turn Airflow connections into libpq conninfo strings for the engines."""

from __future__ import annotations

from psycopg.conninfo import make_conninfo

LEVEL1_CONN_ID = "level1_source"
WAREHOUSE_CONN_ID = "level2_warehouse"


def conninfo(conn_id: str) -> str:
    """Return the libpq conninfo of Airflow connection `conn_id` (looked up at call time)."""
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id)
    params = {
        "host": conn.host or None,
        "port": conn.port or None,
        "dbname": conn.schema or None,
        "user": conn.login or None,
        "password": conn.password or None,
        "application_name": f"smartops:{conn_id}",
    }
    extra = conn.extra_dejson
    for key in ("sslmode", "sslrootcert", "connect_timeout", "options"):
        if key in extra:
            params[key] = extra[key]
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})
