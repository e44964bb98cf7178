"""Ordinary simulated days leave closed accounting periods alone, as a real Level-1 does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg

from tests.support.helpers import query
from tests.workbench.demo.conftest import CLOSE_EVE, SHANGHAI
from workbench.demo.corrections import correct_dirty_rows
from workbench.demo.day.closes import cancel_voucher
from workbench.demo.day.state import Day
from workbench.demo.generator import seed_level1
from workbench.demo.simulator import simulate_day

# The history ends on a Tuesday; the ten days after it run to the month-end, through December's close
# window (November closes at 18:00 on 3 December) and a day past it.
END = dt.date(2026, 11, 24)
DAYS = [END + dt.timedelta(days=n) for n in range(1, 11)]
Rows = dict[int, tuple[str, object, dt.datetime]]  # key -> (row text, voucher or period, updated_at)


def vouchers_and_lines(conninfo: str) -> tuple[Rows, Rows]:
    """Return every voucher (text, period, updated_at) and line (text, voucher_id, updated_at)."""
    with psycopg.connect(conninfo) as conn:
        vouchers = {r[0]: r[1:] for r in conn.execute("SELECT voucher_id, t::text, period, updated_at "
                                                      "FROM l1.gl_voucher t")}
        lines = {r[0]: r[1:] for r in conn.execute("SELECT line_id, t::text, voucher_id, updated_at "
                                                   "FROM l1.gl_voucher_line t")}
    return vouchers, lines


def closed_period_changes(before: tuple[Rows, Rows], after: tuple[Rows, Rows], first_close: dict[str, dt.datetime],
                          synced: dt.datetime) -> list[tuple[str, int]]:
    """Return the rows a day wrote or deleted in a period closed before the change, as the product judges it.

    A written row changed at its updated_at; a deleted one when the next sync (``synced``) notices it.
    """
    periods = {key: row[1] for key, row in {**before[0], **after[0]}.items()}
    found = []
    for table, old, new, period in (("gl_voucher", before[0], after[0], lambda row: row[1]),
                                    ("gl_voucher_line", before[1], after[1], lambda row: periods.get(row[1]))):
        for key, row in new.items():
            closed = first_close.get(period(row))
            if old.get(key, (None,))[0] != row[0] and closed is not None and closed <= row[2]:
                found.append((table, key))
        for key in old.keys() - new.keys():
            closed = first_close.get(period(old[key]))
            if closed is not None and closed <= synced:
                found.append((table, key))
    return found


def test_should_change_no_closed_period_row_on_ten_ordinary_days(make_database: Callable[..., str]) -> None:
    conninfo = make_database("closes_ten_days")
    seed_level1(conninfo, scale=0.2, end=END)
    found, late_lines, closed = [], 0, []

    for day in DAYS:  # as `make demo` runs them: dirty rows, and Level-1 correcting older ones
        before = vouchers_and_lines(conninfo)
        summary = simulate_day(conninfo, day=day, dirty_rate=0.02, rare_events=False)
        correct_dirty_rows(conninfo, day=day)
        first_close = dict(query(conninfo, "SELECT period, min(acted_at) FROM l1.accounting_period_log "
                                           "WHERE action = 'close' GROUP BY period"))
        synced = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(2), SHANGHAI)
        found += [(day, *change) for change in closed_period_changes(before, vouchers_and_lines(conninfo),
                                                                     first_close, synced)]
        late_lines += summary.late_updates["gl_voucher_line"]
        closed += summary.periods["closed"]

    assert found == []
    assert closed == ["2026-11"] and late_lines > 0, "the days closed November and corrected lines late"


def test_should_write_only_the_periods_never_closed_whose_close_day_is_still_ahead(close_eve: str) -> None:
    with psycopg.connect(close_eve) as conn, conn.cursor() as cur:
        eve, close_day = Day(cur, CLOSE_EVE, 1, 0.0), Day(cur, CLOSE_EVE + dt.timedelta(days=1), 1, 0.0)

    assert eve.writable == ["2026-11", "2026-12"] and eve.writable_from == dt.date(2026, 11, 1)
    assert close_day.writable == ["2026-12"], "November closes at 18:00, before the day reaches Level-2"


def test_should_reverse_a_closed_periods_voucher_in_red_letters_and_void_an_open_ones(close_eve: str) -> None:
    [(closed_id, closed_no), (open_id, _)] = query(close_eve, """
        (SELECT voucher_id, voucher_no FROM l1.gl_voucher WHERE period = '2026-10' AND status = 'posted'
         AND source_type = 'ar_invoice' ORDER BY voucher_id LIMIT 1)
        UNION ALL (SELECT voucher_id, voucher_no FROM l1.gl_voucher WHERE period = '2026-11' AND status = 'posted'
         ORDER BY voucher_id LIMIT 1)""")
    before = vouchers_and_lines(close_eve)
    with psycopg.connect(close_eve) as conn, conn.cursor() as cur:
        day = Day(cur, CLOSE_EVE, 1, 0.0)
        ts = day.start_ts + 36000
        reversal = cancel_voucher(day, closed_id, ts)
        assert cancel_voucher(day, open_id, ts) is None
        day.out.flush_all()

    after = vouchers_and_lines(close_eve)
    assert after[0][closed_id] == before[0][closed_id], "the closed period's voucher is left as it was"
    assert query(close_eve, "SELECT status FROM l1.gl_voucher WHERE voucher_id = %s", (open_id,)) == [("voided",)]
    [(period, voucher_date, source, status)] = query(close_eve, "SELECT period, voucher_date, source_type || ':' || "
                                                     "source_doc_id, status FROM l1.gl_voucher WHERE voucher_id = %s",
                                                     (reversal,))
    [(original_source,)] = query(close_eve, "SELECT source_type || ':' || source_doc_id FROM l1.gl_voucher "
                                            "WHERE voucher_id = %s", (closed_id,))
    assert (period, voucher_date, source, status) == ("2026-12", CLOSE_EVE, original_source, "posted")
    lines = "SELECT account_code, debit_amount, credit_amount, summary FROM l1.gl_voucher_line " \
            "WHERE voucher_id = %s ORDER BY line_no"
    assert query(close_eve, lines, (reversal,)) == [
        (account, -debit, -credit, f"冲销{closed_no} {summary}")
        for account, debit, credit, summary in query(close_eve, lines, (closed_id,))]
