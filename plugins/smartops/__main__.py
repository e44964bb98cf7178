"""Command line of the project: `python -m smartops {setup,run,demo,cluster,migrate}` (PYTHONPATH=plugins)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import timedelta


def _databases(args: argparse.Namespace) -> dict[str, str]:
    """Level-1 and the warehouse up; return the Airflow environment pointing at them."""
    from smartops import setup
    from smartops.warehouse.connections import mask

    endpoints = setup.prepare_databases(scale=args.scale, history_end=getattr(args, "history_end", None))
    print(f"Level-1 source : {mask(endpoints.level1_uri)}")  # never print a password
    print(f"Warehouse      : {mask(endpoints.warehouse_uri)}")
    return setup.airflow_env(endpoints)


def _setup(args: argparse.Namespace) -> dict[str, str]:
    from smartops import setup

    env = _databases(args)
    setup.prepare_airflow(env)
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


def cmd_cluster(args: argparse.Namespace) -> None:
    from smartops import cluster, embedded
    from smartops.paths import LOCAL_DIR

    env = _databases(args)
    embedded.start()  # Airflow's metadata database lives on it even when the warehouse is external
    embedded.ensure_database(embedded.admin_conninfo(), cluster.METADATA_DB)
    spec = cluster.ClusterSpec(home=LOCAL_DIR / "cluster", workers=args.workers,
                               metadata_uri=cluster.metadata_uri(embedded.admin_conninfo(dbname=cluster.METADATA_DB)))
    cluster.run_until_interrupted(env, spec)


def cmd_demo(args: argparse.Namespace) -> None:
    from smartops import demo_cycle

    args.history_end = demo_cycle.yesterday() - timedelta(days=args.days)
    env = _setup(args)
    demo_cycle.replay(env, _embedded_level1_admin(env), args.days, dirty_rate=args.dirty_rate,
                      dirty_days=args.dirty_days)


def _embedded_level1_admin(env: dict[str, str]) -> str | None:
    from smartops import embedded, setup

    if env["AIRFLOW_CONN_LEVEL1_SOURCE"].endswith(f"/{setup.LEVEL1_DB}") and embedded.is_running():
        return embedded.admin_conninfo(dbname=setup.LEVEL1_DB)
    return None


def cmd_migrate(args: argparse.Namespace) -> None:
    from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo
    from smartops.warehouse.migrate import migrate

    # Without an argument the Airflow connection is used: no credentials on a command line (ps shows it).
    print("applied:", migrate(args.conninfo or conninfo(WAREHOUSE_CONN_ID)) or "nothing (up to date)")


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
        ("cluster", cmd_cluster, "setup, then the CeleryExecutor topology as processes (Ctrl-C stops)"),
    ]:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=func)
        p.add_argument("--scale", type=float, default=1.0, help="demo data size (1.0 ≈ 20k voucher lines)")
        if name == "cluster":
            p.add_argument("--workers", type=int, default=2, help="Celery workers (two task slots each)")
        if name == "demo":
            p.add_argument("--days", type=int, default=1, help="business days to replay up to yesterday: the "
                                                                "history ends that many days before, each day "
                                                                "is simulated and its cycle runs the next morning")
            p.add_argument("--dirty-rate", type=float, default=0.02, help="share of dirty rows per simulated day")
            p.add_argument("--dirty-days", type=int, default=3,
                           help="simulated days that inject dirty rows; later days are clean, and Level-1 "
                                "corrects dirty rows two days after they appeared, so problems resolve")
    p = sub.add_parser("migrate", help="apply warehouse migrations (default: the level2_warehouse connection)")
    p.add_argument("conninfo", nargs="?", help="a libpq conninfo instead of the Airflow connection")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("impact", help="list the scenario marts downstream of a table")
    p.add_argument("table", help="layer.table, e.g. ods.ar_invoice")
    p.set_defaults(func=cmd_impact)
    sub.add_parser("backlog", help="the optimization backlog: list / ack / mute / resolve (see docs/alerting.md)")
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
