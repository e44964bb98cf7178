"""Command line: `python -m smartops inventory propose <schema.table>` and `… inventory check`.

`propose` prints the entry as YAML to paste under `tables:` (stdout, pipeable); logs go to stderr.
Neither command writes the inventory file. Level-1 is reached read-only through `--source`, else
the Airflow connection level1_source.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TextIO

import psycopg

from smartops.config.inventory import load_inventory
from smartops.errors import ConfigError
from smartops.inventory.check import check
from smartops.inventory.model import HealthStatus
from smartops.inventory.propose import propose
from smartops.inventory.render import health_line, proposal_yaml

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m smartops inventory", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    source_help = ("libpq conninfo of Level-1 (default: the Airflow connection level1_source; prefer it, a "
                   "password on a command line shows in ps)")
    propose_cmd = commands.add_parser("propose", help="propose an inventory entry for one Level-1 table")
    propose_cmd.add_argument("table", help='schema.table, e.g. l1.gl_voucher_line or "Finance"."GL Lines"')
    propose_cmd.add_argument("--source", help=source_help)
    check_cmd = commands.add_parser("check", help="check every inventory entry live against Level-1")
    check_cmd.add_argument("--source", help=source_help)
    check_cmd.add_argument("--inventory", type=Path, default=None,
                           help="the inventory file to check (default: the one in use)")
    return parser


def _source(args: argparse.Namespace) -> str:
    if args.source:
        return args.source
    from smartops.warehouse.connections import LEVEL1_CONN_ID, conninfo

    return conninfo(LEVEL1_CONN_ID)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; return the exit code: 0 ok, 1 an entry is red (check), 2 bad input or unreachable."""
    out = out or sys.stdout
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.command == "propose":
            out.write(proposal_yaml(propose(_source(args), args.table)))
            return 0
        results = check(_source(args), load_inventory(args.inventory))
    except (ConfigError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except psycopg.OperationalError as exc:
        sys.stderr.write(f"error: Level-1 is unreachable: {' '.join(str(exc).split())}\n")
        return 2
    for health in results:
        out.write(health_line(health) + "\n")
    red = [h.table for h in results if h.status is HealthStatus.RED]
    log.info("%d entries checked: %d red", len(results), len(red))
    return 1 if red else 0
