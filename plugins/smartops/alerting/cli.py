"""`backlog` command line: list items, acknowledge, mute or resolve them (audited like the triage DAG).

    python -m smartops backlog list [--status open]
    python -m smartops backlog ack 12 --note "on it"
    python -m smartops backlog mute 12 --until 2026-12-31 --note "known Level-1 issue"
    python -m smartops backlog resolve 12 --note "fixed at source"
    python -m smartops backlog await_level1 12 --note "asked group-fssc by phone"   (一级协同: Level-1's clock)
    python -m smartops backlog await_level1 13 --level1-owner group-fssc --note "their posting rule"
    python -m smartops backlog resume 12 --note "not theirs: our filter"

The warehouse is --warehouse CONNINFO, else the Airflow connection level2_warehouse.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from smartops.alerting.backlog import list_items
from smartops.alerting.models import ItemStatus, TriageAction
from smartops.alerting.service import open_context
from smartops.alerting.triage import TriageError, parse_until, triage


def _warehouse(args: argparse.Namespace) -> str:
    if args.warehouse:
        return args.warehouse
    from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo

    return conninfo(WAREHOUSE_CONN_ID)


def _list(args: argparse.Namespace, out: TextIO) -> None:
    items = list_items(_warehouse(args), ItemStatus(args.status) if args.status else None)
    out.write(f"{'id':>5}  {'status':<15} {'severity':<8} {'category':<14} {'occ':>4}  {'last seen':<16}"
              f"  {'level-1':<14}  fingerprint\n")
    for i in items:
        out.write(f"{i['item_id']:>5}  {i['status']:<15} {i['severity']:<8} {i['category']:<14} "
                  f"{i['occurrences']:>4}  {i['last_seen_at']:%Y-%m-%d %H:%M}  {i['level1_owner'] or '-':<14}"
                  f"  {i['fingerprint']}\n")
    out.write(f"{len(items)} items\n")


def _change(args: argparse.Namespace, out: TextIO) -> None:
    until = parse_until(args.until) if getattr(args, "until", None) else None
    status = triage(open_context(_warehouse(args)), args.item_id, action=args.command, actor=args.actor,
                    note=args.note, muted_until=until, level1_owner=getattr(args, "level1_owner", None))
    out.write(f"item {args.item_id}: {status.value}\n")


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run the backlog CLI; return the exit status (2 when the change is refused)."""
    parser = argparse.ArgumentParser(prog="python -m smartops backlog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", help="warehouse conninfo (default: Airflow connection level2_warehouse)")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list backlog items")
    listing.add_argument("--status", choices=[s.value for s in ItemStatus])
    listing.set_defaults(func=_list)
    for action in TriageAction:
        p = sub.add_parser(action, help=f"{action} one item (audited)")
        p.add_argument("item_id", type=int)
        p.add_argument("--note", required=True, help="why (kept in the audit trail)")
        p.add_argument("--actor", default=getpass.getuser(), help="who (default: the OS user)")
        if action is TriageAction.MUTE:
            p.add_argument("--until", required=True, help="date (Asia/Shanghai) or ISO date-time")
        if action is TriageAction.AWAIT_LEVEL1:
            p.add_argument("--level1-owner", help="the Level-1 team, for an item the rules call ours")
        p.set_defaults(func=_change)
    args = parser.parse_args(argv)
    try:
        args.func(args, out)
    except TriageError as exc:
        sys.stderr.write(f"refused: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
