"""Tests for the demo Level-1 day simulator (real PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg
import pytest
from psycopg import sql

from smartops.calendar import default_calendar
from workbench.demo.day.state import Day
from workbench.demo.generator import seed_level1
from workbench.demo.reference import PRIMARY_KEYS
from workbench.demo.simulator import DIRTY_KINDS, DaySummary, simulate_day
from workbench.demo.vocab import Incident

MakeDatabase = Callable[[str], str]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
END = dt.date(2026, 11, 28)  # the seeded history's last day (a Saturday), so the simulated days below are fixed
MONDAY = dt.date(2026, 11, 30)  # the first working day after it
DELETABLE = ("expense_claim", "payment_order", "gl_voucher", "gl_voucher_line", "ar_receipt")


@pytest.fixture
def seeded(make_database: MakeDatabase) -> str:
    """Return the conninfo of a database seeded at scale 1."""
    conninfo = make_database("sim")
    seed_level1(conninfo, scale=1.0, end=END)
    return conninfo


@pytest.fixture
def small(make_database: MakeDatabase) -> str:
    """Return the conninfo of a database seeded at scale 0.3 (quicker, same behaviour)."""
    conninfo = make_database("sim_small")
    seed_level1(conninfo, scale=0.3, end=END)
    return conninfo


def rows_by_key(conninfo: str, table: str) -> dict[object, tuple[str, dt.datetime]]:
    """Return pk -> (row text, updated_at) for a table."""
    with psycopg.connect(conninfo) as conn:
        query = sql.SQL("SELECT t.{}, t::text, t.updated_at FROM {} t").format(
            sql.Identifier(PRIMARY_KEYS[table]), sql.Identifier("l1", table)
        )
        return {key: (text, updated) for key, text, updated in conn.execute(query)}


def max_updated(conninfo: str, table: str) -> dt.datetime:
    """Return max(updated_at) of a table."""
    with psycopg.connect(conninfo) as conn:
        return conn.execute(
            sql.SQL("SELECT max(updated_at) FROM {}").format(sql.Identifier("l1", table))
        ).fetchone()[0]


def count(conninfo: str, query: str, params: tuple | list = ()) -> int:
    """Run a counting query."""
    with psycopg.connect(conninfo) as conn:
        return conn.execute(query, params).fetchone()[0]


UNBALANCED_POSTED = """
    SELECT count(*) FROM (
        SELECT v.voucher_id FROM l1.gl_voucher v JOIN l1.gl_voucher_line l USING (voucher_id)
        WHERE v.status = 'posted' GROUP BY v.voucher_id
        HAVING sum(l.debit_amount) <> sum(l.credit_amount)) x"""


def test_should_inject_nothing_dirty_and_keep_vouchers_balanced_when_dirty_rate_is_zero(small: str) -> None:
    summaries = [simulate_day(small, dirty_rate=0.0) for _ in range(3)]

    # By default the next working day: Sunday 29 November, a day off, posts nothing and is skipped.
    assert [s.day for s in summaries] == [MONDAY, dt.date(2026, 12, 1), dt.date(2026, 12, 2)]
    for summary in summaries:
        assert all(items == [] for items in summary.dirty.values())
        assert set(summary.dirty) == set(DIRTY_KINDS)
    assert count(small, UNBALANCED_POSTED) == 0
    assert (
        count(
            small,
            "SELECT count(*) FROM l1.gl_voucher_line l WHERE NOT EXISTS "
            "(SELECT 1 FROM l1.gl_voucher v WHERE v.voucher_id = l.voucher_id)",
        )
        == 0
    )
    assert (
        count(
            small,
            "SELECT count(*) FROM l1.ar_receipt r WHERE NOT EXISTS "
            "(SELECT 1 FROM l1.ar_invoice i WHERE i.invoice_id = r.invoice_id)",
        )
        == 0
    )
    assert (
        count(
            small,
            "SELECT count(*) FROM l1.expense_claim WHERE org_id IS NULL OR amount < 0 OR currency <> 'CNY'",
        )
        == 0
    )
    assert count(small, "SELECT count(*) FROM l1.customer WHERE customer_name IS NULL") == 0
    assert count(small, "SELECT count(*) FROM l1.payment_order WHERE amount < 0") == 0


def test_should_insert_documents_of_the_day_and_move_statuses(seeded: str) -> None:
    # At scale 1: a working day at scale 0.3 has under one invoice and one receipt, as the history has.
    day = MONDAY
    start = dt.datetime.combine(day, dt.time(), SHANGHAI)

    summary = simulate_day(seeded, day=day, dirty_rate=0.0)

    for table in (
        "expense_claim",
        "payment_order",
        "ar_invoice",
        "ar_receipt",
        "gl_voucher",
        "gl_voucher_line",
        "bank_transaction",
    ):
        assert summary.inserted[table] > 0, table
    with psycopg.connect(seeded) as conn:

        def changed(query: str) -> int:
            return conn.execute(
                query, {"start": start, "end": start + dt.timedelta(days=1), "day": day}
            ).fetchone()[0]

        assert (
            changed(
                "SELECT count(*) FROM l1.expense_claim WHERE claim_date = %(day)s "
                "AND updated_at >= %(start)s AND updated_at < %(end)s"
            )
            == summary.inserted["expense_claim"]
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.expense_claim WHERE status IN ('approved', 'paid') "
                "AND claim_date < %(day)s AND updated_at >= %(start)s"
            )
            > 0
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.expense_claim c WHERE status = 'paid' AND updated_at >= %(start)s "
                "AND EXISTS (SELECT 1 FROM l1.gl_voucher v WHERE v.source_type = 'expense_claim' "
                "AND v.source_doc_id = c.claim_id AND v.voucher_date = %(day)s)"
            )
            > 0
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.ar_invoice WHERE status = 'partially_paid' "
                "AND updated_at >= %(start)s"
            )
            > 0
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.ar_invoice i WHERE status = 'voided' AND updated_at >= %(start)s "
                "AND EXISTS (SELECT 1 FROM l1.gl_voucher v WHERE v.source_type = 'ar_invoice' "
                "AND v.source_doc_id = i.invoice_id AND v.status = 'voided')"
            )
            > 0
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.bank_transaction WHERE txn_time >= %(start)s "
                "AND txn_time < %(end)s AND direction = 'out' AND ref_doc_type = 'payment_order'"
            )
            > 0
        )
        assert (
            changed(
                "SELECT count(*) FROM l1.gl_voucher WHERE updated_at >= %(start)s "
                "AND voucher_date <> %(day)s AND status = 'posted' AND voucher_id IN "
                "(SELECT voucher_id FROM l1.gl_voucher_line WHERE updated_at >= %(start)s)"
            )
            == 0
        )


def statuses(conninfo: str, table: str) -> dict[object, str]:
    """Return pk -> status for a table."""
    with psycopg.connect(conninfo) as conn:
        return dict(
            conn.execute(
                sql.SQL("SELECT {}, status FROM {}").format(
                    sql.Identifier(PRIMARY_KEYS[table]), sql.Identifier("l1", table)
                )
            ).fetchall()
        )


def test_should_hard_delete_only_in_the_allowed_tables_and_statuses(small: str) -> None:
    before = {table: rows_by_key(small, table) for table in PRIMARY_KEYS}
    status_before = {
        table: statuses(small, table) for table in ("expense_claim", "payment_order", "gl_voucher")
    }

    summary = simulate_day(small, day=MONDAY, dirty_rate=0.0)

    gone: dict[str, set] = {}
    for table in PRIMARY_KEYS:
        gone[table] = set(before[table]) - set(rows_by_key(small, table))
        assert len(gone[table]) == summary.deleted[table], table
        if table in DELETABLE:
            assert gone[table], f"no hard delete in {table}"
        else:
            assert not gone[table], f"unexpected hard delete in {table}"
    expected = {"expense_claim": "submitted", "payment_order": "pending", "gl_voucher": "draft"}
    for table, status in expected.items():
        assert {status_before[table][key] for key in gone[table]} == {status}, table
    assert (
        count(
            small,
            "SELECT count(*) FROM l1.gl_voucher_line WHERE voucher_id = ANY(%s)",
            [sorted(gone["gl_voucher"])],
        )
        == 0
    )


def test_should_write_late_updates_at_or_below_the_previous_max(small: str) -> None:
    tables = ("gl_voucher_line", "expense_claim", "ar_invoice")
    previous = {table: max_updated(small, table) for table in tables}
    before = {table: rows_by_key(small, table) for table in tables}

    summary = simulate_day(small, dirty_rate=0.0)

    for table in tables:
        after = rows_by_key(small, table)
        late = [
            updated
            for key, (text, updated) in after.items()
            if key in before[table] and text != before[table][key][0] and updated <= previous[table]
        ]
        assert late, table
        assert len(late) == summary.late_updates[table]
        assert previous[table] in late, f"{table}: no row stamped exactly at the previous max"
        assert min(late) >= previous[table] - dt.timedelta(minutes=30)
        assert summary.updated[table] >= summary.late_updates[table]


def test_should_post_a_burst_of_at_least_200_lines_sharing_one_updated_at(seeded: str) -> None:
    # Once a month, on its first working day (close-window day 1).
    summary = simulate_day(seeded, day=dt.date(2026, 12, 1), dirty_rate=0.0)
    start = dt.datetime.combine(summary.day, dt.time(), SHANGHAI)

    with psycopg.connect(seeded) as conn:
        _stamp, lines = conn.execute(
            "SELECT updated_at, count(*) FROM l1.gl_voucher_line WHERE updated_at >= %s AND updated_at < %s "
            "GROUP BY updated_at ORDER BY count(*) DESC LIMIT 1",
            (start, start + dt.timedelta(days=1)),
        ).fetchone()

    assert lines >= 200
    assert count(seeded, UNBALANCED_POSTED) == 0


def test_should_inject_every_dirty_kind_at_two_percent(seeded: str) -> None:
    summary = simulate_day(seeded, day=MONDAY, dirty_rate=0.02)

    checks = {
        ("null_required", "expense_claim"): "SELECT count(*) FROM l1.expense_claim WHERE claim_id = ANY(%s) "
        "AND org_id IS NULL",
        ("null_required", "customer"): "SELECT count(*) FROM l1.customer WHERE customer_id = ANY(%s) "
        "AND customer_name IS NULL",
        (
            "negative_amount",
            "expense_claim",
        ): "SELECT count(*) FROM l1.expense_claim WHERE claim_id = ANY(%s) AND amount < 0",
        (
            "negative_amount",
            "payment_order",
        ): "SELECT count(*) FROM l1.payment_order WHERE payment_id = ANY(%s) AND amount < 0",
        (
            "orphan_reference",
            "gl_voucher_line",
        ): "SELECT count(*) FROM l1.gl_voucher_line l WHERE line_id = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM l1.gl_voucher v "
        "WHERE v.voucher_id = l.voucher_id)",
        ("orphan_reference", "ar_receipt"): "SELECT count(*) FROM l1.ar_receipt r WHERE receipt_id = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM l1.ar_invoice i "
        "WHERE i.invoice_id = r.invoice_id)",
        (
            "unbalanced_voucher",
            "gl_voucher",
        ): "SELECT count(*) FROM (SELECT v.voucher_id FROM l1.gl_voucher v "
        "JOIN l1.gl_voucher_line l USING (voucher_id) WHERE v.status = 'posted' "
        "AND v.voucher_id = ANY(%s) GROUP BY v.voucher_id "
        "HAVING sum(debit_amount) <> sum(credit_amount)) x",
        ("bad_currency", "expense_claim"): "SELECT count(*) FROM l1.expense_claim WHERE claim_id = ANY(%s) "
        "AND currency IS DISTINCT FROM 'CNY'",
    }
    for kind in DIRTY_KINDS:
        assert summary.dirty[kind], kind
    for (kind, table), query in checks.items():
        keys = [key for t, key in summary.dirty[kind] if t == table]
        assert keys, (kind, table)
        assert count(seeded, query, [keys]) == len(keys), (kind, table)
    assert count(seeded, UNBALANCED_POSTED) == len(summary.dirty["unbalanced_voucher"])


def test_should_be_deterministic_for_the_same_state_day_and_seed(make_database: MakeDatabase) -> None:
    first, second = make_database("sim_det_a"), make_database("sim_det_b")
    summaries: list[DaySummary] = []
    for conninfo in (first, second):
        seed_level1(conninfo, scale=0.3, seed=11, end=END)
        summaries.append(simulate_day(conninfo, seed=5, dirty_rate=0.02))
        summaries.append(simulate_day(conninfo, seed=5, dirty_rate=0.02, incident=Incident.CLOSED_PERIOD_POSTING))
        summaries.append(simulate_day(conninfo, seed=5, dirty_rate=0.02, incident=Incident.HALF_DAY))

    assert summaries[:3] == summaries[3:]
    for table in PRIMARY_KEYS:
        assert rows_by_key(first, table) == rows_by_key(second, table), table
    assert [s.as_dict()["day"] for s in summaries[:3]] == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert summaries[1].closed_period_vouchers and summaries[2].withheld


def test_should_simulate_days_after_a_history_that_ends_on_another_day(make_database: MakeDatabase) -> None:
    conninfo = make_database("sim_other_end")
    end = dt.date(2028, 3, 15)  # a Wednesday, in a year outside the official holiday table
    seed_level1(conninfo, scale=0.3, end=end)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:  # volumes follow this history's real size
        assert 0.27 <= Day(cur, end + dt.timedelta(days=1), seed=1, dirty_rate=0.0).scale <= 0.33
    previous = {table: max_updated(conninfo, table) for table in PRIMARY_KEYS}

    first = simulate_day(conninfo, dirty_rate=0.02)
    later = simulate_day(conninfo, day=dt.date(2028, 4, 10), dirty_rate=0.02)

    assert first.day == dt.date(2028, 3, 16)
    for summary in (first, later):
        for table in ("expense_claim", "payment_order", "ar_invoice", "ar_receipt", "gl_voucher_line"):
            assert summary.inserted[table] > 0, (summary.day, table)
        assert all(summary.dirty[kind] for kind in DIRTY_KINDS), summary.day
    with psycopg.connect(conninfo) as conn:  # whatever was stamped after the history lies on a simulated day
        for table, before in previous.items():
            query = sql.SQL(
                "SELECT DISTINCT (updated_at AT TIME ZONE 'Asia/Shanghai')::date FROM {} WHERE updated_at > %s"
            ).format(sql.Identifier("l1", table))
            assert {day for (day,) in conn.execute(query, (before,))} <= {first.day, later.day}, table
    dirty_unbalanced = len(first.dirty["unbalanced_voucher"]) + len(later.dirty["unbalanced_voucher"])
    assert count(conninfo, UNBALANCED_POSTED) == dirty_unbalanced


POSTING_DATES = """
    SELECT voucher_date FROM l1.gl_voucher UNION SELECT claim_date FROM l1.expense_claim
    UNION SELECT pay_date FROM l1.payment_order UNION SELECT invoice_date FROM l1.ar_invoice
    UNION SELECT receipt_date FROM l1.ar_receipt
    UNION SELECT (txn_time AT TIME ZONE 'Asia/Shanghai')::date FROM l1.bank_transaction"""


def test_should_post_on_working_days_only_make_up_saturdays_included(make_database: MakeDatabase) -> None:
    conninfo = make_database("sim_working_days")
    seed_level1(conninfo, scale=0.1, end=dt.date(2026, 2, 13))  # the Friday before a make-up Saturday (调休)

    saturday = simulate_day(conninfo, dirty_rate=0.02)
    festival = [simulate_day(conninfo, day=dt.date(2026, 2, d), dirty_rate=0.02) for d in (15, 16)]  # 春节

    calendar = default_calendar()
    assert saturday.day == dt.date(2026, 2, 14) and calendar.is_makeup_workday(saturday.day)
    for table in ("gl_voucher", "gl_voucher_line", "expense_claim", "payment_order", "bank_transaction"):
        assert saturday.inserted[table] > 0, table
    assert [s.day for s in festival] == [dt.date(2026, 2, 15), dt.date(2026, 2, 16)]
    for summary in festival:
        posted = {t: n for t, n in summary.inserted.items() if n}
        assert posted == {} and not any(summary.dirty.values()), (summary.day, posted)
    with psycopg.connect(conninfo) as conn:
        dates = [day for (day,) in conn.execute(POSTING_DATES)]
        makeup = [d for d in dates if calendar.is_makeup_workday(d)]
    assert dates and [d for d in dates if not calendar.is_working_day(d)] == []
    assert len(makeup) >= 3, "the history and the simulated Saturday post on make-up working days"
