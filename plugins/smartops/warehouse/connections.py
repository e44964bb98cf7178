"""Airflow connections as libpq conninfo strings: the one way every engine and Soda reach PostgreSQL.

The connection is resolved through the postgres provider's PostgresHook, so every libpq
parameter a user sets in the connection's extra (sslmode, sslcert, sslkey, sslrootcert,
target_session_attrs, options such as statement_timeout, …) reaches the session exactly as
the provider's own connections would get it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict, make_conninfo

LEVEL1_CONN_ID = "level1_source"
WAREHOUSE_CONN_ID = "level2_warehouse"


def conninfo(conn_id: str) -> str:
    """Return the libpq conninfo of Airflow connection `conn_id` (looked up now, at run time).

    Host, port, login, password and schema (the database) come from the connection; every extra
    the provider passes to libpq is kept. `application_name` defaults to `smartops:<conn_id>`.
    """
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    hook = PostgresHook(postgres_conn_id=conn_id)
    conn = hook.connection
    params: dict[str, object] = {
        "host": conn.host or None, "port": conn.port or None, "dbname": conn.schema or None,
        "user": conn.login or None, "password": conn.password or None,
        "application_name": f"smartops:{conn_id}",
    }
    params.update({key: value for key, value in conn.extra_dejson.items()
                   if key not in hook.ignored_extra_options})
    return make_conninfo("", **{key: str(value) for key, value in params.items() if value is not None})


def airflow_uri(conninfo_str: str) -> str:
    """The conninfo as the URI an Airflow connection takes (AIRFLOW_CONN_…): user, password, host, port, db."""
    params = conninfo_to_dict(conninfo_str)
    password = f":{quote(params['password'], safe='')}" if params.get("password") else ""
    return (f"postgresql://{quote(params.get('user', ''), safe='')}{password}@{params.get('host', 'localhost')}:"
            f"{params.get('port', 5432)}/{params.get('dbname', '')}")


def with_options(conninfo_str: str, *settings: str) -> str:
    """Append server settings (`-c name=value`) to the conninfo's `options`, keeping the user's own."""
    params = conninfo_to_dict(conninfo_str)
    extra = " ".join(f"-c {setting}" for setting in settings)
    params["options"] = f"{params['options']} {extra}" if params.get("options") else extra
    return make_conninfo("", **params)


def describe(conninfo_str: str) -> str:
    """host:port/dbname of a conninfo, for messages: never the credentials."""
    params = conninfo_to_dict(conninfo_str)
    return f"{params.get('host', 'localhost')}:{params.get('port', 5432)}/{params.get('dbname', '')}"


_SECRET_PARAMS = frozenset({"password", "sslpassword"})


def mask(conninfo_str: str) -> str:
    """The conninfo or URI with its password replaced by `***` (for anything printed or logged)."""
    if "://" in conninfo_str:
        parts = urlsplit(conninfo_str)
        if parts.password is not None:
            parts = parts._replace(netloc=f"{parts.username or ''}:***@{parts.netloc.rsplit('@', 1)[1]}")
        # libpq also takes the password (and a key's passphrase) as query parameters of the URI
        query = [(k, "***" if k in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        return urlunsplit(parts._replace(query=urlencode(query, safe="*/:")))
    params = conninfo_to_dict(conninfo_str)
    for key in _SECRET_PARAMS & set(params):
        params[key] = "***"
    return make_conninfo("", **params)
