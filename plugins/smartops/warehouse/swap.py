"""Publish a freshly built table atomically: the one swap every stage uses (ods, dwd/dws, ads).

A stage builds `<schema>.<name>` under another name (or in a staging schema) inside its
transaction, then calls `swap_in`: readers see the old table or the new one, never a half
one, and a failure rolls back to the old table. `lock_object` serialises builds of one object.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from smartops.errors import SmartopsError, WarehouseUnreachable
from smartops.sqlfiles import named_sql

# A reader holding the old table longer than this fails the swap (retryable) instead of
# queueing every other reader of the table behind the swap's ACCESS EXCLUSIVE lock.
LOCK_TIMEOUT = "1min"


# How long a run waits for another run of the same object before it gives up (retryable).
OBJECT_LOCK_WAIT = "5min"


class ObjectBusy(WarehouseUnreachable):
    """Another run held the object's lock for longer than the wait; the task retries by itself."""

    def __init__(self, key: str, wait: str) -> None:
        SmartopsError.__init__(self, f"{key}: another run has held its lock for more than {wait} (a long build, or a "
                                     "zombie attempt); nothing was read or written. The task retries by itself; if it "
                                     "keeps failing, look for the other session in pg_stat_activity.")
        self.subject = key


def lock_object(conn: psycopg.Connection, key: str, *, wait: str = OBJECT_LOCK_WAIT) -> None:
    """Take the transaction-level advisory lock of `key`: one build of an object at a time.

    A retry that overlaps a zombie attempt waits for it (at most `wait`, then ObjectBusy) instead of racing it.
    """
    conn.execute("SELECT set_config('lock_timeout', %s, true)", (wait,))
    try:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))
    except psycopg.errors.LockNotAvailable as exc:
        raise ObjectBusy(key, wait) from exc
    conn.execute("SET LOCAL lock_timeout TO DEFAULT")


def swap_in(conn: psycopg.Connection, *, staged: tuple[str, str], target: tuple[str, str],
            comment: str | None = None) -> None:
    """Replace table `target` (schema, name) by table `staged` inside the caller's transaction.

    Sets a local lock_timeout, drops the old table, moves/renames the staged one in and renames
    its constraints and indexes from the staged name to the target name (`x__build_pkey` →
    `x_pkey`), so the next build can use the staged name again.
    """
    (stage_schema, stage_name), (schema, name) = staged, target
    conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(schema, name)))
    if stage_schema != schema:
        conn.execute(sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(
            sql.Identifier(stage_schema, stage_name), sql.Identifier(schema)))
    if stage_name != name:
        conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(
            sql.Identifier(schema, stage_name), sql.Identifier(name)))
        _rename_constraints(conn, schema, name, stage_name)
    if comment is not None:
        conn.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(sql.Identifier(schema, name), sql.Literal(comment)))


def _rename_constraints(conn: psycopg.Connection, schema: str, name: str, stage_name: str) -> None:
    """Rename constraints (and their indexes) named after the staged table to the target's name."""
    rows = conn.execute(named_sql("warehouse/swap.sql", "staged_constraints"),
                        {"schema": schema, "table": name, "prefix": f"{stage_name}_"}).fetchall()
    for (constraint,) in rows:
        renamed = f"{name}_{constraint[len(stage_name) + 1:]}"
        conn.execute(sql.SQL("ALTER TABLE {} RENAME CONSTRAINT {} TO {}").format(
            sql.Identifier(schema, name), sql.Identifier(constraint), sql.Identifier(renamed)))
