"""The workbench's command line: `python -m workbench {setup,run,demo,cluster}` (behind `make setup|run|demo|cluster`).

Everything here serves a developer's machine: the embedded PostgreSQL, the demo Level-1, Airflow
standalone, the compose topology as processes. The product's own command line (migrate, impact,
backlog, inventory) is `python -m smartops`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import timedelta

MIN_PYTHON = (3, 11)


def _databases(args: argparse.Namespace) -> dict[str, str]:
    """Level-1 and the warehouse up; return the Airflow environment pointing at them."""
    from smartops.warehouse.connections import mask
    from workbench import setup

    endpoints = setup.prepare_databases(scale=args.scale, history_end=getattr(args, "history_end", None))
    print(f"Level-1 source : {mask(endpoints.level1_uri)}")  # never print a password
    print(f"Warehouse      : {mask(endpoints.warehouse_uri)}")
    return setup.airflow_env(endpoints)


def _setup(args: argparse.Namespace) -> dict[str, str]:
    from workbench import setup

    env = _databases(args)
    setup.prepare_airflow(env)
    return env


def cmd_setup(args: argparse.Namespace) -> None:
    _setup(args)


def cmd_run(args: argparse.Namespace) -> None:
    from workbench import setup

    env = setup.standalone_env(_setup(args))
    print(
        "\nStarting Airflow (standalone). When it is up:\n"
        f"  UI     : {env['AIRFLOW__API__BASE_URL']}\n"
        f"  Login  : user 'admin', password in {setup.passwords_file(env)}\n"
        "  Stop   : Ctrl-C\n",
        flush=True,
    )
    os.execve(os.path.join(os.path.dirname(sys.executable), "airflow"), ["airflow", "standalone"], env)


def cmd_cluster(args: argparse.Namespace) -> None:
    from workbench import cluster, embedded
    from workbench.paths import LOCAL_DIR

    env = _databases(args)
    embedded.start()  # Airflow's metadata database lives on it even when the warehouse is external
    embedded.ensure_database(embedded.admin_conninfo(), cluster.METADATA_DB)
    spec = cluster.ClusterSpec(home=LOCAL_DIR / "cluster", workers=args.workers,
                               metadata_uri=cluster.metadata_uri(embedded.admin_conninfo(dbname=cluster.METADATA_DB)))
    cluster.run_until_interrupted(env, spec)


def cmd_demo(args: argparse.Namespace) -> None:
    from workbench import demo_cycle

    args.history_end = demo_cycle.yesterday() - timedelta(days=args.days)
    env = _setup(args)
    demo_cycle.replay(env, _embedded_level1_admin(env), args.days, dirty_rate=args.dirty_rate,
                      dirty_days=args.dirty_days)


def _embedded_level1_admin(env: dict[str, str]) -> str | None:
    from workbench import embedded, setup

    if env["AIRFLOW_CONN_LEVEL1_SOURCE"].endswith(f"/{setup.LEVEL1_DB}") and embedded.is_running():
        return embedded.admin_conninfo(dbname=setup.LEVEL1_DB)
    return None


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:2])) -> None:
    """Refuse to start on a Python other than 3.11 before anything is installed or started (Soda v3 needs it)."""
    if tuple(version[:2]) != MIN_PYTHON:
        raise SystemExit(f"Python {'.'.join(map(str, version[:2]))} is not supported: the project needs Python "
                         f"{'.'.join(map(str, MIN_PYTHON))} (Soda Core 3 runs on it). Run `make PYTHON=python3.11 …`.")


def main(argv: list[str] | None = None) -> None:
    check_python()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m workbench", description=__doc__.splitlines()[0])
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
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.func(args)


if __name__ == "__main__":
    main()
