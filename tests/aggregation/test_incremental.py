"""Incremental fact models equal a full rebuild, and the build plan chooses full when it must."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg
from psycopg import sql

from smartops.aggregation.build import build_model
from smartops.config.catalog import load_models
from smartops.vocabulary import BuildMode
from tests.aggregation.conftest import BUSINESS_DATE, build_all
from tests.conftest import DEMO_END
from tests.support.helpers import query, scalar, sync_all
from workbench.demo.simulator import simulate_day

INCREMENTAL = [m for m in load_models().ordered if m.incremental]


def build_every(conninfo: str, business_date: date, run_id: str, *, full_rebuild: bool = False) -> dict:
    """Build every model in dependency order; return {model: ModelResult}."""
    registry = load_models()
    return {m.name: build_model(m, warehouse=conninfo, business_date=business_date, run_id=run_id,
                                full_rebuild=full_rebuild, registry=registry) for m in registry.ordered}


# Which run and date detected a reject is build metadata: rows of untouched vouchers keep theirs.
BUILD_METADATA = {"business_date", "run_id", "detected_at"}


def differences(conninfo: str, model_name: str) -> tuple[int, int]:
    """Rows only in the incremental copy, rows only in the full rebuild (both 0 when equal)."""
    layer, table = model_name.split(".")
    with psycopg.connect(conninfo) as conn:
        columns = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position", (layer, table)) if model_name != "dwd.reject" or r[0] not in BUILD_METADATA]
        assert columns
        listed = sql.SQL(", ").join(map(sql.Identifier, columns))
        full = sql.SQL("SELECT {} FROM {}").format(listed, sql.Identifier(layer, table))
        incr = sql.SQL("SELECT {} FROM {}").format(listed, sql.Identifier(layer, f"{table}__incremental"))
        return conn.execute(sql.SQL(
            "SELECT (SELECT count(*) FROM ({incr} EXCEPT ALL {full}) a), "
            "(SELECT count(*) FROM ({full} EXCEPT ALL {incr}) b)").format(incr=incr, full=full)).fetchone()


def keep_copy(conninfo: str, model_name: str) -> None:
    layer, table = model_name.split(".")
    with psycopg.connect(conninfo) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} AS TABLE {}").format(
            sql.Identifier(layer, f"{table}__incremental"), sql.Identifier(layer, table)))


def test_should_equal_a_full_rebuild_after_several_days_of_late_changes_voids_and_deletes(
        demo_level1, demo_warehouse):
    assert INCREMENTAL, "no incremental model in models.yaml"
    first = build_every(demo_warehouse, DEMO_END, "aggregation__day0")
    assert {first[m.name].mode for m in INCREMENTAL} == {BuildMode.FULL}  # no previous build
    late = deleted = 0
    for index in range(1, 4):
        day = simulate_day(demo_level1, dirty_rate=0.02)
        late += sum(day.late_updates.values())
        deleted += sum(day.deleted.values())
        if index == 2:  # Level-1 discards a voucher loaded the day before (the simulator deletes few at this scale)
            voucher = scalar(demo_warehouse, "SELECT max(voucher_id) FROM ods.gl_voucher")
            with psycopg.connect(demo_level1) as conn:
                conn.execute("DELETE FROM l1.gl_voucher_line WHERE voucher_id = %s", (voucher,))
                deleted += conn.execute("DELETE FROM l1.gl_voucher WHERE voucher_id = %s", (voucher,)).rowcount
        sync_all(demo_level1, demo_warehouse, run_id=f"backflow__day{index}")
        results = build_every(demo_warehouse, day.day, f"aggregation__day{index}")
        for model in INCREMENTAL:
            assert results[model.name].mode is BuildMode.INCREMENTAL, model.name
            assert results[model.name].changed_rows > 0, model.name
    assert late > 0 and deleted > 0  # the days did change old documents and delete some
    assert scalar(demo_warehouse, "SELECT count(*) FROM ods.gl_voucher_line WHERE _deleted_at IS NOT NULL") > 0
    counts = {m.name: scalar(demo_warehouse, sql.SQL("SELECT count(*) FROM {}").format(
        sql.Identifier(*m.name.split("."))).as_string()) for m in INCREMENTAL}
    incremental_rows = {m.name: results[m.name].rows for m in INCREMENTAL}
    assert incremental_rows == counts  # the rows recorded for an incremental build are the table's
    # dws.gl_balance has read the deltas of the days before: only the last day's are kept.
    assert query(demo_warehouse, "SELECT DISTINCT r.run_id FROM ops.model_delta d JOIN ops.model_run r "
                                 "USING (model_run_id) WHERE d.model = 'dwd.voucher_line'") == [
        ("aggregation__day3",)]
    for model in INCREMENTAL:
        keep_copy(demo_warehouse, model.name)
    rebuilt = build_every(demo_warehouse, day.day, "aggregation__full", full_rebuild=True)
    assert {rebuilt[m.name].mode for m in INCREMENTAL} == {BuildMode.FULL}
    for model in INCREMENTAL:
        assert rebuilt[model.name].rows > 0
        assert differences(demo_warehouse, model.name) == (0, 0), model.name


def test_should_detect_a_difference_when_the_incremental_copy_is_wrong(demo_warehouse):
    """The comparison above can fail: one changed amount is one row on each side."""
    build_every(demo_warehouse, DEMO_END, "aggregation__day0")
    keep_copy(demo_warehouse, "dwd.voucher_line")
    with psycopg.connect(demo_warehouse) as conn:
        conn.execute("UPDATE dwd.voucher_line__incremental SET summary = summary || 'x' "
                     "WHERE line_id = (SELECT min(line_id) FROM dwd.voucher_line__incremental)")
    assert differences(demo_warehouse, "dwd.voucher_line") == (1, 1)


def modes(conninfo: str, run_id: str) -> dict[str, tuple[str, str]]:
    return {model: (mode, reason) for model, mode, reason in query(
        conninfo, "SELECT model, mode, reason FROM ops.model_run WHERE run_id = %s", (run_id,))}


def test_should_rebuild_in_full_on_request_rewind_master_data_change_and_sql_change(built, monkeypatch, tmp_path):
    later = BUSINESS_DATE + timedelta(days=1)
    build_all(built, later, run_id="again")
    assert modes(built, "again")["dwd.voucher_line"] == ("incremental", "changes since the last build")
    assert modes(built, "again")["dwd.org_unit"][0] == "full"  # dimension models stay full rebuilds

    build_every(built, later, "asked", full_rebuild=True)
    assert modes(built, "asked")["dws.gl_balance"] == ("full", "full rebuild requested")

    build_all(built, BUSINESS_DATE, run_id="rewound")
    assert modes(built, "rewound")["dwd.voucher_line"] == (
        "full", f"business date rewound from {later} to {BUSINESS_DATE}")

    with psycopg.connect(built) as conn:
        conn.execute("UPDATE ods.account SET account_name = account_name || '（新）', _loaded_at = now() "
                     "WHERE account_code = '660201'")
    build_all(built, BUSINESS_DATE, run_id="renamed")
    renamed = modes(built, "renamed")
    assert renamed["dwd.voucher_line"] == ("full", "master data ods.org_unit, ods.account changed since the last build")
    # gl_balance reads voucher_line, rebuilt in full: it cannot use the deltas.
    assert renamed["dws.gl_balance"] == ("full", "dwd.voucher_line was rebuilt in full since the last build")
    assert scalar(built, "SELECT count(*) FROM dwd.voucher_line WHERE account_name = '差旅费（新）'") > 0

    registry = load_models()
    model = registry.get("dws.gl_balance")
    edited = tmp_path / "gl_balance.sql"
    edited.write_text(model.sql_path.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    sql_path = type(model).sql_path
    monkeypatch.setattr(type(model), "sql_path", property(
        lambda self: edited if self.name == "dws.gl_balance" else sql_path.fget(self)))
    build_model(model, warehouse=built, business_date=BUSINESS_DATE, run_id="edited", registry=registry)
    assert modes(built, "edited")["dws.gl_balance"] == ("full", "the model's SQL or an upstream model's SQL changed")


def test_should_apply_a_late_change_void_and_delete_incrementally(built):
    before = scalar(built, "SELECT debit FROM dws.gl_balance WHERE account_code = '660201' AND period = '2026-03'")
    with psycopg.connect(built) as conn:
        conn.execute("UPDATE ods.gl_voucher_line SET debit_amount = 700, _loaded_at = now() WHERE line_id = 1060")
        conn.execute("UPDATE ods.gl_voucher_line SET credit_amount = 700, _loaded_at = now() WHERE line_id = 1061")
        conn.execute("UPDATE ods.gl_voucher SET status = 'voided', _loaded_at = now() WHERE voucher_id = 103")
        conn.execute("UPDATE ods.gl_voucher SET _deleted_at = now() WHERE voucher_id = 100")
    results = build_all(built, BUSINESS_DATE, run_id="late")
    assert modes(built, "late")["dwd.voucher_line"][0] == "incremental"
    lines = {r[0] for r in query(built, "SELECT line_id FROM dwd.voucher_line")}
    assert lines == {1060, 1061}
    assert results["dwd.voucher_line"] == 2
    after = scalar(built, "SELECT debit FROM dws.gl_balance WHERE account_code = '660201' AND period = '2026-03'")
    assert (before, after) == (570, 700)
    assert scalar(built, "SELECT count(*) FROM dws.gl_balance WHERE period = '2026-04'") == 0
