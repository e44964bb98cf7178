"""Sensitive values are never shown in full: samples, alerts, the report and the console mask them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

VISIBLE_TAIL = 4  # a masked value keeps its last characters, enough to recognise an account


def mask_value(value: Any) -> Any:
    """`6222021234567890` → `************7890`; short values and non-text values are masked whole."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= VISIBLE_TAIL * 2:
        return "*" * len(text)
    return "*" * (len(text) - VISIBLE_TAIL) + text[-VISIBLE_TAIL:]


def mask_rows(rows: Iterable[dict[str, Any]], sensitive: Collection[str]) -> list[dict[str, Any]]:
    """The rows with every sensitive column's value masked."""
    return [{k: mask_value(v) if k in sensitive else v for k, v in row.items()} for row in rows]
