"""The pulse's reads of ops.sync_ledger, on a migrated warehouse."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from smartops.pulse import VolumePoint
from smartops.pulse.history import activity_date, read_all_volume_series, read_newest_cursors, read_volume_series

LEDGER = """INSERT INTO ops.sync_ledger (run_id, table_name, mode, rows_inserted, rows_updated, rows_deleted,
    started_at, finished_at, duration_s, status, business_date, watermark_after)
VALUES (%s, %s, %s, %s, %s, %s, now(), now(), 1, %s, %s, %s)"""


def ledger(conn, table, day, inserted, *, updated=0, deleted=0, mode="incremental", status="success",
           watermark=None, run="r"):
    conn.execute(LEDGER, (f"{run}-{day}", table, mode, inserted, updated, deleted, status, day, watermark))


def test_should_sum_committed_incremental_syncs_per_business_date(warehouse):
    with psycopg.connect(warehouse, autocommit=True) as conn:
        ledger(conn, "gl_voucher", date(2026, 3, 9), 100, updated=5, deleted=1)
        ledger(conn, "gl_voucher", date(2026, 3, 9), 20, updated=1, run="retry")  # a second run of the date
        ledger(conn, "gl_voucher", date(2026, 3, 10), 80, status="mismatch")
        ledger(conn, "gl_voucher", date(2026, 3, 10), 999, status="failed", run="x")  # rolled back: not loaded
        ledger(conn, "gl_voucher", date(2026, 3, 11), 50_000, mode="initial")  # the whole table, not a day
        ledger(conn, "customer", date(2026, 3, 9), 3)
        assert read_volume_series(conn, "gl_voucher", date(2026, 3, 1), date(2026, 3, 31)) == [
            VolumePoint(date(2026, 3, 9), 120, 6, 1), VolumePoint(date(2026, 3, 10), 80, 0, 0)]
        assert read_volume_series(conn, "gl_voucher", date(2026, 3, 10), date(2026, 3, 10)) == [
            VolumePoint(date(2026, 3, 10), 80, 0, 0)]
        everything = read_all_volume_series(conn, date(2026, 3, 1), date(2026, 3, 31))
        assert set(everything) == {"gl_voucher", "customer"} and len(everything["gl_voucher"]) == 2


def test_should_read_the_cursor_each_table_had_reached_by_the_business_date(warehouse):
    with psycopg.connect(warehouse, autocommit=True) as conn:
        ledger(conn, "gl_voucher", date(2026, 3, 9), 1, watermark="2026-03-09 17:55:00+08")
        ledger(conn, "gl_voucher", date(2026, 3, 10), 0, watermark="2026-03-09 17:55:00+08")
        ledger(conn, "gl_voucher", date(2026, 3, 11), 5, watermark="2026-03-11 16:00:00+08")
        ledger(conn, "bank_transaction", date(2026, 3, 10), 0, watermark="2026-03-10 23:30:00+00", status="failed")
        assert read_newest_cursors(conn, date(2026, 3, 10)) == {"gl_voucher": "2026-03-09 17:55:00+08"}
        assert read_newest_cursors(conn, date(2026, 3, 12))["gl_voucher"] == "2026-03-11 16:00:00+08"


@pytest.mark.parametrize(("watermark", "day"), [
    ("2026-03-10 23:30:00+00", date(2026, 3, 11)),  # 07:30 in Asia/Shanghai
    ("2026-03-10 23:30:00", date(2026, 3, 10)),  # naive: taken as Asia/Shanghai
    ("184467", None), (None, None)])
def test_should_turn_a_timestamp_cursor_into_its_business_date(watermark, day):
    assert activity_date(watermark) == day
