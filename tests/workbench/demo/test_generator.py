"""Tests for the demo Level-1 seed generator (real PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import psycopg
from psycopg import sql

from smartops.calendar import default_calendar
from tests.support.helpers import scalar
from workbench.demo.generator import SCHEMA_SQL, history_end, seed_level1
from workbench.demo.reference import PRIMARY_KEYS, TABLE_COLUMNS
from workbench.paths import DEMO_SQL

MakeDatabase = Callable[[str], str]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# md5 over table_hashes() of the Level-1 seeded at scale 1, seed 20261129, end 2026-11-28; change this only
# on purpose. Last changed when the demo took the product's calendar (调休 make-up days are working days,
# postings on working days only) and gained the accounting periods.
PINNED_LEVEL1_HASH = "abf85934bbf5523b8e54e6937ed2f534"


def table_hashes(conninfo: str) -> dict[str, str]:
    """Return an md5 of every l1 table's rows in primary-key order (rendered in Asia/Shanghai, ISO dates)."""
    hashes = {}
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET TimeZone = 'Asia/Shanghai'")
        conn.execute("SET DateStyle = 'ISO, YMD'")
        for table, pk in PRIMARY_KEYS.items():
            hashes[table] = conn.execute(
                sql.SQL(
                    "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.{}), '')) FROM {} t"
                ).format(sql.Identifier(pk), sql.Identifier("l1", table))
            ).fetchone()[0]
    return hashes


def row_counts(conninfo: str) -> dict[str, int]:
    """Count the rows of every l1 table."""
    with psycopg.connect(conninfo) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("l1", table))
            ).fetchone()[0]
            for table in TABLE_COLUMNS
        }


def test_should_point_schema_sql_at_the_level1_ddl() -> None:
    assert SCHEMA_SQL.is_file()
    assert SCHEMA_SQL.parts[-4:] == ("workbench", "demo", "sql", "level1_schema.sql")


def test_should_generate_identical_tables_for_the_same_seed(make_database: MakeDatabase) -> None:
    first, second = make_database("gen_same_a"), make_database("gen_same_b")

    assert seed_level1(first, scale=0.2, seed=7)
    assert seed_level1(second, scale=0.2, seed=7)

    assert table_hashes(first) == table_hashes(second)


def test_should_generate_different_data_for_a_different_seed(make_database: MakeDatabase) -> None:
    first, second = make_database("gen_seed_a"), make_database("gen_seed_b")

    seed_level1(first, scale=0.1, seed=7)
    seed_level1(second, scale=0.1, seed=8)

    a, b = table_hashes(first), table_hashes(second)
    assert a["org_unit"] == b["org_unit"] and a["account"] == b["account"]
    for table in ("gl_voucher_line", "expense_claim", "ar_invoice", "bank_transaction"):
        assert a[table] != b[table], table


def test_should_balance_every_posted_voucher_after_seed(make_database: MakeDatabase) -> None:
    conninfo = make_database("gen_balance")
    seed_level1(conninfo, scale=1.0)

    unbalanced = scalar(
        conninfo,
        """
        SELECT count(*) FROM (
            SELECT v.voucher_id FROM l1.gl_voucher v JOIN l1.gl_voucher_line l USING (voucher_id)
            WHERE v.status = 'posted' GROUP BY v.voucher_id
            HAVING sum(l.debit_amount) <> sum(l.credit_amount) OR count(*) < 2) x""",
    )
    without_lines = scalar(
        conninfo,
        """
        SELECT count(*) FROM l1.gl_voucher v
        WHERE NOT EXISTS (SELECT 1 FROM l1.gl_voucher_line l WHERE l.voucher_id = v.voucher_id)""",
    )
    lines = scalar(conninfo, "SELECT count(*) FROM l1.gl_voucher_line")

    assert unbalanced == 0
    assert without_lines == 0
    assert 18_000 <= lines <= 25_000


def test_should_not_duplicate_rows_when_seeding_twice(make_database: MakeDatabase) -> None:
    conninfo = make_database("gen_twice")

    assert seed_level1(conninfo, scale=0.1) is True
    before = row_counts(conninfo)
    assert seed_level1(conninfo, scale=0.1) is False

    assert row_counts(conninfo) == before
    assert before["org_unit"] > 0 and before["gl_voucher_line"] > 0


def test_should_scale_voucher_lines_roughly_linearly(make_database: MakeDatabase) -> None:
    half, full = make_database("gen_half"), make_database("gen_full")

    seed_level1(half, scale=0.5)
    seed_level1(full, scale=1.0)

    ratio = row_counts(half)["gl_voucher_line"] / row_counts(full)["gl_voucher_line"]
    assert 0.45 <= ratio <= 0.6


