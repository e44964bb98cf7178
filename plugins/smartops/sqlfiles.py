"""Read named SQL statements from `.sql` files (sections `-- name: <id>`) under a folder of SQL.

The product's statements live under `include/sql/<folder>/<file>.sql` (`named_sql`); the
workbench keeps its own folder (the demo Level-1's SQL) and reads it the same way.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from smartops.paths import PROJECT_ROOT, SQL_DIR

_HEADER = re.compile(r"^-- name: ([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


class SqlFileError(KeyError):
    """A named statement is missing from its SQL file."""


@cache
def _statements(path: Path) -> dict[str, str]:
    parts = _HEADER.split(path.read_text(encoding="utf-8"))
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


class SqlFolder:
    """A folder of named-statement SQL files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Named in messages as the repository sees it (include/sql, workbench/demo/sql).
        self.label = root.relative_to(PROJECT_ROOT).as_posix() if root.is_relative_to(PROJECT_ROOT) else str(root)

    def named(self, relative_path: str, name: str) -> str:
        """Return statement `name` of `<root>/<relative_path>`; raise SqlFileError listing the names."""
        statements = _statements(self.root / relative_path)
        try:
            return statements[name]
        except KeyError:
            raise SqlFileError(
                f"statement {name!r} is not in {self.label}/{relative_path}; it defines: {', '.join(statements)}"
            ) from None


PRODUCT_SQL = SqlFolder(SQL_DIR)


def named_sql(relative_path: str, name: str) -> str:
    """Return statement `name` of `include/sql/<relative_path>`; raise SqlFileError listing the names."""
    return PRODUCT_SQL.named(relative_path, name)
