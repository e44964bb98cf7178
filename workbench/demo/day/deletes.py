"""Hard deletes, only where the platform really deletes (the tables the inventory syncs by key_compare)."""

from __future__ import annotations

from workbench.demo.day.payments import raise_again
from workbench.demo.day.state import DAY_OFF_SHARE, Day
from workbench.demo.documents.receivables import write_receipt
from workbench.demo.values import cents, stochastic_round


def hard_deletes(d: Day) -> None:
    """Delete withdrawn claims, cancelled pending payment orders and discarded drafts (of writable periods).

    On a working day a withdrawn claim is mostly corrected and submitted again (撤回重提: new_claims), and a
    cancelled order raised again for the same day (keyed against the wrong account), so neither drains
    what gets paid; on a day off a claim is withdrawn, or an order cancelled, only now and then (orders
    are raised again on a working day: payments.py, purchases.py).
    """
    claims = {row[0]: row for row in d.all("deletable_claims")}
    if d.business:
        withdrawn = d.sample_keys(list(claims.values()), 0.6)
    else:
        withdrawn = d.sample_keys(list(claims.values()), 0.6 * DAY_OFF_SHARE, minimum=0)
    d.delete("expense_claim", withdrawn)
    if d.business:
        d.withdrawn_claims += [claims[claim_id][1:] for claim_id in withdrawn]
    orders = {row[0]: row for row in d.all("deletable_payment_orders")}
    cancelled = d.sample_keys(list(orders.values()), 0.3, minimum=int(d.business))  # on a day off now and then
    d.delete("payment_order", cancelled)
    if d.business:
        for payment_id in cancelled:
            raise_again(d, *orders[payment_id][1:])
    drafts = d.sample_keys(d.all("deletable_drafts", {"writable": d.writable}), 0.4)
    if drafts:
        d.delete("gl_voucher_line", [line for (line,) in d.all("voucher_lines_of", {"vouchers": drafts})])
        d.delete("gl_voucher", drafts)


def rekey_receipts(d: Day) -> None:
    """Delete receipts keyed against the wrong document number and enter them again under a new id.

    The old receipt's voucher and bank transaction are re-pointed to the new receipt (no second voucher:
    the history has none either), so only receipts of writable periods are re-keyed (a closed period's
    voucher never changes). The re-keyed receipts count among the day's receipt entries (receivables.py).
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
    for old_id, invoice_id, org_id, customer_id, when, amount, account_id in receipts:
        ts = d.at()
        new_id = d.out.new_id("ar_receipt")
        amount_c = cents(amount)
        write_receipt(d.out, new_id, d.ord, invoice_id, org_id, customer_id, when.toordinal(), amount_c, account_id, ts)
        for voucher_id in [v for source, v in vouchers if source == old_id]:
            d.update("gl_voucher", voucher_id, ts, source_doc_id=new_id)
        for txn_id in [t for ref, t in txns if ref == old_id]:
            d.update("bank_transaction", txn_id, ts, ref_doc_id=new_id)
