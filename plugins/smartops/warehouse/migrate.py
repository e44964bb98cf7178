"""Apply the versioned warehouse migrations in `include/sql/ops/`, each exactly once."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from smartops.paths import SQL_DIR
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

MIGRATIONS_DIR = SQL_DIR / "ops"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Serialises concurrent migrators (two workers starting at once).
_LOCK_KEY = 7_310_001
_SQL = "warehouse/migrate.sql"


class MigrationError(RuntimeError):
    """A migration file is misnamed, or an applied one was edited afterwards."""


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Return the migrations in version order; reject misnamed or duplicate versions."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_description.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"{path}: version {version} is also used by {found[version].path.name}")
        found[version] = Migration(version, path)
    return [found[v] for v in sorted(found)]


def migrate(conninfo: str, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    applied_now: list[int] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(named_sql(_SQL, "lock"), {"key": _LOCK_KEY})
        try:
            conn.execute(named_sql(_SQL, "bootstrap"))
            done = dict(conn.execute(named_sql(_SQL, "applied")).fetchall())
            for migration in discover(directory):
                if migration.version in done:
                    if done[migration.version] != migration.checksum:
                        raise MigrationError(
                            f"{migration.path.name} changed after it was applied; "
                            "add a new migration instead of editing an applied one"
                        )
                    continue
                with conn.transaction():
                    conn.execute(migration.path.read_text())
                    conn.execute(named_sql(_SQL, "record"), {
                        "version": migration.version, "name": migration.path.name, "checksum": migration.checksum})
                log.info("Applied migration %s", migration.path.name)
                applied_now.append(migration.version)
        finally:
            conn.execute(named_sql(_SQL, "unlock"), {"key": _LOCK_KEY})
    return applied_now
