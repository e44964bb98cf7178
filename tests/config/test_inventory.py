"""The backflow inventory: the real file validates; each malformed case names file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smartops.config.inventory import INVENTORY_PATH, BackflowTable, DeleteDetection, SyncMode, load_inventory
from smartops.config.loader import ConfigError
from workbench.demo.generator import SCHEMA_SQL

GOOD_ENTRY = {"name": "doc", "source": "l1.doc", "primary_key": ["doc_id"], "cursor": "updated_at",
              "owner": "finance-data", "severity": "high", "freshness_sla": "6h"}


def write(tmp_path: Path, tables: list[dict], defaults: dict | None = None) -> Path:
    path = tmp_path / "backflow_tables.yaml"
    path.write_text(yaml.safe_dump({"defaults": defaults or {}, "tables": tables}, allow_unicode=True))
    return path


def test_should_load_the_real_inventory_with_every_level1_table():
    inventory = load_inventory(INVENTORY_PATH)
    schema_sql = SCHEMA_SQL.read_text()
    level1_tables = {line.split("l1.")[1].split()[0] for line in schema_sql.splitlines()
                     if line.startswith("CREATE TABLE IF NOT EXISTS l1.")}
    assert {t.source_table for t in inventory.tables} == level1_tables
    assert all(t.primary_key and t.owner and t.freshness_sla for t in inventory.tables)


def test_should_apply_defaults_unless_an_entry_overrides_them(tmp_path):
    path = write(tmp_path, [GOOD_ENTRY, {**GOOD_ENTRY, "name": "doc2", "source": "l1.doc2", "mode": "full"}],
                 defaults={"mode": "incremental", "delete_detection": "key_compare"})
    inventory = load_inventory(path)
    assert [t.mode for t in inventory.tables] == [SyncMode.INCREMENTAL, SyncMode.FULL]
    assert inventory.get("doc2").delete_detection is DeleteDetection.KEY_COMPARE


def test_should_accept_a_full_table_without_a_cursor(tmp_path):
    entry = {k: v for k, v in GOOD_ENTRY.items() if k != "cursor"}
    assert load_inventory(write(tmp_path, [{**entry, "mode": "full"}])).get("doc").cursor is None


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param({k: v for k, v in GOOD_ENTRY.items() if k != "primary_key"},
                     r"entry 'doc' \(#1\), field 'primary_key': Field required", id="missing-primary-key"),
        pytest.param({**GOOD_ENTRY, "primary_key": []}, r"entry 'doc' \(#1\), field 'primary_key'", id="empty-key"),
        pytest.param({**GOOD_ENTRY, "mode": "mirror"}, r"entry 'doc' \(#1\), field 'mode': Input should be "
                     r"'incremental' or 'full'", id="unknown-mode"),
        pytest.param({**GOOD_ENTRY, "source": 'l1.doc"; drop table x; --'},
                     r"entry 'doc' \(#1\), field 'source': .*not a plain SQL identifier", id="bad-identifier"),
        pytest.param({**GOOD_ENTRY, "cursor": "Updated At"}, r"field 'cursor': .*not a plain SQL identifier",
                     id="bad-cursor"),
        pytest.param({**GOOD_ENTRY, "freshness_sla": "soon"}, r"field 'freshness_sla': .*not a duration",
                     id="bad-duration"),
        pytest.param({k: v for k, v in GOOD_ENTRY.items() if k != "cursor"},
                     r"entry 'doc' \(#1\).*'cursor' is required for mode 'incremental'", id="incremental-no-cursor"),
        pytest.param({**GOOD_ENTRY, "colour": "blue"}, r"field 'colour': Extra inputs are not permitted",
                     id="unknown-field"),
    ],
)
def test_should_name_file_entry_and_field_of_a_bad_entry(tmp_path, entry, expected):
    path = write(tmp_path, [entry])
    with pytest.raises(ConfigError, match=expected) as info:
        load_inventory(path)
    assert str(path) in str(info.value)


def test_should_reject_duplicate_names(tmp_path):
    path = write(tmp_path, [GOOD_ENTRY, GOOD_ENTRY])
    with pytest.raises(ConfigError, match=r"entry 'doc' \(#2\), field 'name': duplicate table name 'doc'"):
        load_inventory(path)


def test_should_reject_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "backflow_tables.yaml"
    path.write_text("tables: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_inventory(path)


def test_should_list_valid_names_for_an_unknown_table():
    with pytest.raises(KeyError, match="valid tables: org_unit, account"):
        load_inventory().get("no_such_table")


@pytest.mark.parametrize("change, message", [
    ({"name": "gl_voucher__loading"}, "ends in '__loading'"),
    ({"lookback": "0s"}, "lookback='0s' is outside"),
    ({"lookback": "100000d"}, "lookback='100000d' is outside"),
])
def test_should_refuse_reserved_names_and_unbounded_lookbacks(change, message):
    entry = {"name": "x", "source": "l1.x", "primary_key": ["id"], "cursor": "updated_at", "owner": "t",
             "severity": "low", "freshness_sla": "1d", **change}
    with pytest.raises(ValueError, match=message):
        BackflowTable.model_validate(entry)


def test_should_refuse_the_same_level1_table_listed_twice(tmp_path):
    path = tmp_path / "backflow_tables.yaml"
    path.write_text("defaults: {cursor: updated_at, owner: t, severity: low, freshness_sla: 1d}\n"
                    "tables:\n  - {name: a, source: l1.x, primary_key: [id]}\n"
                    "  - {name: b, source: l1.x, primary_key: [id]}\n")
    with pytest.raises(ConfigError, match=r"entry 'b' \(#2\), field 'source': l1.x is already copied by entry 'a'"):
        load_inventory(path)
