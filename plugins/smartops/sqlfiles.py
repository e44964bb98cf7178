"""Read named SQL statements from `include/sql/<folder>/<file>.sql` (sections `-- name: <id>`)."""

from __future__ import annotations

import re
from functools import cache

from smartops.paths import SQL_DIR

_HEADER = re.compile(r"^-- name: ([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


class SqlFileError(KeyError):
    """A named statement is missing from its SQL file."""


@cache
def _statements(relative_path: str) -> dict[str, str]:
    text = (SQL_DIR / relative_path).read_text(encoding="utf-8")
    parts = _HEADER.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def named_sql(relative_path: str, name: str) -> str:
    """Return statement `name` of `include/sql/<relative_path>`; raise SqlFileError listing the names."""
    statements = _statements(relative_path)
    try:
        return statements[name]
    except KeyError:
        raise SqlFileError(
            f"statement {name!r} is not in include/sql/{relative_path}; it defines: {', '.join(statements)}"
        ) from None
