"""Check files, the quality policy and the Soda set-up: complete, consistent, telemetry off."""

from __future__ import annotations

import pytest

from smartops.config.catalog import load_models, load_policy
from smartops.config.inventory import load_inventory
from smartops.config.loader import ConfigError
from smartops.quality.checkfiles import discover, select
from smartops.quality.exceptions import UnknownScanTarget
from smartops.quality.soda_scan import data_source_yaml, disable_soda_telemetry
from smartops.vocabulary import Severity


def test_should_have_a_check_file_for_every_inventory_table_and_model():
    checked = {f.qualified for f in select(discover())}
    models = {m.name for m in load_models().models} - {"dwd.status_map"}  # a constant mapping, no data
    assert {f"ods.{name}" for name in load_inventory().names} | models == checked


def test_should_leave_the_ads_marts_out_unless_asked_for():
    files = discover()
    assert {f.layer for f in select(files)} == {"ods", "dwd", "dws"}
    assert {f.layer for f in select(files, layer="ads")} == {"ads"}


def test_should_name_only_checked_tables_in_the_policy():
    checked = {f.qualified for f in discover()}
    assert {t.name for t in load_policy().tables} <= checked


def test_should_take_severity_from_the_inventory_for_ods_and_from_the_policy_otherwise():
    policy, inventory = load_policy(), load_inventory()
    assert policy.severity("ods.gl_voucher_line", inventory) is Severity.CRITICAL
    assert policy.severity("ods.budget", inventory) is Severity.MEDIUM
    assert policy.severity("dws.gl_balance", inventory) is Severity.CRITICAL
    assert policy.severity("dwd.customer", inventory) is policy.default_severity
    assert policy.freshness_sla("ods.bank_transaction", inventory) == "6h"
    assert policy.is_blocking(Severity.HIGH) and not policy.is_blocking(Severity.MEDIUM)


def test_should_name_file_entry_and_field_of_a_bad_policy(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("blocking: [critical]\ndefault_severity: medium\ntables:\n  - {name: dws.x, severity: huge}\n")
    with pytest.raises(ConfigError, match=r"policy.yaml: entry 'dws.x' \(#1\), field 'severity'"):
        load_policy(bad)


def test_should_refuse_an_unknown_layer_or_table_listing_the_valid_ones():
    files = discover()
    with pytest.raises(UnknownScanTarget, match="table='ods.nope'.*valid tables: ods.account, "):
        select(files, table="ods.nope")
    with pytest.raises(UnknownScanTarget, match="layer='stage'.*valid layers: ods, dwd, dws, ads"):
        select(files, layer="stage")
    assert [f.qualified for f in select(files, table="dws.gl_balance")] == ["dws.gl_balance"]


def test_should_name_only_the_server_in_the_soda_configuration():
    rendered = data_source_yaml("host=db.example port=6543 dbname=wh user=etl password=s3cret sslmode=require "
                                "connect_timeout=7", "dwd")
    assert rendered.splitlines() == [
        "data_source level2_warehouse:", "  database: wh", "  host: db.example", "  port: 6543", "  schema: dwd",
        "  type: postgres"]
    assert "s3cret" not in rendered


def test_should_switch_soda_usage_telemetry_off():
    disable_soda_telemetry()
    from soda.common.config_helper import ConfigHelper
    from soda.scan import soda_telemetry

    assert ConfigHelper.get_instance().send_anonymous_usage_stats is False
    assert soda_telemetry._SodaTelemetry__send is False  # the flag Soda checks before every span
