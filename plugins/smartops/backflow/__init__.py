"""Backflow sync (数据回流): copy inventory tables from Level-1 into the warehouse's ods layer.

    sync.py       the entry: one table's run — read → load → reconcile → record
    batch.py      several small tables in one task, each in its own transaction and ledger row
    source.py     Level-1 sessions (read-only snapshot, the background read sharing it)
    load.py       full (swap-in) and incremental (window upsert) loads
    reconcile.py  Level-1 ↔ ods totals (window or whole table), key_compare deletions
    ledger.py     the table's state, read first; the run's record, written last
"""

from smartops.backflow.source import SOURCE_SESSIONS

__all__ = ["SOURCE_SESSIONS"]
