"""Print a short summary of the latest daily cycle from the ops tables (used by `make demo`)."""

from __future__ import annotations

import psycopg

from workbench.paths import DEMO_SQL

_SQL = "summary.sql"


def print_cycle_summary(warehouse_uri: str) -> None:
    """Print the latest backflow run per table and where the latest report is."""
    with psycopg.connect(warehouse_uri) as conn:
        rows = conn.execute(DEMO_SQL.named(_SQL, "latest_sync")).fetchall()
        latest = conn.execute(DEMO_SQL.named(_SQL, "latest_report")).fetchone()
    print("\nbackflow_sync (latest run)")
    print(f"  {'table':<18} {'status':<9} {'mode':<12} {'read':>9} {'ins':>8} {'upd':>8} {'del':>6} {'sec':>7}")
    for table, status, mode, read, ins, upd, dele, dur in rows:
        print(f"  {table:<18} {status:<9} {mode:<12} {read:>9} {ins:>8} {upd:>8} {dele:>6} {dur:>7.2f}")
    failed = [r[0] for r in rows if r[1] != "success"]
    print(f"  {len(rows) - len(failed)}/{len(rows)} tables succeeded"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    if latest:
        print(f"\noperations report: {latest[0]}  (open backlog items: {latest[1]})")


def acknowledge_top_item(warehouse_uri: str) -> None:
    """Acknowledge the most severe open backlog item, as the ops team would through triage."""
    from smartops.alerting.cli import main as backlog

    with psycopg.connect(warehouse_uri) as conn:
        item = conn.execute(DEMO_SQL.named(_SQL, "top_open_item")).fetchone()
    if item:
        print(f"\nops team acknowledges backlog item {item[0]} ({item[1]}): {item[2]}")
        backlog(["--warehouse", warehouse_uri, "ack", str(item[0]), "--actor", "demo-ops",
                 "--note", "demo: seen by the ops team, Level-1 asked to correct the rows"])
