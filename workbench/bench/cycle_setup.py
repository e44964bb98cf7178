"""Set-up of the daily-cycle benchmark: a Level-1 with 1× and one with 10× the history, the same day's change.

The 10× Level-1 is the 1× one plus nine older copies of every fact table (vouchers and lines,
claims, payments, invoices, receipts, bank transactions): copy k has its keys offset by
k × KEY_OFFSET (references between copied documents follow) and every date, timestamp and
period moved 2k years back, so the copies are history — older periods, days and documents — not
a second current year. Master and plan data (organisations, accounts, customers, contracts, bank
accounts, budgets: rebuilt in full by design) is not copied. Each simulated day runs on the 1×
Level-1; the rows its transaction wrote and the keys it deleted are then applied to the 10× one,
so both see the very same change.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg import sql

from workbench.bench.common import admin, database

log = logging.getLogger(__name__)

HISTORY_COPIES = 9  # 1× + 9 copies = 10× the history
KEY_OFFSET = 10**12  # copies' keys: key + copy × offset, far above any seeded or simulated key
YEARS_PER_COPY = 2  # the seeded history spans about 23 months

# Fact table -> its key, and the columns referring to other copied facts (offset like the key).
FACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "gl_voucher": ("voucher_id", ("source_doc_id",)),
    "gl_voucher_line": ("line_id", ("voucher_id",)),
    "expense_claim": ("claim_id", ()),
    "payment_order": ("payment_id", ("source_doc_id",)),
    "ar_invoice": ("invoice_id", ()),
    "ar_receipt": ("receipt_id", ("invoice_id",)),
    "bank_transaction": ("txn_id", ("ref_doc_id",)),
}
_KEYS = {"org_unit": "org_id", "account": "account_code", "customer": "customer_id", "contract": "contract_id",
         "bank_account": "bank_account_id", "budget": "budget_id", **{t: k for t, (k, _) in FACTS.items()}}


def _columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'l1' "
        "AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()


def inflate_level1(level1: str) -> None:
    """Add HISTORY_COPIES older copies of every fact table to `level1` (see the module docstring)."""
    with psycopg.connect(level1) as conn:
        for table, (key, references) in FACTS.items():
            for copy in range(1, HISTORY_COPIES + 1):
                shift = sql.Literal(f"{copy * YEARS_PER_COPY} years")
                values = []
                for column, kind in _columns(conn, table):
                    c = sql.Identifier(column)
                    if column == key or column in references:
                        values.append(sql.SQL("{} + {}").format(c, sql.Literal(copy * KEY_OFFSET)))
                    elif column.endswith("_no") and kind == "text":  # document numbers stay unique
                        values.append(sql.SQL("{} || {}").format(c, sql.Literal(f"/H{copy}")))
                    elif column == "period":
                        values.append(sql.SQL("to_char(to_date({}, 'YYYY-MM') - {}::interval, 'YYYY-MM')").format(
                            c, shift))
                    elif kind == "date":
                        values.append(sql.SQL("({} - {}::interval)::date").format(c, shift))
                    elif kind.startswith("timestamp"):
                        values.append(sql.SQL("{} - {}::interval").format(c, shift))
                    else:
                        values.append(c)
                conn.execute(sql.SQL("INSERT INTO {t} SELECT {v} FROM {t} WHERE {k} < {limit}").format(
                    t=sql.Identifier("l1", table), v=sql.SQL(", ").join(values), k=sql.Identifier(key),
                    limit=sql.Literal(KEY_OFFSET)))
            conn.commit()
            log.info("10x Level-1: %s inflated", table)
    with psycopg.connect(level1, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def clone_database(source_name: str, name: str) -> str:
    """Recreate database `name` as a copy of database `source_name`; return its conninfo."""
    database(name, fresh=True)
    with psycopg.connect(admin(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                       sql.Identifier(source_name)))
    return psycopg.conninfo.make_conninfo(admin(), dbname=name)


def day_xid(level1: str) -> str:
    """The id of the transaction that wrote the newest voucher: the simulated day's (one transaction)."""
    with psycopg.connect(level1) as conn:
        return conn.execute("SELECT xmin::text FROM l1.gl_voucher ORDER BY voucher_id DESC LIMIT 1").fetchone()[0]


def replay_day(one: str, ten: str, xid: str, deleted: dict[str, int]) -> int:
    """Apply to Level-1 `ten` the rows transaction `xid` wrote in `one`, and the keys it deleted there."""
    applied = 0
    with psycopg.connect(one) as src, psycopg.connect(ten) as dst:
        for table, key in _KEYS.items():
            name, k = sql.Identifier("l1", table), sql.Identifier(key)
            dst.execute(sql.SQL("CREATE TEMP TABLE incoming (LIKE {}) ON COMMIT DROP").format(name))
            written = sql.SQL("COPY (SELECT * FROM {} WHERE xmin = {}::xid) TO STDOUT (FORMAT binary)").format(
                name, sql.Literal(xid))
            _stream(src, written, dst, "COPY incoming FROM STDIN (FORMAT binary)")
            dst.execute(sql.SQL("DELETE FROM {} t USING incoming i WHERE t.{k} = i.{k}").format(name, k=k))
            applied += dst.execute(sql.SQL("INSERT INTO {} SELECT * FROM incoming").format(name)).rowcount
            if deleted.get(table):
                dst.execute(sql.SQL("CREATE TEMP TABLE present (LIKE incoming) ON COMMIT DROP"))
                _stream(src, sql.SQL("COPY {} TO STDOUT (FORMAT binary)").format(name), dst,
                        "COPY present FROM STDIN (FORMAT binary)")
                base = (sql.SQL("t.{k} < {limit} AND").format(k=k, limit=sql.Literal(KEY_OFFSET))
                        if table in FACTS else sql.SQL(""))
                applied += dst.execute(sql.SQL(
                    "DELETE FROM {} t WHERE {} NOT EXISTS (SELECT 1 FROM present p WHERE p.{k} = t.{k})").format(
                    name, base, k=k)).rowcount
            dst.commit()
    return applied


def _stream(src: psycopg.Connection, copy_out: sql.Composable, dst: psycopg.Connection, copy_in: str) -> None:
    with src.cursor().copy(copy_out) as out, dst.cursor().copy(copy_in) as into:
        for block in out:
            into.write(block)
