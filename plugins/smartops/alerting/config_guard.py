"""A broken config file never blinds alerting: validate it, remember it, fall back to the last good copy.

Every time a config file validates, its text is kept in ops.config_snapshot. When it does not (a
typo in alerting.yaml or the inventory), the alert path goes on with the last known good copy —
or with safe defaults when there is none — and the problem is itself raised as a `config` alert
naming file, entry and field (smartops.alerting.service does that with the copy it got here).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import psycopg
from pydantic import BaseModel

from smartops.config.alerting import AlertingConfig, alerting_path
from smartops.config.inventory import INVENTORY_PATH, Inventory
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
    fallback: str | None = None  # where `value` came from when the file was broken


def guarded_alerting(warehouse: str) -> Guarded[AlertingConfig]:
    """alerting.yaml, else its last known good copy, else the defaults (record and route, no channels)."""
    guarded = _guard(warehouse, alerting_path(), AlertingConfig, list_key="channels")
    if guarded.value is None:
        return Guarded(guarded.name, AlertingConfig(), guarded.problem, "built-in defaults (no channels)")
    return guarded


def guarded_inventory(warehouse: str) -> Guarded[Inventory]:
    """The backflow inventory, else its last known good copy, else None (callers use their defaults)."""
    return _guard(warehouse, INVENTORY_PATH, Inventory, list_key="tables")


def _guard(warehouse: str, path: Path, model: type[M], *, list_key: str) -> Guarded[M]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        value = parse_model(text, path, model, list_key=list_key)
    except (ConfigError, OSError) as exc:
        problem = exc if isinstance(exc, ConfigError) else ConfigError(f"{path}: cannot be read: {exc}")
        value, fallback = _recall(warehouse, name, model, list_key)
        log.error("%s is broken; alerting uses %s: %s", name, fallback, problem)
        return Guarded(name, value, problem, fallback)
    try:
        with psycopg.connect(warehouse) as conn:
            conn.execute(named_sql(SQL, "remember"), {
                "name": name, "content": text, "checksum": hashlib.sha256(text.encode()).hexdigest()})
    except psycopg.Error:  # the alert path itself will report the warehouse; the file is fine
        log.warning("could not keep %s as the last known good copy", name, exc_info=True)
    return Guarded(name, value)


def _recall(warehouse: str, name: str, model: type[M], list_key: str) -> tuple[M | None, str]:
    try:
        with psycopg.connect(warehouse) as conn:
            row = conn.execute(named_sql(SQL, "recall"), {"name": name}).fetchone()
    except psycopg.Error:
        return None, "no copy (the warehouse is unreachable)"
    if row is None:
        return None, "no copy (none was ever validated)"
    content, validated_at = row
    return (parse_model(content, f"{name} (last known good)", model, list_key=list_key),
            f"the last known good copy validated at {validated_at:%Y-%m-%d %H:%M:%S%z}")
