"""GL vouchers: the one place a voucher and its lines are written, whatever document they post."""

from __future__ import annotations

import random

from workbench.demo.calendar import period_of
from workbench.demo.names import clerk_names
from workbench.demo.values import NULL, day_text, money, ts_text
from workbench.demo.vocab import SourceType, VoucherStatus
from workbench.demo.writer import RowWriter

Line = tuple[str, int, int, str]  # account_code, debit cents, credit cents, summary

_POSTED = VoucherStatus.POSTED


def voucher_no(org_id: str, period: str, number: int) -> str:
    """Format a voucher number, unique per org and period (记-org-yyyymm-nnnnn)."""
    return f"记-{org_id[3:]}-{period[:4]}{period[5:]}-{number:05d}"


def post_voucher(
    out: RowWriter,
    rng: random.Random,
    org_id: str,
    day: int,
    source_type: SourceType,
    source_id: int | None,
    lines: list[Line],
    created_ts: int,
    status: VoucherStatus = _POSTED,
    status_ts: int | None = None,
    created_by: str | None = None,
) -> int:
    """Write a voucher dated ``day`` and its lines; return the voucher id.

    The lines carry the creation time; the voucher carries the time of its last status change. Without
    ``created_by`` one of the org's two clerks keyed it (one draw of ``rng``).
    """
    voucher_id = out.new_id("gl_voucher")
    period = period_of(day)
    number = out.next_number((org_id, period))
    out.add(
        "gl_voucher",
        "\t".join(
            (
                str(voucher_id),
                voucher_no(org_id, period, number),
                org_id,
                period,
                day_text(day),
                source_type,
                NULL if source_id is None else str(source_id),
                status,
                created_by or clerk_names(org_id)[rng.random() < 0.4],
                ts_text(status_ts or created_ts),
            )
        ),
    )
    first = out.new_ids("gl_voucher_line", len(lines)).start
    out.add_rows("gl_voucher_line", _line_rows(first, str(voucher_id), lines, ts_text(created_ts)))
    return voucher_id


def red_letter_lines(lines: list[Line], voucher_no: str) -> list[Line]:
    """Return the lines of a red-letter reversal (红字冲销) of a voucher: the same sides, negated amounts.

    Each summary names the reversed voucher, as a clerk keys it (e.g. '冲销记-006-202604-00012 …').
    """
    return [(account, -debit, -credit, f"冲销{voucher_no} {summary}") for account, debit, credit, summary in lines]


def write_voucher_line(out: RowWriter, voucher_id: int, line_no: int, line: Line, created_ts: int) -> int:
    """Write a single voucher line (without its voucher); return the line id."""
    line_id = out.new_id("gl_voucher_line")
    out.add_rows("gl_voucher_line", _line_rows(line_id, str(voucher_id), [line], ts_text(created_ts), line_no))
    return line_id


def _line_rows(first_id: int, voucher: str, lines: list[Line], created: str, first_no: int = 1) -> list[str]:
    """Render lines numbered from ``first_no`` with consecutive ids from ``first_id``."""
    offset = first_id - first_no
    return [
        "\t".join((str(offset + no), voucher, str(no), account, money(debit), money(credit), "CNY", summary, created))
        for no, (account, debit, credit, summary) in enumerate(lines, first_no)
    ]
