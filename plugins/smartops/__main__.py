"""Command line of the project: `python -m smartops {setup,run,demo,migrate}` (PYTHONPATH=plugins)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

# The daily cycle in dependency order, with the param that carries the business date.
DAILY_CYCLE = {
    "backflow_sync": None,
    "aggregation": "business_date",
    "quality_scan": "business_date",
    "scenario_refresh": "business_date",
    "operations_report": "report_date",
}


# The demo plays the ops team once: after the second simulated day it acknowledges the worst item.
ACKNOWLEDGE_ON_DAY = 2


def _setup(args: argparse.Namespace) -> dict[str, str]:
    from smartops import setup

    endpoints = setup.prepare_databases(scale=args.scale)
    env = setup.airflow_env(endpoints)
    setup.prepare_airflow(env)
    print(f"Level-1 source : {endpoints.level1_uri}")
    print(f"Warehouse      : {endpoints.warehouse_uri}")
    return env


def cmd_setup(args: argparse.Namespace) -> None:
    _setup(args)


def cmd_run(args: argparse.Namespace) -> None:
    env = _setup(args)
    home = env["AIRFLOW_HOME"]
    print(
        "\nStarting Airflow (standalone). When it is up:\n"
        "  UI     : http://localhost:8080\n"
        f"  Login  : user 'admin', password in {home}/simple_auth_manager_passwords.json.generated\n"
        "  Stop   : Ctrl-C\n",
        flush=True,
    )
    os.execve(os.path.join(os.path.dirname(sys.executable), "airflow"), ["airflow", "standalone"], env)


def cmd_demo(args: argparse.Namespace) -> None:
    from smartops import setup
    from smartops.demo.corrections import correct_dirty_rows
    from smartops.demo.simulator import simulate_day
    from smartops.demo_summary import acknowledge_top_item, print_cycle_summary

    env = _setup(args)
    level1_admin = _embedded_level1_admin(env)
    business_date = _last_business_date(level1_admin)
    for day in range(args.days):
        if day > 0 or args.simulate_first:
            if level1_admin is None:
                raise SystemExit("Simulating days needs the embedded Level-1 demo database (it writes to Level-1).")
            dirty_rate = args.dirty_rate if day <= args.dirty_days else 0.0
            simulated = simulate_day(level1_admin, dirty_rate=dirty_rate).day
            corrected = correct_dirty_rows(level1_admin, day=simulated)
            business_date = simulated.isoformat()
            print(f"\n=== simulated business day {business_date} (dirty rate {dirty_rate:g}; Level-1 corrected "
                  f"{sum(corrected.values())} older dirty rows) ===")
        run_at = _run_time_for(business_date)
        for dag_id, date_param in DAILY_CYCLE.items():
            conf = {date_param: business_date} if date_param and business_date else {}
            run = setup.airflow(env, "dags", "test", dag_id, run_at, "--conf", json.dumps(conf), check=False)
            # A red run is an outcome to show, not a reason to stop: later stages handle it.
            outcome = "success" if run.returncode == 0 else "failed: red in the UI; the backlog and the report say why"
            print(f"  {dag_id:<18} {outcome}", flush=True)
        print_cycle_summary(env["AIRFLOW_CONN_LEVEL2_WAREHOUSE"])
        if day == ACKNOWLEDGE_ON_DAY:
            acknowledge_top_item(env["AIRFLOW_CONN_LEVEL2_WAREHOUSE"])


def _embedded_level1_admin(env: dict[str, str]) -> str | None:
    from smartops import embedded, setup

    if env["AIRFLOW_CONN_LEVEL1_SOURCE"].endswith(f"/{setup.LEVEL1_DB}") and embedded.is_running():
        return embedded.admin_conninfo(dbname=setup.LEVEL1_DB)
    return None


def _run_time_for(business_date: str | None) -> str:
    """When the cycle of `business_date` runs: the next morning, or now if that is later.

    Simulated days run ahead of the calendar; their cycle must not look like it ran before
    the business day ended (the stages refuse business dates after their run date).
    """
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    if business_date is None:
        return now.isoformat()
    next_morning = datetime.combine(date.fromisoformat(business_date) + timedelta(days=1), time(2),
                                    ZoneInfo("Asia/Shanghai"))
    return max(now, next_morning).isoformat()


def _last_business_date(level1_admin: str | None) -> str | None:
    """The newest voucher date at the demo Level-1, so the first cycle reports the seeded data."""
    if level1_admin is None:
        return None
    import psycopg

    with psycopg.connect(level1_admin) as conn:
        day = conn.execute("SELECT max(voucher_date) FROM l1.gl_voucher").fetchone()[0]
    return day.isoformat() if day else None


def cmd_migrate(args: argparse.Namespace) -> None:
    from smartops.warehouse.migrate import migrate

    print("applied:", migrate(args.conninfo) or "nothing (up to date)")


def cmd_impact(args: argparse.Namespace) -> None:
    from smartops.scenarios.cli import main as impact_main

    raise SystemExit(impact_main(["impact", args.table]))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["backlog"]:  # list / ack / mute / resolve: docs/alerting.md
        from smartops.alerting.cli import main as backlog_main

        raise SystemExit(backlog_main(argv[1:]))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m smartops", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_ in [
        ("setup", cmd_setup, "start/seed/migrate the databases and Airflow's metadata"),
        ("run", cmd_run, "setup, then airflow standalone"),
        ("demo", cmd_demo, "setup, then run the daily cycle headless"),
    ]:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=func)
        p.add_argument("--scale", type=float, default=1.0, help="demo data size (1.0 ≈ 20k voucher lines)")
        if name == "demo":
            p.add_argument("--days", type=int, default=1, help="daily cycles to run (after the first, "
                                                                "each starts by simulating a business day)")
            p.add_argument("--simulate-first", action="store_true", help="simulate a day before the first cycle too")
            p.add_argument("--dirty-rate", type=float, default=0.02, help="share of dirty rows per simulated day")
            p.add_argument("--dirty-days", type=int, default=3,
                           help="simulated days that inject dirty rows; later days are clean, and Level-1 "
                                "corrects dirty rows two days after they appeared, so problems resolve")
    p = sub.add_parser("migrate", help="apply warehouse migrations to a conninfo")
    p.add_argument("conninfo")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("impact", help="list the scenario marts downstream of a table")
    p.add_argument("table", help="layer.table, e.g. ods.ar_invoice")
    p.set_defaults(func=cmd_impact)
    sub.add_parser("backlog", help="the optimization backlog: list / ack / mute / resolve (see docs/alerting.md)")
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
