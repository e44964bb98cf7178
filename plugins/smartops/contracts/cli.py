"""Command line: `python -m smartops.contracts write` regenerates the mart contracts; `check` verifies them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartops.config.catalog import catalog
from smartops.contracts.build import build_contracts
from smartops.contracts.exceptions import VersionNotBumped
from smartops.contracts.files import generated_files, stale_files, write_contracts
from smartops.contracts.lock import lock_problems, read_lock
from smartops.contracts.model import REGENERATE
from smartops.errors import ConfigError
from smartops.paths import PROJECT_ROOT


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Run `write` or `check`; return the exit code: 0 ok, 1 stale files or a version not bumped, 2 bad config."""
    parser = argparse.ArgumentParser(prog="python -m smartops.contracts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write", help="write docs/contracts/*.md, *.json and include/config/contracts.lock.json")
    commands.add_parser("check", help="exit 1 when the committed contracts differ from scenarios.yaml")
    args = parser.parse_args(argv)
    try:
        contracts = build_contracts(catalog().scenarios)
        if args.command == "write":
            changed = write_contracts(contracts)
            sys.stdout.write("".join(f"wrote {_shown(p)}\n" for p in changed) or "contracts up to date\n")
            return 0
    except VersionNotBumped as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    problems = lock_problems(contracts, read_lock()) + [
        f"{_shown(p)} is out of date: run {REGENERATE}" for p in stale_files(generated_files(contracts))]
    sys.stdout.write("".join(f"{p}\n" for p in problems) or "contracts up to date\n")
    return 1 if problems else 0
