"""Print a short summary of the latest daily cycle from the ops tables (used by `make demo`)."""

from __future__ import annotations

import psycopg

_LATEST_SYNC = """
SELECT table_name, status, mode, rows_read, rows_inserted, rows_updated, rows_deleted, duration_s
FROM ops.sync_ledger
WHERE run_id = (SELECT run_id FROM ops.sync_ledger ORDER BY finished_at DESC LIMIT 1)
ORDER BY table_name
"""


_LATEST_REPORT = """
SELECT html_path, figures->'headline'->>'open_items_total'
FROM ops.operations_report ORDER BY generated_at DESC LIMIT 1
"""


def print_cycle_summary(warehouse_uri: str) -> None:
    """Print the latest backflow run per table (more stages add their lines as they land)."""
    with psycopg.connect(warehouse_uri) as conn:
        rows = conn.execute(_LATEST_SYNC).fetchall()
    print("\nbackflow_sync (latest run)")
    print(f"  {'table':<18} {'status':<9} {'mode':<12} {'read':>9} {'ins':>8} {'upd':>8} {'del':>6} {'sec':>7}")
    for table, status, mode, read, ins, upd, dele, dur in rows:
        print(f"  {table:<18} {status:<9} {mode:<12} {read:>9} {ins:>8} {upd:>8} {dele:>6} {dur:>7.2f}")
    failed = [r[0] for r in rows if r[1] != "success"]
    print(f"  {len(rows) - len(failed)}/{len(rows)} tables succeeded" + (f"; failed: {', '.join(failed)}" if failed else ""))
    with psycopg.connect(warehouse_uri) as conn:
        latest = conn.execute(_LATEST_REPORT).fetchone()
    if latest:
        print(f"\noperations report: {latest[0]}  (open backlog items: {latest[1]})")


_TOP_OPEN_ITEM = """
SELECT item_id, severity, title FROM ops.backlog_item WHERE status = 'open'
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, item_id
LIMIT 1
"""


def acknowledge_top_item(warehouse_uri: str) -> None:
    """Acknowledge the most severe open backlog item, as the ops team would through triage."""
    from smartops.alerting.cli import main as backlog

    with psycopg.connect(warehouse_uri) as conn:
        item = conn.execute(_TOP_OPEN_ITEM).fetchone()
    if item:
        print(f"\nops team acknowledges backlog item {item[0]} ({item[1]}): {item[2]}")
        backlog(["--warehouse", warehouse_uri, "ack", str(item[0]), "--actor", "demo-ops",
                 "--note", "demo: seen by the ops team, Level-1 asked to correct the rows"])
