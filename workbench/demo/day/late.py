"""Late updates: old rows changed with an updated_at at or just below the table's previous maximum.

An incremental reader that only asks for ``updated_at > last cursor`` misses them; that is the point.
Voucher lines are corrected only in writable periods (day/closes.py).
"""

from __future__ import annotations

import datetime as dt

from workbench.demo.day.state import Day
from workbench.demo.names import person_name
from workbench.demo.values import DAY, stochastic_round, ts_datetime

LATE_UPDATE_TABLES = ("gl_voucher_line", "expense_claim", "ar_invoice")


def late_updates(d: Day) -> None:
    """Correct a few old rows per table: the first stamped exactly at the previous max, the rest up to 30 min below."""
    count = max(2, stochastic_round(d.rng, 3 * d.scale))
    for table in LATE_UPDATE_TABLES:
        previous = d.prev_max[table]
        if previous is None:
            continue
        touched = sorted(d.updated[table] | d.deleted[table])
        params = {"before": ts_datetime(previous - DAY), "touched": touched, "writable": d.writable}
        low = 1
        if table == "gl_voucher_line":  # only lines of writable periods are corrected: probe where they lie
            low = d.one("first_writable_line", {"writable": d.writable}) or d.first_ids[table]
        # Probed more densely where few keys qualify: open invoices, lines of writable periods.
        keys = d.random_keys(table, f"late_{table}", count, params, 10 if table == "expense_claim" else 60, low)
        for index, key in enumerate(keys):
            stamp = previous if index == 0 else previous - d.rng.randint(1, 1800)
            _late_change(d, table, key, stamp)


def _late_change(d: Day, table: str, key: int, stamp: int) -> None:
    if table == "gl_voucher_line":
        summary = d.one("line_summary", {"key": key})
        d.update(table, key, stamp, summary=summary.removesuffix("（更正）") + "（更正）")
    elif table == "expense_claim":
        org_id, dept = d.all("claim_department", {"key": key})[0]
        org = d.orgs.get(org_id)
        others = sorted(name for name in (org.employees if org else {}) if name != dept)
        if others:
            d.update(table, key, stamp, department=d.rng.choice(others))
        else:
            d.update(table, key, stamp, employee_name=person_name(d.rng))
    else:
        due = d.one("invoice_due_date", {"key": key})
        d.update(table, key, stamp, due_date=due + dt.timedelta(days=30))