def test_should_end_the_history_on_the_given_day_and_record_nothing_after_it(make_database: MakeDatabase) -> None:
    # 2028 lies outside the official holiday table; that history goes live after its first mid-year budget revision
    for end, start in ((dt.date(2026, 11, 28), dt.date(2025, 1, 1)), (dt.date(2028, 10, 20), dt.date(2026, 11, 24))):
        conninfo = make_database(f"gen_end_{end.year}")
        seed_level1(conninfo, scale=0.3, end=end)
        first = dt.datetime.combine(start, dt.time(), SHANGHAI)
        last = dt.datetime.combine(end, dt.time(23, 59, 59), SHANGHAI)

        assert history_end(conninfo) == end
        with psycopg.connect(conninfo) as conn:
            for table in TABLE_COLUMNS:
                low, high = conn.execute(
                    sql.SQL("SELECT min(updated_at), max(updated_at) FROM {}").format(sql.Identifier("l1", table))
                ).fetchone()
                assert first <= low <= high <= last, (end, table)
            period_mismatch, voucher_low, voucher_high = conn.execute(
                "SELECT count(*) FILTER (WHERE period <> to_char(voucher_date, 'YYYY-MM')), "
                "min(voucher_date), max(voucher_date) FROM l1.gl_voucher"
            ).fetchone()
            documents_after = conn.execute(
                "SELECT (SELECT count(*) FROM l1.expense_claim WHERE claim_date > %(end)s) "
                "+ (SELECT count(*) FROM l1.ar_invoice WHERE invoice_date > %(end)s) "
                "+ (SELECT count(*) FROM l1.ar_receipt WHERE receipt_date > %(end)s) "
                "+ (SELECT count(*) FROM l1.bank_transaction WHERE txn_time > %(last)s)",
                {"end": end, "last": last},
            ).fetchone()[0]
            opening = conn.execute("SELECT min(opening_date), max(opening_date) FROM l1.bank_account").fetchone()
            default_day = conn.execute(DEMO_SQL.named("level1.sql", "day_after_latest_change")).fetchone()[0]

        assert period_mismatch == 0
        last_working = end if default_calendar().is_working_day(end) else default_calendar().previous_working_day(end)
        assert start <= voucher_low <= voucher_high == last_working  # 2026-11-28 is a Saturday
        assert documents_after == 0
        assert opening == (start, start)
        assert default_day == end + dt.timedelta(days=1)


def test_should_end_the_history_yesterday_in_shanghai_by_default(make_database: MakeDatabase) -> None:
    conninfo = make_database("gen_default_end")
    seed_level1(conninfo, scale=0.1)

    assert history_end(conninfo) == dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=1)


def test_should_seed_the_pinned_level1_for_seed_20261129_ending_2026_11_28(make_database: MakeDatabase) -> None:
    conninfo = make_database("gen_pinned")
    seed_level1(conninfo, scale=1.0, seed=20261129, end=dt.date(2026, 11, 28))

    hashes = table_hashes(conninfo)
    overall = hashlib.md5("\n".join(f"{table} {digest}" for table, digest in hashes.items()).encode()).hexdigest()
    assert overall == PINNED_LEVEL1_HASH, hashes


def test_should_link_business_documents_to_their_vouchers(make_database: MakeDatabase) -> None:
    conninfo = make_database("gen_links")
    seed_level1(conninfo, scale=0.3)

    with psycopg.connect(conninfo) as conn:
        paid_claims_without_voucher = conn.execute("""
            SELECT count(*) FROM l1.expense_claim c WHERE c.status = 'paid' AND NOT EXISTS (
                SELECT 1 FROM l1.gl_voucher v WHERE v.source_type = 'expense_claim'
                AND v.source_doc_id = c.claim_id AND v.status = 'posted')""").fetchone()[0]
        wrong_invoice_status = conn.execute("""
            SELECT count(*) FROM l1.ar_invoice i
            LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM l1.ar_receipt GROUP BY 1) r
                USING (invoice_id)
            WHERE i.status <> 'voided' AND i.status <> CASE
                WHEN coalesce(r.paid, 0) = 0 THEN 'issued'
                WHEN r.paid >= i.amount + i.tax_amount THEN 'paid' ELSE 'partially_paid' END""").fetchone()[0]
        paid_orders_without_txn = conn.execute("""
            SELECT count(*) FROM l1.payment_order p WHERE p.status = 'paid' AND NOT EXISTS (
                SELECT 1 FROM l1.bank_transaction t WHERE t.ref_doc_type = 'payment_order'
                AND t.ref_doc_id = p.payment_id AND t.direction = 'out'
                AND t.amount = p.amount)""").fetchone()[0]
        due_terms = {
            row[0] for row in conn.execute("SELECT DISTINCT due_date - invoice_date FROM l1.ar_invoice")
        }
        non_cny = conn.execute("""
            SELECT (SELECT count(*) FROM l1.gl_voucher_line WHERE currency <> 'CNY')
                 + (SELECT count(*) FROM l1.expense_claim WHERE currency <> 'CNY')""").fetchone()[0]

    assert paid_claims_without_voucher == 0
    assert wrong_invoice_status == 0
    assert paid_orders_without_txn == 0
    assert due_terms <= {30, 60, 90}
    assert non_cny == 0
