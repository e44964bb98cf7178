"""Level-1, read-only: the load's snapshot session, and a second session sharing its snapshot.

Every Level-1 session refuses writes (`default_transaction_read_only=on`) and reads inside one
REPEATABLE READ snapshot. A whole-table reconciliation scans Level-1 on a second session that
imports the load's snapshot (`BackgroundRead`), so the scan runs while the load copies; when the
load fails, the scan is cancelled instead of running on against a production server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from smartops.backflow.exceptions import ReadOnlyConflict
from smartops.warehouse.connections import with_options

log = logging.getLogger(__name__)

# Level-1 sessions one sync holds at once: the load's snapshot and the background read sharing it.
# The level1_source pool counts connections, so each backflow task takes this many of its slots.
SOURCE_SESSIONS = 2
# How long a cancelled background read may take to end before the sync stops waiting for it.
CANCEL_WAIT_S = 30
T = TypeVar("T")


def connect_source(conninfo: str) -> psycopg.Connection:
    """Open Level-1 read-only: the session refuses writes even if the role could make them.

    The user's own `options` (e.g. statement_timeout) are kept; read-only is added to them.
    Raise ReadOnlyConflict when the connection asks libpq for a writable server.
    """
    attrs = conninfo_to_dict(conninfo).get("target_session_attrs")
    if attrs in ("read-write", "primary"):
        raise ReadOnlyConflict(attrs)
    conn = psycopg.connect(with_options(conninfo, "default_transaction_read_only=on"))
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


class BackgroundRead(Generic[T]):
    """Run `read(conn)` on a second Level-1 session in `src`'s snapshot, in a thread; a context manager.

    Leaving the block with an error cancels the read (its query is cancelled at Level-1 and the
    session closed); `result()` waits for it and returns its value or raises its error.
    """

    def __init__(self, conninfo: str, src: psycopg.Connection, read: Callable[[psycopg.Connection], T],
                 label: str) -> None:
        self._snapshot = src.execute("SELECT pg_export_snapshot()").fetchone()[0]
        self._conninfo, self._read, self._label = conninfo, read, label
        self._conn: psycopg.Connection | None = None
        self._cancelled = threading.Event()
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"level1-{label}")
        self._future: Future[T] = pool.submit(self._run)
        pool.shutdown(wait=False)  # the submitted read still runs; nothing else will be queued

    def __enter__(self) -> BackgroundRead[T]:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if error_type is not None:
            self.cancel()

    def _run(self) -> T:
        with connect_source(self._conninfo) as conn:
            self._conn = conn
            with conn.transaction():
                conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(self._snapshot)))
                if self._cancelled.is_set():
                    raise psycopg.errors.QueryCanceled(f"{self._label}: cancelled before it started")
                return self._read(conn)

    def result(self) -> T:
        return self._future.result()

    def cancel(self) -> None:
        """Cancel the read at Level-1 and wait (bounded) until its session is closed."""
        self._cancelled.set()
        conn = self._conn
        if conn is not None and not self._future.done():
            conn.cancel_safe()
        try:
            self._future.result(timeout=CANCEL_WAIT_S)
        except Exception:  # noqa: BLE001 — the load's own error is the one that matters
            log.info("%s: background read cancelled", self._label)
