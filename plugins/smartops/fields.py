"""Validated field types shared by every config model: SQL identifiers, qualified names, durations."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise ValueError(
            f"{value!r} is not a plain SQL identifier (lower-case letters, digits, underscore; "
            "starting with a letter or underscore; at most 63 characters)"
        )
    return value


def _qualified(value: str) -> str:
    parts = value.split(".")
    if len(parts) != 2:
        raise ValueError(f"{value!r} must be schema.table, e.g. l1.gl_voucher_line")
    for part in parts:
        _identifier(part)
    return value


def _clock(value: object) -> object:
    # Unquoted, YAML 1.1 reads 10:30 as the number 630: insist on a quoted string.
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise ValueError(f"{value!r} is not a time of day like \"08:00\" (quoted, 24-hour, Asia/Shanghai)")
    return value


def parse_clock(value: str) -> time:
    """Parse a validated "HH:MM" into a time of day."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def parse_duration(value: str) -> timedelta:
    """Parse '90s', '30m', '6h' or '2d' into a timedelta."""
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30m, 6h or 2d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _duration(value: str) -> str:
    parse_duration(value)
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
QualifiedName = Annotated[str, AfterValidator(_qualified)]
Duration = Annotated[str, AfterValidator(_duration)]
ClockTime = Annotated[str, BeforeValidator(_clock)]
