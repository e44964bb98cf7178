"""Payroll: the month-end accrual (and cost-of-sales close) and the payout on the 10th of the next month."""

from __future__ import annotations

import datetime as dt
import random

from workbench.demo.calendar import last_business_day, month_end, next_business_day
from workbench.demo.documents.bank import bank_txn
from workbench.demo.documents.orgs import Org
from workbench.demo.documents.vouchers import Line, post_voucher
from workbench.demo.reference import PAYROLL_BASE_C
from workbench.demo.values import DAY
from workbench.demo.vocab import Direction, SourceType
from workbench.demo.writer import RowWriter


def accrual_day(year: int, month: int) -> int:
    """Return the day a month's payroll is accrued: its last business day."""
    return last_business_day(month_end(year, month))


def payday(year: int, month: int) -> int:
    """Return the day a month's payroll is paid: the first business day from the 10th of the next month."""
    following = dt.date(year + month // 12, month % 12 + 1, 10)
    return next_business_day(following.toordinal())


def payroll_label(year: int, month: int, batch: int, batches: int) -> str:
    """Return the label of a payroll batch (批 only when the month has several)."""
    return f"{year}年{month}月工资" + (f"（第{batch}批）" if batches > 1 else "")


def payroll_gross_cents(rng: random.Random, weight: float, growth: float) -> int:
    """Draw the gross salaries of one payroll batch of an org, in whole yuan."""
    return int(PAYROLL_BASE_C * weight * growth * rng.lognormvariate(0, 0.05)) // 100 * 100


def accrue_payroll(out: RowWriter, rng: random.Random, org: Org, gross_c: int, label: str, ts: int) -> None:
    """Post a batch's salary accrual (trading orgs split 35 % to sales staff) on the day of ``ts``."""
    sales_c = gross_c * 35 // 100 if org.trading else 0
    lines: list[Line] = []
    if sales_c:
        lines.append(("660101", sales_c, 0, f"计提{label} 销售人员"))
    lines += [
        ("660207", gross_c - sales_c, 0, f"计提{label} 管理人员"),
        ("2211", 0, gross_c, f"计提{label}"),
    ]
    post_voucher(out, rng, org.org_id, ts // DAY, SourceType.MANUAL, None, lines, ts)


def close_cost_of_sales(
    out: RowWriter, rng: random.Random, org_id: str, year: int, month: int, cost_c: int, ts: int
) -> None:
    """Post the month's cost of goods sold (Dr 6401 / Cr 1405) with the payroll accrual."""
    summary = f"结转{year}年{month}月销售成本"
    lines: list[Line] = [("6401", cost_c, 0, summary), ("1405", 0, cost_c, summary)]
    post_voucher(out, rng, org_id, ts // DAY, SourceType.MANUAL, None, lines, ts)


def payroll_payout_lines(gross_c: int, tax_c: int, label: str) -> list[Line]:
    """Return the voucher lines for paying out payroll (Dr 2211 / Cr 1002 net / Cr 2221 withheld tax)."""
    return [
        ("2211", gross_c, 0, f"发放{label}"),
        ("1002", 0, gross_c - tax_c, f"发放{label}"),
        ("2221", 0, tax_c, "代扣个人所得税"),
    ]


def pay_payroll(out: RowWriter, rng: random.Random, org: Org, gross_c: int, label: str, paid_ts: int) -> None:
    """Pay an accrued batch from the main account (withholding 6 % income tax); post it ten minutes later."""
    tax_c = gross_c * 6 // 100 // 100 * 100
    bank_txn(out, org.accounts[0], paid_ts, Direction.OUT, gross_c - tax_c, f"{org.name}工资代发户", f"代发{label}")
    lines = payroll_payout_lines(gross_c, tax_c, label)
    post_voucher(out, rng, org.org_id, paid_ts // DAY, SourceType.MANUAL, None, lines, paid_ts + 600)
