"""The refresh: the quality gate skips, the mart checks refuse, and publishing is all-or-nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import psycopg
import pytest

from smartops.scenarios.exceptions import MartBuildError, MartChecksFailed
from smartops.scenarios.refresh import Status, refresh_scenario, staging_schema
from tests.scenarios.conftest import BUSINESS_DATE
from tests.support.helpers import query, table_hash

AGING_COLUMNS = ["customer_id", "org_id", "outstanding", "aging_0_30", "aging_over_365", "overdue_rank"]


def aging_hash(warehouse: str) -> tuple:
    return table_hash(warehouse, "ads", "receivables_aging", AGING_COLUMNS, ["customer_id", "org_id"])


def log_rows(warehouse: str, scenario: str) -> list[tuple]:
    return query(warehouse, "SELECT status, reason, rows, table_rows, inputs_freshness FROM ops.scenario_refresh "
                            "WHERE scenario = %s ORDER BY refresh_id", (scenario,))


def add_quality_result(warehouse: str, table: str, outcome: str) -> None:
    """Store one quality result for the current build of `table` on BUSINESS_DATE, as quality_scan would."""
    scan_id = uuid.uuid4()
    with psycopg.connect(warehouse) as conn:
        conn.execute(
            "INSERT INTO ops.quality_result (scan_id, run_id, business_date, source, table_name, check_name, "
            "outcome, severity, blocking, measured_value, threshold) "
            "VALUES (%s, 'test', %s, 'soda', %s, 'outstanding is invoiced minus received', %s, 'high', true, 3, "
            "'fail when failed rows > 0')", (scan_id, BUSINESS_DATE, table, outcome))
        conn.execute("INSERT INTO ops.quality_scan_build (scan_id, table_name, build_id) "
                     "SELECT %s, table_name, build_id FROM ops.table_build WHERE table_name = %s", (scan_id, table))


def test_should_publish_and_log_rows_and_input_freshness(built, registry):
    add_quality_result(built, "dwd.ar_invoice", "pass")

    result = refresh_scenario(registry.get("receivables_aging"), warehouse=built, business_date=BUSINESS_DATE,
                              run_id="test__publish")

    assert (result.status, result.table_rows) == (Status.PUBLISHED, {"ads.receivables_aging": 3})
    [(status, reason, rows, table_rows, freshness)] = log_rows(built, "receivables_aging")
    assert (status, reason, rows, table_rows) == ("published", None, 3, {"ads.receivables_aging": 3})
    built_at = query(built, "SELECT max(finished_at) FROM ops.model_run WHERE model = 'dwd.ar_invoice'")[0][0]
    assert freshness == {"dwd.ar_invoice": built_at.isoformat()}
    assert query(built, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s",
                 (staging_schema(registry.get("receivables_aging")),)) == [(0,)]


@pytest.mark.parametrize("quality", [None, "fail"], ids=["no-scan-for-the-date", "failed-check"])
def test_should_skip_when_gate_refuses_and_keep_the_previous_mart(built, registry, quality):
    scenario = registry.get("receivables_aging")
    refresh_scenario(scenario, warehouse=built, business_date=BUSINESS_DATE, run_id="test__before", gate=False)
    before = aging_hash(built)
    with psycopg.connect(built) as conn:  # new data the refused refresh must not publish
        conn.execute("UPDATE dwd.ar_invoice SET outstanding_amount = outstanding_amount + 1")
    if quality:
        add_quality_result(built, "dwd.ar_invoice", quality)

    result = refresh_scenario(scenario, warehouse=built, business_date=BUSINESS_DATE, run_id="test__refused")

    assert result.status is Status.SKIPPED
    assert "dwd.ar_invoice" in result.reason
    assert ("outstanding is invoiced minus received" in result.reason) == (quality == "fail")
    assert aging_hash(built) == before
    assert query(built, "SELECT sum(outstanding) FROM ads.receivables_aging") == [(17630,)]
    assert [(s, r) for s, r, *_ in log_rows(built, "receivables_aging")] == [
        ("published", None), ("skipped", result.reason)]


def test_should_leave_the_old_mart_when_a_build_fails_mid_way(built, registry, scratch_sql):
    reconciliation = registry.get("reconciliation")
    refresh_scenario(reconciliation, warehouse=built, business_date=BUSINESS_DATE, run_id="test__ok", gate=False)
    before = query(built, "SELECT count(*), sum(doc_amount) FROM ads.reconciliation_detail")
    # The first table builds, the second fails: nothing of the scenario may be published.
    broken = reconciliation.model_copy(update={"sql": scratch_sql(
        "-- name: reconciliation_detail\nSELECT 'x' AS doc_type, 1 AS doc_id\n"
        "-- name: reconciliation_summary\nSELECT org_level / 0 AS boom FROM dwd.org_unit\n")})

    with pytest.raises(MartBuildError, match="reconciliation_summary.*division by zero"):
        refresh_scenario(broken, warehouse=built, business_date=BUSINESS_DATE, run_id="test__broken", gate=False)

    assert query(built, "SELECT count(*), sum(doc_amount) FROM ads.reconciliation_detail") == before
    assert query(built, "SELECT count(*) FROM ads.reconciliation_summary") == [(6,)]
    assert [s for s, *_ in log_rows(built, "reconciliation")] == ["published", "failed"]
    assert query(built, "SELECT to_regnamespace(%s) IS NULL", (staging_schema(broken),)) == [(True,)]


def test_should_not_publish_a_mart_that_fails_its_checks(built, registry, scratch_sql):
    aging = registry.get("receivables_aging")
    refresh_scenario(aging, warehouse=built, business_date=BUSINESS_DATE, run_id="test__ok", gate=False)
    before = aging_hash(built)
    select = aging.select("receivables_aging")
    duplicated = aging.model_copy(update={"sql": scratch_sql(  # every customer twice
        f"-- name: receivables_aging\nSELECT * FROM ({select}) a UNION ALL SELECT * FROM ({select}) b\n")})

    with pytest.raises(MartChecksFailed, match="one row per customer and organisation"):
        refresh_scenario(duplicated, warehouse=built, business_date=BUSINESS_DATE, run_id="test__dup", gate=False)

    assert aging_hash(built) == before
    assert [s for s, *_ in log_rows(built, "receivables_aging")] == ["published", "failed"]


def test_should_refuse_yesterdays_refresh_over_todays_builds(built, registry):
    """A pass recorded for yesterday's build never approves the build that replaced it (issue: the gate asked
    about a date while the marts were built from whatever tables existed now)."""
    from smartops.aggregation.build import build_model
    from smartops.config.catalog import load_models

    aging = registry.get("receivables_aging")
    add_quality_result(built, "dwd.ar_invoice", "pass")  # yesterday's build passed
    today = BUSINESS_DATE + timedelta(days=1)
    build_model(load_models().get("dwd.ar_invoice"), registry=load_models(), warehouse=built, business_date=today,
                run_id="today")

    yesterday_again = refresh_scenario(aging, warehouse=built, business_date=BUSINESS_DATE, run_id="manual__y")
    today_unscanned = refresh_scenario(aging, warehouse=built, business_date=today, run_id="manual__t")

    assert yesterday_again.status is today_unscanned.status is Status.SKIPPED
    assert f"is for business date {today}, not {BUSINESS_DATE}; run aggregation for {BUSINESS_DATE}" in \
        yesterday_again.reason
    assert "has not been scanned; run quality_scan" in today_unscanned.reason
    assert query(built, "SELECT to_regclass('ads.receivables_aging') IS NULL") == [(True,)]
    add_quality_result(built, "dwd.ar_invoice", "pass")  # today's build scanned and passed
    published = refresh_scenario(aging, warehouse=built, business_date=today, run_id="manual__t2")
    assert published.status is Status.PUBLISHED
    assert query(built, "SELECT inputs_builds FROM ops.scenario_refresh WHERE run_id = 'manual__t2'") == [
        ({"dwd.ar_invoice": query(built, "SELECT build_id FROM ops.table_build WHERE table_name = 'dwd.ar_invoice'")
          [0][0]},)]


def test_should_build_only_from_the_builds_the_gate_approved(built, registry):
    from smartops.scenarios.exceptions import InputsChanged
    from smartops.scenarios.refresh import _build

    aging = registry.get("receivables_aging")
    with psycopg.connect(built, autocommit=True) as conn, pytest.raises(InputsChanged, match="dwd.ar_invoice"):
        _build(conn, aging, BUSINESS_DATE, approved={"dwd.ar_invoice": "model_run:0"})  # a build since replaced
    assert query(built, "SELECT to_regnamespace(%s) IS NULL", (staging_schema(aging),)) == [(True,)]
