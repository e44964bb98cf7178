"""Hard deletes, only where the platform really deletes (the tables the inventory syncs by key_compare)."""

from __future__ import annotations

from workbench.demo.day.closes import cancel_voucher
from workbench.demo.day.state import Day
from workbench.demo.documents.receivables import post_receipt_voucher, write_receipt
from workbench.demo.values import cents, stochastic_round


def hard_deletes(d: Day) -> None:
    """Delete withdrawn claims, cancelled pending payment orders and discarded drafts (of writable periods)."""
    d.delete("expense_claim", d.sample_keys(d.all("deletable_claims"), 0.6))
    d.delete("payment_order", d.sample_keys(d.all("deletable_payment_orders"), 0.3))
    drafts = d.sample_keys(d.all("deletable_drafts", {"writable": d.writable}), 0.4)
    if drafts:
        d.delete("gl_voucher_line", [line for (line,) in d.all("voucher_lines_of", {"vouchers": drafts})])
        d.delete("gl_voucher", drafts)


def rekey_receipts(d: Day) -> None:
    """Delete receipts keyed against the wrong document number and enter them again under a new id.

    The old receipt's voucher is voided and a new one posted; its bank transaction is re-pointed. Only
    receipts of writable periods are re-keyed (a closed period's voucher cannot be voided).
    """
    count = max(1, stochastic_round(d.rng, 0.2 * d.scale))
    candidates = d.all("rekey_candidates", {"since": d.writable_from, "writable": d.writable})
    keys = sorted(key for (key,) in d.sample(candidates, count))
    if not keys:
        return
    receipts = d.all("receipts_to_rekey", {"receipts": keys})
    vouchers = d.all("receipt_vouchers", {"receipts": keys})
    txns = d.all("receipt_transactions", {"receipts": keys})
    d.delete("ar_receipt", keys)
    for old_id, invoice_id, org_id, customer_id, when, amount, account_id, number, customer in receipts:
        ts = d.at()
        new_id = d.out.new_id("ar_receipt")
        amount_c = cents(amount)
        write_receipt(d.out, new_id, d.ord, invoice_id, org_id, customer_id, when.toordinal(), amount_c, account_id, ts)
        for voucher_id in [v for source, v in vouchers if source == old_id]:
            cancel_voucher(d, voucher_id, ts)
        post_receipt_voucher(d.out, d.rng, org_id, new_id, number, customer or "", amount_c, ts)
        for txn_id in [t for ref, t in txns if ref == old_id]:
            d.update("bank_transaction", txn_id, ts, ref_doc_id=new_id)
