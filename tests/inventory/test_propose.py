"""propose: on every demo table it agrees with the shipped inventory (differences explained); any schema and name."""

from __future__ import annotations

import pytest

from smartops.config.inventory import BackflowTable, load_inventory
from smartops.inventory.exceptions import TableNotFound
from smartops.inventory.model import PLACEHOLDER, WarningKind
from smartops.inventory.propose import propose

COMPARED = ("primary_key", "cursor", "mode", "delete_detection", "amount_columns")
# Where propose's answer differs from the shipped include/config/backflow_tables.yaml, and why.
DIFFERENCES: dict[str, dict[str, object]] = {
    # No soft-delete column (is_deleted, deleted_at …) and no 'deleted' status value: from the catalog alone
    # hard deletes cannot be ruled out, so propose chooses key_compare — cheap, since the key scan runs only
    # when Level-1's and ods's live counts differ. The shipped entries say none because Level-1's owners
    # said so: the demo deletes rows only in the five key_compare tables (accounting periods and their
    # close log are never deleted either).
    "customer": {"delete_detection": "key_compare"},
    "contract": {"delete_detection": "key_compare"},
    "ar_invoice": {"delete_detection": "key_compare"},
    "budget": {"delete_detection": "key_compare"},
    "bank_transaction": {"delete_detection": "key_compare"},
    "accounting_period": {"delete_detection": "key_compare"},
    "accounting_period_log": {"delete_detection": "key_compare"},
    # l1.bank_account has no index on updated_at (level1_schema.sql indexes every cursor but this one and
    # the two reference tables) and a few dozen rows: the incremental window query would scan the whole table
    # anyway, so propose reloads it in full (which also drops deletions). balance_floor is numeric and named
    # like a balance, so propose reconciles it too; the shipped entry reconciles opening_balance only
    # (a floor is a setting, not an amount — a judgement the catalog cannot make).
    "bank_account": {"mode": "full", "amount_columns": ["opening_balance", "balance_floor"]},
}


def filled(entry: dict) -> dict:
    """The entry with its placeholders filled in, as the person pasting it would."""
    return {**entry, "owner": "finance-data" if entry["owner"] == PLACEHOLDER else entry["owner"],
            "severity": "high" if entry["severity"] == PLACEHOLDER else entry["severity"]}


def test_should_propose_the_shipped_entry_for_every_demo_table_except_the_explained_differences(demo_reader):
    for shipped in load_inventory().tables:
        proposal = propose(demo_reader, shipped.source)

        expected = {**{f: shipped.model_dump(mode="json")[f] for f in COMPARED}, **DIFFERENCES.get(shipped.name, {})}
        assert {f: proposal.entry[f] for f in COMPARED} == expected, shipped.name
        assert proposal.entry["name"] == shipped.name
        assert list(proposal.entry)[:2] == ["name", "source"] and proposal.entry["source"] == shipped.source
        assert not proposal.warnings, f"{shipped.name}: {proposal.warnings}"
        assert all(proposal.reasons.values()), f"{shipped.name}: every field has a reason"
        BackflowTable.model_validate(filled(proposal.entry))


def test_should_propose_for_quoted_mixed_case_names_in_another_schema(odd_level1):
    proposal = propose(odd_level1, '"Finance"."GL Lines"')

    entry = proposal.entry
    assert (entry["name"], entry["source"]) == ("gl_lines", '"Finance"."GL Lines"')
    assert (entry["primary_key"], entry["cursor"], entry["mode"]) == (["Line ID"], "Last Update", "incremental")
    assert (entry["amount_columns"], entry["description"]) == (["Debit Amount"], "总账分录（大写表名）")
    assert "GL Lines by update" in proposal.reasons["cursor"]
    # The inventory's fields take plain lower-case identifiers only: the proposal says so instead of failing.
    assert [w.kind for w in proposal.warnings] == [WarningKind.NOT_PLAIN_NAME]
    assert "CREATE VIEW" in proposal.warnings[0].message


def test_should_propose_a_valid_entry_for_a_plain_table_outside_l1(odd_level1):
    proposal = propose(odd_level1, "erp.fixed_asset")

    entry = proposal.entry
    assert (entry["source"], entry["primary_key"], entry["cursor"]) == ("erp.fixed_asset", ["asset_id"], "gmt_modified")
    assert (entry["mode"], entry["delete_detection"]) == ("incremental", "none")  # is_deleted: a soft delete
    assert entry["amount_columns"] == ["original_value", "net_value"]  # quantity is numeric but not an amount
    assert "quantity" in proposal.reasons["amount_columns"] and "is_deleted" in proposal.reasons["delete_detection"]
    assert "created_at" in proposal.reasons["cursor"]  # passed over: not named like a change time
    assert not proposal.warnings
    assert BackflowTable.model_validate(filled(entry)).target == "ods.fixed_asset"


@pytest.mark.parametrize(("table", "kinds", "key", "mode"), [
    ("erp.asset_tag", [WarningKind.NO_PRIMARY_KEY, WarningKind.NO_CURSOR], ["tag_code"], "full"),
    ("erp.audit_log", [WarningKind.NO_KEY], [], "full"),
    ("erp.salary", [WarningKind.NO_SELECT_GRANT], ["employee_id"], "incremental"),
], ids=["unique-key-only", "no-key", "not-granted"])
def test_should_warn_about_what_keeps_a_table_from_syncing(odd_level1, table, kinds, key, mode):
    proposal = propose(odd_level1, table)

    assert [w.kind for w in proposal.warnings] == kinds
    assert (proposal.entry["primary_key"], proposal.entry["mode"]) == (key, mode)


def test_should_take_the_increasing_id_as_cursor_when_no_change_time_exists(odd_level1):
    proposal = propose(odd_level1, "erp.audit_log")

    assert proposal.entry["cursor"] == "log_id"
    assert "new rows only" in proposal.reasons["cursor"] and "logged_at" in proposal.reasons["cursor"]


def test_should_name_the_schema_tables_when_the_table_does_not_exist(odd_level1):
    with pytest.raises(TableNotFound, match=r"table=erp\.no_such: .*tables in that schema: asset_tag, audit_log"):
        propose(odd_level1, "erp.no_such")
