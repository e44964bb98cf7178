"""The one row writer of the demo: buffered COPY into the l1 tables, with the counters rows are numbered by.

The history generator and the day simulator both write every new row through a RowWriter, so a row
looks the same whichever wrote it. Rows are tab-separated COPY text (see values.py) sent in bounded
batches; ids continue from where the table stands, and running numbers (voucher numbers run per org and
period) continue from what the caller preloads.
"""

from __future__ import annotations

from collections.abc import Mapping

import psycopg
from psycopg import sql

from workbench.demo.reference import SCHEMA, TABLE_COLUMNS


class RowWriter:
    """Queue COPY text rows per table, flush them in bounded batches, and hand out ids and numbers."""

    def __init__(
        self,
        cur: psycopg.Cursor,
        next_ids: Mapping[str, int] | None = None,
        numbers: Mapping[tuple[str, ...], int] | None = None,
        flush_chars: int = 4 << 20,
    ) -> None:
        self._cur = cur
        self._flush_chars = flush_chars
        self._buffers: dict[str, list[str]] = {table: [] for table in TABLE_COLUMNS}
        self._sizes: dict[str, int] = dict.fromkeys(TABLE_COLUMNS, 0)
        self.next_ids: dict[str, int] = {**dict.fromkeys(TABLE_COLUMNS, 1), **(next_ids or {})}
        self.numbers: dict[tuple[str, ...], int] = dict(numbers or {})
        self.counts: dict[str, int] = dict.fromkeys(TABLE_COLUMNS, 0)

    def new_id(self, table: str) -> int:
        """Return the next primary key of a table."""
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def new_ids(self, table: str, count: int) -> range:
        """Return the next ``count`` primary keys of a table."""
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return range(first, first + count)

    def next_number(self, key: tuple[str, ...]) -> int:
        """Return the next running number of a sequence (1 for a sequence not seen yet)."""
        value = self.numbers.get(key, 0) + 1
        self.numbers[key] = value
        return value

    def add(self, table: str, line: str) -> None:
        """Queue one tab-separated row (without newline) for a table."""
        self._buffers[table].append(line)
        self._sizes[table] += len(line)
        if self._sizes[table] >= self._flush_chars:
            self.flush(table)

    def add_rows(self, table: str, lines: list[str]) -> None:
        """Queue several rows for a table."""
        self._buffers[table] += lines
        self._sizes[table] += sum(map(len, lines))
        if self._sizes[table] >= self._flush_chars:
            self.flush(table)

    def flush(self, table: str) -> None:
        """Send a table's queued rows with one COPY."""
        buffer = self._buffers[table]
        if not buffer:
            return
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(SCHEMA, table), sql.SQL(", ").join(map(sql.Identifier, TABLE_COLUMNS[table]))
        )
        with self._cur.copy(statement) as copy:
            copy.write("\n".join(buffer) + "\n")
        self.counts[table] += len(buffer)
        buffer.clear()
        self._sizes[table] = 0

    def flush_all(self) -> None:
        """Send every table's queued rows."""
        for table in TABLE_COLUMNS:
            self.flush(table)
