"""The product's ops command line: `python -m smartops {migrate,impact,backlog,inventory}` (PYTHONPATH=plugins).

Runs where the product runs (an Airflow container: `docker compose exec airflow-apiserver python -m
smartops …`); connections come from the Airflow connections unless a conninfo is given. The
developer's bring-up (`make run`, `make demo`, `make cluster`) is `python -m workbench`.
"""

from __future__ import annotations

import argparse
import logging
import sys


def cmd_migrate(args: argparse.Namespace) -> None:
    from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo
    from smartops.warehouse.migrate import migrate

    # Without an argument the Airflow connection is used: no credentials on a command line (ps shows it).
    print("applied:", migrate(args.conninfo or conninfo(WAREHOUSE_CONN_ID)) or "nothing (up to date)")


def cmd_impact(args: argparse.Namespace) -> None:
    from smartops.scenarios.cli import main as impact_main

    raise SystemExit(impact_main(["impact", args.table]))


def cmd_pulse(args: argparse.Namespace) -> None:
    from datetime import date

    from smartops.alerting.pulse import alert_pulse
    from smartops.alerting.service import open_context
    from smartops.calendar import default_calendar
    from smartops.config.calendar import load_calendar_config
    from smartops.config.catalog import catalog
    from smartops.pulse.judge import judge_day
    from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo

    warehouse = args.warehouse or conninfo(WAREHOUSE_CONN_ID)
    day = date.fromisoformat(args.date)
    report = judge_day(warehouse, day, run_id=f"cli__{day.isoformat()}", inventory=catalog().inventory,
                       calendar=default_calendar(), periods=load_calendar_config().periods)
    if not args.no_alerts:
        alert_pulse(open_context(warehouse), report)
    for verdict in report.findings:
        print(f"{verdict.finding.value:<24} {verdict.table:<24} {verdict.reason_en}")
    for drift in report.drift:
        print(f"{'drift':<24} {drift.table:<24} {drift.text_en}")
    print(f"{day}: {len(report.findings)} findings, {len(report.drift)} schema changes applied")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["backlog"]:  # list / ack / mute / resolve: docs/alerting.md
        from smartops.alerting.cli import main as backlog_main

        raise SystemExit(backlog_main(argv[1:]))
    if argv[:1] == ["inventory"]:  # propose / check: README "Adding a table"
        from smartops.inventory.cli import main as inventory_main

        raise SystemExit(inventory_main(argv[1:]))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    parser = argparse.ArgumentParser(prog="python -m smartops", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="apply warehouse migrations (default: the level2_warehouse connection)")
    p.add_argument("conninfo", nargs="?", help="a libpq conninfo instead of the Airflow connection")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("impact", help="list the scenario marts downstream of a table")
    p.add_argument("table", help="layer.table, e.g. ods.ar_invoice")
    p.set_defaults(func=cmd_impact)
    sub.add_parser("backlog", help="the optimization backlog: list / ack / mute / resolve (see docs/alerting.md)")
    sub.add_parser("inventory", help="propose an inventory entry for a Level-1 table, or check every entry")
    p = sub.add_parser("pulse", help="judge one business date's data by the calendar (the data_pulse DAG's work)")
    p.add_argument("action", choices=["judge"])
    p.add_argument("--date", required=True, help="the business date, YYYY-MM-DD")
    p.add_argument("--warehouse", help="warehouse conninfo (default: the Airflow connection level2_warehouse)")
    p.add_argument("--no-alerts", action="store_true", help="store the verdicts and print them, raise nothing")
    p.set_defaults(func=cmd_pulse)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
