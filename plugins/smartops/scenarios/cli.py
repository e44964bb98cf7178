"""Command line: `python -m smartops impact <layer.table>` lists the scenario marts a table feeds."""

from __future__ import annotations

import argparse
import sys

from smartops.config.loader import ConfigError
from smartops.scenarios.exceptions import UnknownTable
from smartops.scenarios.impact import affected_scenarios


def main(argv: list[str] | None = None) -> int:
    """Run the `impact` command; return the exit code (0 ok, 2 unknown table or bad config)."""
    parser = argparse.ArgumentParser(prog="smartops", description="Scenario mart tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    impact = commands.add_parser("impact", help="list the scenarios a table feeds (downstream impact)")
    impact.add_argument("table", help="layer.table, e.g. ods.ar_invoice, dwd.voucher_line, dws.gl_balance")
    args = parser.parse_args(argv)
    try:
        impacts = affected_scenarios(args.table)
    except (UnknownTable, ConfigError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if not impacts:
        sys.stdout.write(f"{args.table}: no scenario mart reads it\n")
        return 0
    sys.stdout.write(f"{args.table} feeds {len(impacts)} scenario(s):\n")
    for item in impacts:
        sys.stdout.write(f"  {item.scenario.id:<20} {item.scenario.title_zh} / {item.scenario.title_en}"
                         f"  (owner {item.scenario.owner}; via {' → '.join(item.path)})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
