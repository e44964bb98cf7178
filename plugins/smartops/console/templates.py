"""Render the console's pages: autoescaped Jinja templates in include/templates/console, times in Asia/Shanghai."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2

from smartops.business_date import BUSINESS_TZ
from smartops.paths import INCLUDE_DIR
from smartops.report.render import cny, metric_value, number, percent

TEMPLATES_DIR = INCLUDE_DIR / "templates" / "console"
STATIC_DIR = TEMPLATES_DIR / "static"
# The static files the pages load, by name, with their media types (nothing else is served).
STATIC_FILES = {"console.css": "text/css", "console.js": "text/javascript", "icon.svg": "image/svg+xml"}
# Pages load only their own scripts and styles; the stored report is framed by the report page only.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp as Asia/Shanghai wall-clock time; — when absent."""
    return "—" if value is None else value.astimezone(BUSINESS_TZ).strftime(fmt)


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} h"


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} s"


def http_url(value: str | None) -> str | None:
    """The value if it is an http(s) URL, else None: links from the ops record never run script."""
    return value if value and urlsplit(value).scheme in ("http", "https") else None


def json_text(value: Any) -> str:
    """A JSON value as readable text (Chinese kept); escaped by the template like any text."""
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


@cache
def environment() -> jinja2.Environment:
    """The console's Jinja environment: autoescaped, strict about undefined names."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(local=local, hours=hours, seconds=seconds, http_url=http_url, json_text=json_text, cny=cny,
                       number=number, percent=percent, metric_value=metric_value)
    return env


def render(template: str, **context: Any) -> str:
    """Render `template` (a file in include/templates/console) with `context`."""
    return environment().get_template(template).render(**context)
