"""Command line: seed the demo Level-1 schema or simulate one day.

    python -m workbench.demo seed --conninfo DSN [--scale 1.0] [--seed 20261129] [--end YYYY-MM-DD]
    python -m workbench.demo simulate-day --conninfo DSN [--day YYYY-MM-DD] [--seed N] [--dirty-rate 0.02]
                                          [--incident half_day|closed_period_posting|empty_day]
                                          [--no-rare-events]

Both print a one-line JSON summary on stdout; logs go to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Sequence

import psycopg
from psycopg import sql

from workbench.demo.generator import history_end, seed_level1
from workbench.demo.reference import SCHEMA, TABLE_COLUMNS
from workbench.demo.simulator import simulate_day
from workbench.demo.vocab import Incident


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workbench.demo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="create schema l1 and load the demo data if it is empty")
    seed.add_argument("--conninfo", required=True, help="libpq connection string or URI")
    seed.add_argument("--scale", type=float, default=1.0, help="1.0 gives about 21,000 voucher lines")
    seed.add_argument("--seed", type=int, default=20261129)
    seed.add_argument(
        "--end",
        type=dt.date.fromisoformat,
        default=None,
        help="YYYY-MM-DD, the history's last day (default: yesterday in Asia/Shanghai)",
    )
    day = commands.add_parser("simulate-day", help="apply one day of changes to l1")
    day.add_argument("--conninfo", required=True, help="libpq connection string or URI")
    day.add_argument(
        "--day",
        type=dt.date.fromisoformat,
        default=None,
        help="YYYY-MM-DD (default: the first working day after the last day Level-1 covers)",
    )
    day.add_argument("--seed", type=int, default=20261129)
    day.add_argument("--dirty-rate", type=float, default=0.02)
    day.add_argument("--incident", type=Incident, choices=list(Incident), default=None,
                     help="stage a quiet failure on the day")
    day.add_argument("--no-rare-events", dest="rare_events", action="store_false",
                     help="no seed-driven reopen of a closed period or posting into one on the day")
    return parser


def _row_counts(conninfo: str) -> dict[str, int]:
    """Count the rows of every l1 table."""
    with psycopg.connect(conninfo) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SCHEMA, table))
            ).fetchone()[0]
            for table in TABLE_COLUMNS
        }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and print its JSON result."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    started = time.monotonic()
    if args.command == "seed":
        seeded = seed_level1(args.conninfo, scale=args.scale, seed=args.seed, end=args.end)
        end = history_end(args.conninfo)
        result: dict = {
            "command": "seed",
            "seeded": seeded,
            "scale": args.scale,
            "seed": args.seed,
            "end": end.isoformat() if end else None,
            "rows": _row_counts(args.conninfo),
        }
    else:
        summary = simulate_day(
            args.conninfo,
            day=args.day,
            seed=args.seed,
            dirty_rate=args.dirty_rate,
            incident=args.incident,
            rare_events=args.rare_events,
        )
        result = {"command": "simulate-day", **summary.as_dict()}
    result["seconds"] = round(time.monotonic() - started, 3)
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
