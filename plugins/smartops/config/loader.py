"""The one config loader: YAML file -> validated pydantic model, errors naming file, entry, field."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from smartops.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class UnknownEntry(ConfigError, KeyError):
    """A name was looked up that its config file does not define (e.g. a table removed from the inventory)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def _describe(location: tuple, data: object, list_key: str) -> str:
    """Render a pydantic error location as `entry 'name' (#3), field 'mode'`."""
    parts = list(location)
    if len(parts) >= 2 and parts[0] == list_key and isinstance(parts[1], int):
        index = parts[1]
        entries = data.get(list_key) if isinstance(data, dict) else None
        name = None
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            name = entries[index].get("name") or entries[index].get("id")
        label = f"entry {name!r} (#{index + 1})" if name else f"entry #{index + 1}"
        rest = ".".join(str(p) for p in parts[2:])
        return f"{label}, field {rest!r}" if rest else label
    return "field " + repr(".".join(str(p) for p in parts)) if parts else "top level"


def load_model(path: Path, model: type[M], *, list_key: str, context: Mapping[str, Any] | None = None) -> M:
    """Read `path` and validate it as `model`; raise ConfigError naming file, entry and field.

    context carries what the file's validation checks against but does not own (e.g. the tables other
    files define); the catalog passes it, so no model loads another file itself.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    return parse_model(text, path, model, list_key=list_key, context=context)


def parse_model(text: str, source: Path | str, model: type[M], *, list_key: str,
                context: Mapping[str, Any] | None = None) -> M:
    """Validate YAML `text` as `model`; errors name `source` (the file), the entry and the field."""
    path = source
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with a '{list_key}:' list at the top level")
    try:
        return model.model_validate(data, context=dict(context or {}))
    except ValidationError as exc:
        problems = [
            f"{path}: {_describe(err['loc'], data, list_key)}: {err['msg']}"
            for err in exc.errors(include_url=False)
        ]
        raise ConfigError("\n".join(problems)) from None
