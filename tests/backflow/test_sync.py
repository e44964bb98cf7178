"""The sync engine on small hand-built Level-1 tables (real PostgreSQL, no scheduler)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from smartops.backflow.exceptions import ReconciliationMismatch, SchemaDriftError, SourceTableMissing
from smartops.backflow.load import INCREMENTAL_FILLFACTOR
from smartops.backflow.sync import sync_table
from smartops.config.inventory import BackflowTable
from tests.support.helpers import assert_ods_equals_level1

T0 = "2026-03-01 08:00:00+08"
DAY = date(2026, 3, 1)  # the business date runs of the reconciliation-cadence tests stand for


def make_table(**overrides) -> BackflowTable:
    fields = dict(name="doc", source="l1.doc", primary_key=["doc_id"], cursor="updated_at",
                  amount_columns=["amount"], owner="test", severity="high", freshness_sla="6h", lookback="1h")
    return BackflowTable(**{**fields, **overrides})


def run(table, level1, warehouse, run_id, **kw):
    return sync_table(table, source=level1, warehouse=warehouse, run_id=run_id, **kw)


def state(warehouse: str, table: str = "doc"):
    with psycopg.connect(warehouse) as conn:
        return conn.execute("SELECT watermark, last_status FROM ops.table_state WHERE table_name = %s",
                            (table,)).fetchone()


def execute(conninfo: str, statement: str, params=None) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement, params)


def test_should_load_everything_on_the_first_run(doc, warehouse):
    result = run(make_table(), doc, warehouse, "r1")
    assert (result.mode, result.rows_read, result.rows_inserted) == ("initial", 1000, 1000)
    assert_ods_equals_level1(doc, warehouse, make_table())
    assert state(warehouse) == ("2026-03-01 00:16:40+00", "success")
    with psycopg.connect(warehouse) as conn:
        ledger = conn.execute("SELECT status, rows_read, mode FROM ops.sync_ledger").fetchall()
        phases = conn.execute("SELECT phases FROM ops.sync_ledger").fetchone()[0]
        recon = conn.execute("SELECT metric, matched FROM ops.reconciliation ORDER BY metric").fetchall()
        meta = conn.execute("SELECT count(*) FROM ods.doc WHERE _run_id = 'r1' AND _loaded_at IS NOT NULL "
                            "AND _deleted_at IS NULL").fetchone()[0]
    assert ledger == [("success", 1000, "initial")]
    assert set(phases) == {"copy", "index", "reconcile"} and all(v >= 0 for v in phases.values())
    assert recon == [("row_count", True), ("sum(amount)", True)]
    assert meta == 1000


def test_should_upsert_inserts_and_updates_incrementally(doc, warehouse):
    table = make_table()
    run(table, doc, warehouse, "r1")
    execute(doc, "UPDATE l1.doc SET amount = amount + 1, updated_at = '2026-03-02 09:00+08' WHERE doc_id <= 10")
    execute(doc, "INSERT INTO l1.doc VALUES (1001, 'ORG1', 5, 'new', '2026-03-02 09:00+08')")
    result = run(table, doc, warehouse, "r2")
    assert result.mode == "incremental"
    assert (result.rows_inserted, result.rows_updated, result.rows_deleted) == (1, 10, 0)
    assert set(result.phases) == {"copy", "upsert", "reconcile"}
    assert_ods_equals_level1(doc, warehouse, table)
    assert state(warehouse)[0] == "2026-03-02 01:00:00+00"


def test_should_give_the_same_result_when_run_twice(doc, warehouse):
    table = make_table()
    run(table, doc, warehouse, "r1")
    execute(doc, "UPDATE l1.doc SET note = 'x', updated_at = '2026-03-02 09:00+08' WHERE doc_id = 5")
    run(table, doc, warehouse, "r2")
    again = run(table, doc, warehouse, "r3")
    assert (again.rows_inserted, again.rows_updated) == (0, 0)
    assert again.rows_read >= 1  # the lookback window re-reads, the upsert changes nothing
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT doc_id) FROM ods.doc").fetchone() == (1000, 1000)
    assert_ods_equals_level1(doc, warehouse, table)


def test_should_catch_rows_sharing_the_boundary_cursor_value(doc, warehouse):
    """A burst committed in two parts with one timestamp: the second part is still loaded."""
    table = make_table(lookback="1m")
    burst = "2026-03-02 10:00:00+08"
    execute(doc, "INSERT INTO l1.doc SELECT g, 'ORG1', 1, 'burst', %s FROM generate_series(2001, 2100) g", (burst,))
    run(table, doc, warehouse, "r1")
    assert state(warehouse)[0] == "2026-03-02 02:00:00+00"
    # Same cursor value as the watermark, committed after the previous run read it.
    execute(doc, "INSERT INTO l1.doc SELECT g, 'ORG2', 2, 'burst', %s FROM generate_series(2101, 2200) g", (burst,))
    result = run(make_table(lookback="1h"), doc, warehouse, "r2")
    assert result.rows_inserted == 100
    assert_ods_equals_level1(doc, warehouse, table)


def test_should_catch_late_rows_inside_the_lookback(doc, warehouse):
    table = make_table(lookback="1h")
    run(table, doc, warehouse, "r1")
    # Committed late with a cursor 30 minutes below the watermark.
    execute(doc, "UPDATE l1.doc SET amount = 0, updated_at = '2026-03-01 07:50:00+08'::timestamptz "
                 "+ interval '16 minutes' WHERE doc_id = 3")
    result = run(table, doc, warehouse, "r2")
    assert result.rows_updated == 1
    assert_ods_equals_level1(doc, warehouse, table)


def test_should_reread_from_resync_timestamp(doc, warehouse):
    table = make_table(lookback="1m", full_reconcile="every 1 run")  # whole-table evidence on every run
    run(table, doc, warehouse, "r1")
    execute(doc, "UPDATE l1.doc SET amount = 7, updated_at = '2026-03-01 08:00:02+08' WHERE doc_id = 2")
    with pytest.raises(ReconciliationMismatch, match="sum"):  # far below the watermark: missed, and noticed
        run(table, doc, warehouse, "r2")
    resync = run(table, doc, warehouse, "r3", resync_from=datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    assert resync.rows_read == 1000 and resync.rows_updated == 1
    assert_ods_equals_level1(doc, warehouse, table)


def test_should_never_skip_changes_committed_before_a_resync_bound_after_the_watermark(doc, warehouse):
    table = make_table(lookback="1m")
    run(table, doc, warehouse, "r1")  # watermark: 08:16:40+08
    execute(doc, "UPDATE l1.doc SET amount = 9, note = 'changed', updated_at = '2026-03-01 09:00:00+08' "
                 "WHERE doc_id = 5")
    resync = run(table, doc, warehouse, "r2", resync_from=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))  # 10:00+08
    assert resync.window_start == "2026-03-01 00:15:40+00", "the window starts at min(bound, watermark - lookback)"
    assert resync.rows_updated == 1
    assert_ods_equals_level1(doc, warehouse, table)
    assert state(warehouse) == ("2026-03-01 01:00:00+00", "success")


def test_should_keep_an_updated_row_on_its_page_in_an_incremental_table(doc, warehouse):
    """Free space per page (fillfactor) lets the upsert update in place (HOT): no new index entry."""
    table = make_table()
    run(table, doc, warehouse, "r1")
    with psycopg.connect(warehouse) as conn:
        pages = dict(conn.execute("SELECT doc_id, (ctid::text::point)[0] FROM ods.doc WHERE doc_id % 100 = 0"))
    execute(doc, "UPDATE l1.doc SET note = note || ' (edited)', updated_at = '2026-03-02 09:00+08' "
                 "WHERE doc_id % 100 = 0")
    assert run(table, doc, warehouse, "r2").rows_updated == 10
    with psycopg.connect(warehouse) as conn:
        after = dict(conn.execute("SELECT doc_id, (ctid::text::point)[0] FROM ods.doc WHERE doc_id % 100 = 0"))
        options = conn.execute("SELECT reloptions FROM pg_class WHERE oid = 'ods.doc'::regclass").fetchone()[0]
    assert after == pages, "every changed row's new version stayed on its page"
    assert options == [f"fillfactor={INCREMENTAL_FILLFACTOR}"]
    run(make_table(mode="full"), doc, warehouse, "r3")
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT reloptions FROM pg_class WHERE oid = 'ods.doc'::regclass").fetchone()[0] == \
            ["fillfactor=100"], "a table reloaded whole every run needs no free space"


def test_should_load_a_full_table_without_a_cursor_with_its_load_time_as_watermark(level1, warehouse):
    execute(level1, "CREATE TABLE l1.rate (currency text PRIMARY KEY, rate numeric(12,6))")
    execute(level1, "INSERT INTO l1.rate VALUES ('USD', 7.1), ('EUR', 7.7)")
    table = make_table(name="rate", source="l1.rate", primary_key=["currency"], cursor=None, mode="full",
                       amount_columns=["rate"])
    before = datetime.now(UTC)
    first = run(table, level1, warehouse, "r1")
    execute(level1, "UPDATE l1.rate SET rate = 7.2 WHERE currency = 'USD'")
    second = run(table, level1, warehouse, "r2")
    assert (first.rows_read, second.rows_read, second.mode.value) == (2, 2, "full")
    assert_ods_equals_level1(level1, warehouse, table)
    watermark, status = state(warehouse, "rate")
    assert status == "success" and before <= datetime.fromisoformat(watermark) <= datetime.now(UTC)


def test_should_swap_in_a_full_reload(doc, warehouse):
    table = make_table(mode="full")
    run(table, doc, warehouse, "r1")
    execute(doc, "UPDATE l1.doc SET amount = -1 WHERE doc_id = 1")  # cursor not bumped: full mode sees it
    result = run(table, doc, warehouse, "r2")
    assert result.mode == "full" and result.rows_read == 1000
    assert_ods_equals_level1(doc, warehouse, table)
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT to_regclass('ods.doc__loading')").fetchone()[0] is None
        assert conn.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'ods.doc'::regclass "
                            "AND contype = 'p'").fetchone()[0] == "doc_pkey"


def test_should_mark_deleted_rows_instead_of_dropping_them(doc, warehouse):
    table = make_table(delete_detection="key_compare", full_reconcile="every 1 run")
    run(table, doc, warehouse, "r1")
    execute(doc, "DELETE FROM l1.doc WHERE doc_id IN (10, 20, 30)")
    result = run(table, doc, warehouse, "r2")
    assert result.rows_deleted == 3
    with psycopg.connect(warehouse) as conn:
        marked = conn.execute("SELECT doc_id FROM ods.doc WHERE _deleted_at IS NOT NULL ORDER BY 1").fetchall()
        ledger = conn.execute("SELECT rows_deleted FROM ops.sync_ledger WHERE run_id = 'r2'").fetchone()[0]
    assert marked == [(10,), (20,), (30,)] and ledger == 3
    assert_ods_equals_level1(doc, warehouse, table)
    # A full reload keeps the marked rows too.
    run(table, doc, warehouse, "r3", full_reload=True)
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM ods.doc WHERE _deleted_at IS NOT NULL").fetchone()[0] == 3


def test_should_count_only_newly_deleted_rows_when_a_rebuild_carries_the_deleted_over(doc, warehouse):
    table = make_table(delete_detection="key_compare", full_reconcile="every 1 run")
    run(table, doc, warehouse, "r1")
    execute(doc, "DELETE FROM l1.doc WHERE doc_id IN (10, 20, 30)")
    run(table, doc, warehouse, "r2")
    execute(doc, "DELETE FROM l1.doc WHERE doc_id IN (40, 50)")
    execute(doc, "ALTER TABLE l1.doc ADD COLUMN tax numeric(18,2) DEFAULT 0.13")  # add_columns: a rebuild
    result = run(table, doc, warehouse, "r3")
    assert result.mode.value == "rebuild" and result.rows_deleted == 2
    with psycopg.connect(warehouse) as conn:
        marked = conn.execute("SELECT doc_id, _run_id, tax FROM ods.doc WHERE _deleted_at IS NOT NULL "
                              "ORDER BY 1").fetchall()
    assert marked == [(10, "r2", None), (20, "r2", None), (30, "r2", None), (40, "r3", None), (50, "r3", None)]
    assert_ods_equals_level1(doc, warehouse, table)
    assert run(table, doc, warehouse, "r4", full_reload=True).rows_deleted == 0


def test_should_add_a_new_column_and_fill_it_for_old_rows(doc, warehouse):
    table = make_table()
    run(table, doc, warehouse, "r1")
    execute(doc, "ALTER TABLE l1.doc ADD COLUMN tax numeric(18,2) DEFAULT 0.13")
    result = run(table, doc, warehouse, "r2")
    assert [str(c) for c in result.schema_changes] == ["+ tax numeric(18,2)"]
    assert_ods_equals_level1(doc, warehouse, table)
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT column_name, change, action FROM ops.schema_change").fetchall() == [
            ("tax", "added", "applied")]


def test_should_refuse_a_dropped_column_with_a_diff_and_load_nothing(doc, warehouse):
    table = make_table()
    run(table, doc, warehouse, "r1")
    before = state(warehouse)
    execute(doc, "ALTER TABLE l1.doc DROP COLUMN note")
    execute(doc, "UPDATE l1.doc SET amount = 0, updated_at = '2026-03-05 00:00+08' WHERE doc_id = 1")
    with pytest.raises(SchemaDriftError, match=r"(?s)table=doc.*- note text"):
        run(table, doc, warehouse, "r2")
    assert state(warehouse) == (before[0], "failed")
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT amount FROM ods.doc WHERE doc_id = 1").fetchone()[0] == 1.5
        assert conn.execute("SELECT column_name, change, action FROM ops.schema_change").fetchall() == [
            ("note", "dropped", "refused")]
        assert conn.execute("SELECT status FROM ops.sync_ledger WHERE run_id = 'r2'").fetchone()[0] == "failed"


def test_should_refuse_any_drift_under_policy_fail(doc, warehouse):
    table = make_table(schema_drift="fail")
    run(table, doc, warehouse, "r1")
    execute(doc, "ALTER TABLE l1.doc ADD COLUMN extra text")
    with pytest.raises(SchemaDriftError, match=r"\+ extra text"):
        run(table, doc, warehouse, "r2")


def test_should_name_a_missing_source_table(level1, warehouse):
    with pytest.raises(SourceTableMissing, match="l1.doc does not exist"):
        run(make_table(), level1, warehouse, "r1")
    assert state(warehouse) == (None, "failed")


def test_should_fail_on_reconciliation_mismatch_after_committing(doc, warehouse):
    table = make_table(full_reconcile="every 1 run")  # delete_detection: none, yet Level-1 hard-deletes
    run(table, doc, warehouse, "r1")
    execute(doc, "DELETE FROM l1.doc WHERE doc_id = 1")
    with pytest.raises(ReconciliationMismatch, match="row_count: Level-1=999 ods=1000"):
        run(table, doc, warehouse, "r2")
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT status FROM ops.sync_ledger WHERE run_id = 'r2'").fetchone()[0] == "mismatch"
        assert conn.execute("SELECT metric FROM ops.reconciliation WHERE run_id = 'r2' AND NOT matched "
                            "ORDER BY metric").fetchall() == [("row_count",), ("sum(amount)",)]


def test_should_read_level1_through_a_read_only_session(doc, level1_reader, warehouse):
    result = run(make_table(), level1_reader, warehouse, "r1")
    assert result.rows_read == 1000
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        execute(level1_reader, "DELETE FROM l1.doc")


def _reconciled(warehouse: str, run_id: str) -> tuple[str, list[tuple]]:
    with psycopg.connect(warehouse) as conn:
        scope = conn.execute("SELECT reconcile_scope FROM ops.sync_ledger WHERE run_id = %s", (run_id,)).fetchone()[0]
        rows = conn.execute("SELECT metric, source_value, ods_value, scope FROM ops.reconciliation "
                            "WHERE run_id = %s ORDER BY metric", (run_id,)).fetchall()
    return scope, rows


def test_should_reconcile_the_window_and_say_so_once_the_whole_table_was_reconciled_today(doc, warehouse):
    table = make_table(lookback="1m")  # full_reconcile: daily (the default)
    run(table, doc, warehouse, "r1", business_date=DAY)
    assert _reconciled(warehouse, "r1")[0] == "table", "the initial load covers every row"
    execute(doc, "UPDATE l1.doc SET amount = amount + 1, updated_at = '2026-03-02 09:00+08' WHERE doc_id <= 10")
    result = run(table, doc, warehouse, "r2", business_date=DAY)  # a re-run for the same business date
    assert result.reconcile_scope == "window" and result.rows_updated == 10
    scope, rows = _reconciled(warehouse, "r2")
    # the rows the window read (the ten changed and the last minute's lookback), on both sides, not the 1,000
    assert scope == "window" and {r[3] for r in rows} == {"window"}
    assert rows[0][:3] == ("row_count", result.rows_read, result.rows_read) and 10 < result.rows_read < 1000
    assert rows[1][1] == rows[1][2]


def test_should_reconcile_the_whole_table_again_on_the_next_day_and_then_notice_what_no_window_saw(doc, warehouse):
    table = make_table(lookback="1m")
    run(table, doc, warehouse, "r1", business_date=DAY)
    execute(doc, "UPDATE l1.doc SET amount = 7, updated_at = '2026-03-01 08:00:02+08' WHERE doc_id = 2")
    assert run(table, doc, warehouse, "r2", business_date=DAY).reconcile_scope == "window"  # below the watermark
    with pytest.raises(ReconciliationMismatch, match="sum"):
        run(table, doc, warehouse, "r3", business_date=DAY + timedelta(days=1))
    assert _reconciled(warehouse, "r3")[0] == "table"
    assert run(make_table(), doc, warehouse, "r4").reconcile_scope == "table", "no business date: no cadence"


def test_should_reconcile_the_whole_table_every_n_runs(doc, warehouse):
    table = make_table(full_reconcile="every 3 runs")
    scopes = [run(table, doc, warehouse, f"r{i}").reconcile_scope.value for i in range(1, 8)]
    assert scopes == ["table", "window", "window", "table", "window", "window", "table"]


def test_should_mark_key_compare_deletions_at_the_next_whole_table_reconciliation(doc, warehouse):
    table = make_table(delete_detection="key_compare", lookback="10m", full_reconcile="weekly")
    run(table, doc, warehouse, "r1", business_date=DAY)
    execute(doc, "DELETE FROM l1.doc WHERE doc_id = 990")
    window = run(table, doc, warehouse, "r2", business_date=DAY + timedelta(days=6))  # not yet a week
    assert (window.reconcile_scope, window.rows_deleted) == ("window", 0), "the deletion is not a row it read"
    whole = run(table, doc, warehouse, "r3", business_date=DAY + timedelta(days=7))
    assert (whole.reconcile_scope, whole.rows_deleted) == ("table", 1)
    assert_ods_equals_level1(doc, warehouse, table)


def test_should_reconcile_the_table_when_level1_is_empty_and_nothing_was_staged(level1, warehouse):
    execute(level1, "CREATE TABLE l1.doc (doc_id bigint PRIMARY KEY, amount numeric(18,2), updated_at timestamptz)")
    execute(level1, "INSERT INTO l1.doc VALUES (1, 1, now())")
    table = make_table()
    run(table, level1, warehouse, "r1")
    execute(level1, "DELETE FROM l1.doc")
    with pytest.raises(ReconciliationMismatch, match="row_count: Level-1=0 ods=1"):
        run(table, level1, warehouse, "r2")
    assert _reconciled(warehouse, "r2")[0] == "table"


def test_should_refuse_an_unknown_full_reconcile_cadence_naming_the_choices():
    with pytest.raises(ValueError, match="full_reconcile"):
        make_table(full_reconcile="monthly")
