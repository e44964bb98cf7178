"""The proposal's decisions on made-up catalog facts (no database): names, mode, warnings."""

from __future__ import annotations

import pytest
import yaml

from smartops.inventory.model import Column, Index, TableFacts, TableRef, WarningKind
from smartops.inventory.propose import decide, entry_name
from smartops.inventory.render import proposal_yaml

TS = Column("updated_at", "timestamp with time zone", "timestamptz", True, False)
ID = Column("id", "bigint", "int8", True, False)
PK = Index("t_pkey", True, True, False, ("id",))


def facts(rows: int | None, *, columns=(ID, TS), indexes=(PK,), capped=False, comment="") -> TableFacts:
    return TableFacts(ref=TableRef("l1", "t"), role="reader", schema_usage=True, can_select=True, comment=comment,
                      columns=tuple(columns), indexes=tuple(indexes), estimated_rows=rows, rows_capped=capped,
                      deleted_rows=0, update_trigger=False)


@pytest.mark.parametrize(("name", "expected"), [
    ("l1.gl_voucher_line", ("l1", "gl_voucher_line")),
    ("L1.GL_Voucher", ("l1", "gl_voucher")),  # unquoted names fold to lower case, as in PostgreSQL
    ('"Finance"."GL Lines"', ("Finance", "GL Lines")),
    ('erp."a.b ""c"""', ("erp", 'a.b "c"')),
])
def test_should_parse_table_names_as_postgresql_does(name, expected):
    ref = TableRef.parse(name)
    assert (ref.schema, ref.table) == expected
    assert TableRef.parse(str(ref)) == ref


@pytest.mark.parametrize("name", ["gl_voucher_line", "a.b.c", "l1.", '"unterminated.x', ""])
def test_should_refuse_names_that_are_not_schema_dot_table(name):
    with pytest.raises(ValueError, match="is not schema.table"):
        TableRef.parse(name)


def test_should_derive_plain_entry_names():
    assert [entry_name(n) for n in ("GL Lines", "2024-orders", "ok_name")] == ["gl_lines", "t_2024_orders", "ok_name"]


def test_should_sync_a_big_table_incrementally_but_warn_when_its_cursor_has_no_index():
    proposal = decide(facts(5_000_000))

    assert proposal.entry["mode"] == "incremental"
    assert [w.kind for w in proposal.warnings] == [WarningKind.NO_CURSOR_INDEX]
    assert "CREATE INDEX ON l1.t (updated_at)" in proposal.warnings[0].message


def test_should_warn_when_a_huge_table_can_only_be_reloaded_in_full():
    proposal = decide(facts(1_000_001, columns=(ID,), indexes=(), capped=True))

    assert (proposal.entry["mode"], proposal.entry["primary_key"]) == ("full", [])
    assert [w.kind for w in proposal.warnings] == [WarningKind.NO_KEY, WarningKind.NO_CURSOR,
                                                  WarningKind.HUGE_FULL_TABLE]
    assert "more than 1,000,000 rows" in proposal.warnings[-1].message


def test_should_propose_a_day_of_lookback_for_a_date_cursor():
    day = Column("last_update_date", "date", "date", True, False)
    proposal = decide(facts(10, columns=(ID, day), indexes=(PK, Index("t_day", False, False, False, (day.name,)))))

    assert (proposal.entry["cursor"], proposal.entry["lookback"]) == ("last_update_date", "1d")
    assert list(proposal.entry).index("lookback") == list(proposal.entry).index("amount_columns") + 1


def test_should_keep_comments_out_of_the_parsed_yaml():
    proposal = decide(facts(10, comment="说明: with # and 'quotes'"))

    assert yaml.safe_load(proposal_yaml(proposal)) == [proposal.entry]
