"""Locate the repository's folders, so code works from any working directory."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INCLUDE_DIR = PROJECT_ROOT / "include"
CONFIG_DIR = INCLUDE_DIR / "config"
SQL_DIR = INCLUDE_DIR / "sql"
SODA_DIR = INCLUDE_DIR / "soda"
LOCAL_DIR = PROJECT_ROOT / ".local"
