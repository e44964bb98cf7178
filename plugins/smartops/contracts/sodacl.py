"""Read what a SodaCL check file promises: each check's name and rule, the grain, the required columns."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from smartops.contracts.model import MartCheck
from smartops.errors import ConfigError

_GRAIN = re.compile(r"^duplicate_count\((?P<columns>[^)]+)\)\s*=\s*0$")


def _items(path: Path, table: str) -> list[tuple[str, dict]]:
    """The (expression, settings) pairs under `checks for <table>:`; raise ConfigError when it is missing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    checks = data.get(f"checks for {table}") if isinstance(data, dict) else None
    if not isinstance(checks, list):
        raise ConfigError(f"{path}: no 'checks for {table}:' list; the contract of {table} is built from it")
    items = []
    for check in checks:
        if isinstance(check, str):
            items.append((check, {}))
        elif isinstance(check, dict) and len(check) == 1:
            [(expression, settings)] = check.items()
            items.append((str(expression), settings if isinstance(settings, dict) else {}))
    return items


def _rule(expression: str, settings: dict) -> str:
    if expression == "schema":
        required = settings.get("fail", {}).get("when required column missing", [])
        return f"required columns: {', '.join(required)}" if required else "schema"
    if expression == "failed rows":
        return (f"no row where {settings['fail condition']}" if "fail condition" in settings
                else "no row returned by its fail query")
    valid = settings.get("valid values")
    return f"{expression} (valid values: {', '.join(map(str, valid))})" if valid else expression


def read_checks(path: Path, table: str) -> list[MartCheck]:
    """Each check of `table` in `path`: its name (or expression) and its rule in words."""
    return [MartCheck(name=str(settings.get("name") or expression), rule=_rule(expression, settings))
            for expression, settings in _items(path, table)]


def grain(path: Path, table: str) -> list[str] | None:
    """The columns of the first `duplicate_count(…) = 0` check: one row per their values."""
    for expression, _ in _items(path, table):
        match = _GRAIN.match(expression.strip())
        if match:
            return [c.strip() for c in match.group("columns").split(",")]
    return None


def required_columns(path: Path, table: str) -> list[str]:
    """The columns the schema check requires."""
    return [c for expression, settings in _items(path, table) if expression == "schema"
            for c in settings.get("fail", {}).get("when required column missing", [])]
