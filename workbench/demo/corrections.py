"""Level-1 corrects old dirty rows, so the demo shows backlog items resolving (see corrections.sql).

A dirty voucher is balanced only while its period was never closed: a closed period never changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import psycopg

from workbench.paths import DEMO_SQL

log = logging.getLogger(__name__)

SQL = "corrections.sql"
STATEMENTS = ("fix_expense_claims", "fix_customers", "fix_payment_orders", "balance_vouchers",
              "drop_orphan_voucher_lines", "drop_orphan_receipts")
_TZ = ZoneInfo("Asia/Shanghai")


def correct_dirty_rows(conninfo: str, *, day: dt.date, age_days: int = 2) -> dict[str, int]:
    """Correct dirty rows last changed more than `age_days` before `day`; return rows per statement.

    Runs in one transaction; corrected rows are stamped 18:00 on `day` (Asia/Shanghai).
    """
    params = {
        "before": dt.datetime.combine(day - dt.timedelta(days=age_days - 1), dt.time(), _TZ),
        "stamp": dt.datetime.combine(day, dt.time(18), _TZ),
    }
    with psycopg.connect(conninfo) as conn, conn.transaction():
        counts = {name: conn.execute(DEMO_SQL.named(SQL, name), params).rowcount for name in STATEMENTS}
    log.info("Level-1 corrected dirty rows older than %s: %s", params["before"].date(), counts)
    return counts
