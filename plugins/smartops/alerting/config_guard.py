"""A broken config file never blinds alerting: validate it, remember it, fall back to the last good copy.

Every time a config file validates, its text is kept in ops.config_snapshot (secrets it may embed,
such as the heartbeat URL, redacted). When it does not (a typo in alerting.yaml or the inventory),
the alert path goes on with the last known good copy — or with safe defaults when there is none —
and the problem is itself raised as a `config` alert naming file, entry and field
(smartops.alerting.service.open_context does that with what it got here).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Generic, TypeVar

import psycopg
from pydantic import BaseModel

from smartops.config.alerting import AlertingConfig, alerting_path
from smartops.config.inventory import Inventory, inventory_path
from smartops.config.loader import parse_model
from smartops.errors import ConfigError
from smartops.sqlfiles import named_sql

log = logging.getLogger(__name__)

SQL = "alerting/config_guard.sql"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Guarded(Generic[M]):
    """A config as the alert path may use it, and what was wrong with the file (None when it is fine)."""

    name: str
    value: M | None
    problem: ConfigError | None = None
    fallback: Fallback | None = None  # where `value` came from when the file was broken
    validated_at: datetime | None = None  # when the last known good copy was validated


class Fallback(StrEnum):
    """What the alert path runs on while a file is broken (smartops.notify.words names each)."""

    LAST_GOOD = "last_good"
    DEFAULTS = "defaults"
    NONE = "none"


def guard_alerting(conn: psycopg.Connection) -> Guarded[AlertingConfig]:
    """alerting.yaml, else its last known good copy, else the defaults (record and route, no channels)."""
    guarded = _guard(conn, alerting_path(), AlertingConfig, list_key="channels")
    if guarded.value is None:
        return Guarded(guarded.name, AlertingConfig(), guarded.problem, Fallback.DEFAULTS)
    return guarded


def guard_inventory(conn: psycopg.Connection) -> Guarded[Inventory]:
    """The backflow inventory, else its last known good copy, else None (callers use their defaults)."""
    return _guard(conn, inventory_path(), Inventory, list_key="tables")


def _guard(conn: psycopg.Connection, path: Path, model: type[M], *, list_key: str) -> Guarded[M]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        value = parse_model(text, path, model, list_key=list_key)
    except (ConfigError, OSError) as exc:
        problem = exc if isinstance(exc, ConfigError) else ConfigError(f"{path}: cannot be read: {exc}")
        value, validated_at = _recall(conn, name, model, list_key)
        fallback = Fallback.LAST_GOOD if value is not None else Fallback.NONE
        log.error("%s is broken; alerting uses %s (validated %s): %s", name, fallback.value, validated_at, problem)
        return Guarded(name, value, problem, fallback, validated_at)
    with conn.transaction():  # a savepoint: keeping the copy never breaks the guard's own transaction
        conn.execute(named_sql(SQL, "remember"), {
            "name": name, "content": _redacted(value, text), "checksum": hashlib.sha256(text.encode()).hexdigest()})
    return Guarded(name, value)


def _redacted(value: BaseModel, text: str) -> str:
    """The validated config to keep, as JSON (valid YAML), without a secret it may embed.

    The heartbeat URL carries its check's key: the copy has none, so a watchdog running on the copy
    stops pinging and the dead-man's switch raises its own alarm.
    """
    data = value.model_dump(mode="json", exclude_unset=False)
    if isinstance(data.get("watchdog"), dict):
        data["watchdog"]["heartbeat_url"] = None
    return json.dumps(data, ensure_ascii=False)


def _recall(conn: psycopg.Connection, name: str, model: type[M], list_key: str) -> tuple[M | None, datetime | None]:
    row = conn.execute(named_sql(SQL, "recall"), {"name": name}).fetchone()
    if row is None:
        return None, None
    content, validated_at = row
    return parse_model(content, f"{name} (last known good)", model, list_key=list_key), validated_at
