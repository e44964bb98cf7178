"""The command line: propose prints YAML to paste (stdout only), check prints a line per entry and exits 1 on red."""

from __future__ import annotations

from io import StringIO

import psycopg
import pytest
import yaml

from smartops.config.inventory import BackflowTable, load_inventory
from smartops.inventory.cli import main
from smartops.warehouse.connections import airflow_uri
from tests.inventory.test_propose import filled


def test_should_print_a_one_item_yaml_list_that_validates_once_the_placeholders_are_filled(demo_reader, capsys):
    out = StringIO()

    assert main(["propose", "l1.gl_voucher_line", "--source", demo_reader], out=out) == 0

    text = out.getvalue()
    assert text.startswith("- name: gl_voucher_line  # ")
    assert all(line.startswith(("- ", "  ")) for line in text.splitlines())
    [entry] = yaml.safe_load(text)
    assert entry["owner"] == "TODO" and "  # fill in: critical | high | medium | low" in text
    table = BackflowTable.model_validate(filled(entry))
    assert (table.primary_key, table.cursor, table.amount_columns) == (["line_id"], "updated_at",
                                                                       ["debit_amount", "credit_amount"])
    assert capsys.readouterr().out == ""  # nothing but the entry on stdout: it can be piped


def test_should_write_warnings_as_comments_under_the_name(odd_level1):
    out = StringIO()

    assert main(["propose", "erp.asset_tag", "--source", odd_level1], out=out) == 0

    lines = out.getvalue().splitlines()
    assert lines[1].startswith("  # WARNING no_primary_key: erp.asset_tag has no primary key")
    assert lines[2].startswith("  # WARNING no_cursor: ")
    assert yaml.safe_load(out.getvalue())[0]["primary_key"] == ["tag_code"]


def test_should_read_level1_through_the_airflow_connection_without_source(demo_reader, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", airflow_uri(demo_reader))
    out = StringIO()

    assert main(["propose", "l1.org_unit"], out=out) == 0

    assert yaml.safe_load(out.getvalue())[0]["mode"] == "full"


@pytest.mark.parametrize("name", ["l1.no_such_table", "gl_voucher_line"], ids=["missing", "not-qualified"])
def test_should_exit_2_naming_the_problem_for_a_bad_table(demo_reader, capsys, name):
    assert main(["propose", name, "--source", demo_reader], out=StringIO()) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: table=") and name in err


def test_should_print_one_line_per_entry_and_exit_1_when_one_is_red(demo_level1, demo_reader):
    out = StringIO()
    assert main(["check", "--source", demo_reader], out=out) == 0
    assert len(out.getvalue().splitlines()) == len(load_inventory().tables)
    with psycopg.connect(demo_level1, autocommit=True) as conn:
        conn.execute("UPDATE l1.ar_receipt SET updated_at = '2999-01-01' WHERE receipt_id = "
                     "(SELECT min(receipt_id) FROM l1.ar_receipt)")

    out = StringIO()
    assert main(["check", "--source", demo_reader], out=out) == 1

    lines = {line.split()[1]: line for line in out.getvalue().splitlines()}
    assert lines["ar_receipt"].startswith("RED    ar_receipt  cursor_not_future (sync): max(updated_at) = 2999-01-01")
    assert lines["org_unit"] == "GREEN  org_unit  ok"
