"""The rule a real Level-1 enforces once an accounting period is closed: its vouchers never change again.

The day's ordinary work - voids, postings and deletions of drafts, late corrections of voucher lines,
re-keyed receipts, the correction of dirty rows - only touches vouchers of the day's *writable* periods
(``Day.writable``: never closed, and not closing before the day's changes reach Level-2). A business
event about a document of a closed period, such as an invoice of an earlier month being cancelled, leaves
the closed voucher as it is and posts a red-letter reversal (红字冲销) dated the day into the open period,
as accountants do. Only the deliberate rare period events (day/periods.py) and the CLOSED_PERIOD_POSTING
incident (day/incidents.py) touch closed periods.
"""

from __future__ import annotations

from workbench.demo.day.state import Day
from workbench.demo.documents.vouchers import Line, post_voucher, red_letter_lines
from workbench.demo.values import cents
from workbench.demo.vocab import SourceType, VoucherStatus


def cancel_voucher(d: Day, voucher_id: int, ts: int) -> int | None:
    """Cancel a voucher at ``ts``: void it while its period is writable, else reverse it on the day.

    Returns the id of the red-letter voucher posted, or None when the voucher was voided in place.
    """
    org_id, period, voucher_no, source_type, source_id = d.all("voucher_header", {"voucher": voucher_id})[0]
    if period in d.writable:
        d.update("gl_voucher", voucher_id, ts, status=VoucherStatus.VOIDED)
        return None
    lines: list[Line] = [
        (account, cents(debit), cents(credit), summary or "")
        for account, debit, credit, summary in d.all("voucher_lines_detail", {"voucher": voucher_id})
    ]
    reversal = red_letter_lines(lines, voucher_no)
    return post_voucher(d.out, d.rng, org_id, d.ord, SourceType(source_type), source_id, reversal, ts)
