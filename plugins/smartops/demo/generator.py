"""Generate the deterministic demo Level-1 data set and bulk-load it with COPY.

The data imitates a Chinese group shared-finance platform from 2025-01-01 to
2026-11-28 (business dates): organisation units, chart of accounts, customers,
contracts, expense claims, payment orders, AR invoices and receipts, budgets,
bank accounts and transactions, and the GL vouchers posted for all of them.

Conventions worth knowing when reading the data:

* ``ar_invoice.amount`` is the net amount and ``tax_amount`` the VAT, as on a
  Chinese VAT invoice; the receivable is ``amount + tax_amount``.
* Budgets carry a ``version``; a later version of the same org / department /
  account / period supersedes the earlier one.
* A bank account's balance at time t is ``opening_balance`` plus the signed sum
  of its transactions up to t (``opening_date`` is the go-live date).
* Purchase contracts have no customer (``customer_id`` is NULL); the supplier is
  the payee of their payment orders.
* ``updated_at`` values are Asia/Shanghai wall-clock timestamps derived from the
  business dates; none is later than 2026-11-28 23:59:59+08.

Generation works org by org and month by month with an RNG seeded from
(seed, org, month), streaming COPY text rows in bounded buffers, so the same
seed and scale always give identical tables.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)

SCHEMA_SQL: Path = (Path(__file__).resolve().parent / "../../../include/sql/demo/level1_schema.sql").resolve()

SCHEMA = "l1"
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "+08")
HISTORY_START = dt.date(2025, 1, 1)
HISTORY_END = dt.date(2026, 11, 28)
SEED_LOCK_KEY = 7_260_112_901  # pg advisory lock shared by seeding and simulation

# fmt: off
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "org_unit": ("org_id", "org_code", "org_name", "parent_org_id", "org_level", "region",
                 "status", "updated_at"),
    "account": ("account_code", "account_name", "account_type", "parent_code",
                "balance_direction", "is_leaf", "updated_at"),
    "customer": ("customer_id", "customer_code", "customer_name", "org_id", "industry",
                 "credit_limit", "status", "updated_at"),
    "contract": ("contract_id", "contract_no", "org_id", "customer_id", "contract_type", "amount",
                 "currency", "sign_date", "start_date", "end_date", "status", "updated_at"),
    "gl_voucher": ("voucher_id", "voucher_no", "org_id", "period", "voucher_date", "source_type",
                   "source_doc_id", "status", "created_by", "updated_at"),
    "gl_voucher_line": ("line_id", "voucher_id", "line_no", "account_code", "debit_amount",
                        "credit_amount", "currency", "summary", "updated_at"),
    "expense_claim": ("claim_id", "claim_no", "org_id", "department", "employee_name", "category",
                      "amount", "currency", "claim_date", "status", "updated_at"),
    "payment_order": ("payment_id", "payment_no", "org_id", "bank_account_id", "payee_name",
                      "amount", "currency", "pay_date", "source_doc_type", "source_doc_id",
                      "status", "updated_at"),
    "ar_invoice": ("invoice_id", "invoice_no", "org_id", "customer_id", "contract_id",
                   "invoice_date", "due_date", "amount", "tax_amount", "currency", "status",
                   "updated_at"),
    "ar_receipt": ("receipt_id", "receipt_no", "invoice_id", "org_id", "customer_id",
                   "receipt_date", "amount", "currency", "bank_account_id", "updated_at"),
    "budget": ("budget_id", "org_id", "department", "account_code", "period", "budget_amount",
               "version", "updated_at"),
    "bank_account": ("bank_account_id", "org_id", "bank_name", "account_no", "currency",
                     "opening_balance", "opening_date", "balance_floor", "status", "updated_at"),
    "bank_transaction": ("txn_id", "bank_account_id", "org_id", "txn_time", "direction", "amount",
                         "counterparty", "summary", "ref_doc_type", "ref_doc_id", "updated_at"),
}
# fmt: on
PRIMARY_KEYS: dict[str, str] = {table: cols[0] for table, cols in TABLE_COLUMNS.items()}

# --------------------------------------------------------------------------- reference data

# fmt: off
# org_id, org_code, org_name, parent, level, region, city, status, business weight
ORG_UNITS: tuple[tuple[str, str, str, str | None, int, str, str, str, float], ...] = (
    ("ORG001", "10", "集团总部", None, 1, "华北", "北京", "active", 1.0),
    ("ORG002", "1001", "华东事业部", "ORG001", 2, "华东", "上海", "active", 0.3),
    ("ORG003", "1002", "华南事业部", "ORG001", 2, "华南", "广州", "active", 0.3),
    ("ORG004", "1003", "华北事业部", "ORG001", 2, "华北", "北京", "active", 0.3),
    ("ORG005", "1004", "中西部事业部", "ORG001", 2, "西南", "成都", "active", 0.3),
    ("ORG006", "100101", "上海分公司", "ORG002", 3, "华东", "上海", "active", 1.6),
    ("ORG007", "100102", "杭州分公司", "ORG002", 3, "华东", "杭州", "active", 1.2),
    ("ORG008", "100103", "南京分公司", "ORG002", 3, "华东", "南京", "active", 1.0),
    ("ORG009", "100104", "苏州分公司", "ORG002", 3, "华东", "苏州", "active", 0.9),
    ("ORG010", "100105", "宁波分公司", "ORG002", 3, "华东", "宁波", "active", 0.7),
    ("ORG011", "100106", "合肥分公司", "ORG002", 3, "华东", "合肥", "active", 0.6),
    ("ORG012", "100201", "广州分公司", "ORG003", 3, "华南", "广州", "active", 1.3),
    ("ORG013", "100202", "深圳分公司", "ORG003", 3, "华南", "深圳", "active", 1.4),
    ("ORG014", "100203", "厦门分公司", "ORG003", 3, "华南", "厦门", "active", 0.6),
    ("ORG015", "100204", "南宁分公司", "ORG003", 3, "华南", "南宁", "active", 0.5),
    ("ORG016", "100301", "北京分公司", "ORG004", 3, "华北", "北京", "active", 1.5),
    ("ORG017", "100302", "天津分公司", "ORG004", 3, "华北", "天津", "active", 0.7),
    ("ORG018", "100303", "济南分公司", "ORG004", 3, "华北", "济南", "active", 0.6),
    ("ORG019", "100304", "青岛分公司", "ORG004", 3, "华北", "青岛", "active", 0.7),
    ("ORG020", "100305", "沈阳分公司", "ORG004", 3, "东北", "沈阳", "active", 0.6),
    ("ORG021", "100401", "成都分公司", "ORG005", 3, "西南", "成都", "active", 1.0),
    ("ORG022", "100402", "重庆分公司", "ORG005", 3, "西南", "重庆", "active", 0.8),
    ("ORG023", "100403", "武汉分公司", "ORG005", 3, "华中", "武汉", "active", 0.9),
    ("ORG024", "100404", "西安分公司", "ORG005", 3, "西北", "西安", "active", 0.7),
    ("ORG025", "100405", "兰州分公司", "ORG005", 3, "西北", "兰州", "closed", 0.0),
)
ORG_WEIGHTS: dict[str, float] = {row[0]: row[8] for row in ORG_UNITS}
ORG_CITIES: dict[str, str] = {row[0]: row[6] for row in ORG_UNITS}
ORG_NAMES: dict[str, str] = {row[0]: row[2] for row in ORG_UNITS}
HQ_ORG_ID = "ORG001"

# account_code, name, type, parent, direction, is_leaf
ACCOUNTS: tuple[tuple[str, str, str, str | None, str, bool], ...] = (
    ("1001", "库存现金", "asset", None, "debit", True),
    ("1002", "银行存款", "asset", None, "debit", True),
    ("1122", "应收账款", "asset", None, "debit", True),
    ("1221", "其他应收款", "asset", None, "debit", True),
    ("1405", "库存商品", "asset", None, "debit", True),
    ("2202", "应付账款", "liability", None, "credit", True),
    ("2211", "应付职工薪酬", "liability", None, "credit", True),
    ("2221", "应交税费", "liability", None, "credit", True),
    ("2241", "其他应付款", "liability", None, "credit", True),
    ("4001", "实收资本", "equity", None, "credit", True),
    ("4103", "本年利润", "equity", None, "credit", True),
    ("6001", "主营业务收入", "revenue", None, "credit", True),
    ("6051", "其他业务收入", "revenue", None, "credit", True),
    ("6401", "主营业务成本", "expense", None, "debit", True),
    ("6601", "销售费用", "expense", None, "debit", False),
    ("660101", "职工薪酬", "expense", "6601", "debit", True),
    ("660102", "广告宣传费", "expense", "6601", "debit", True),
    ("6602", "管理费用", "expense", None, "debit", False),
    ("660201", "差旅费", "expense", "6602", "debit", True),
    ("660202", "业务招待费", "expense", "6602", "debit", True),
    ("660203", "办公费", "expense", "6602", "debit", True),
    ("660204", "培训费", "expense", "6602", "debit", True),
    ("660205", "交通费", "expense", "6602", "debit", True),
    ("660206", "通讯费", "expense", "6602", "debit", True),
    ("660207", "职工薪酬", "expense", "6602", "debit", True),
    ("6603", "财务费用", "expense", None, "debit", False),
    ("660301", "利息收入", "expense", "6603", "debit", True),
    ("660302", "手续费", "expense", "6603", "debit", True),
    ("6711", "营业外支出", "expense", None, "debit", True),
)

CATEGORY_ACCOUNTS: dict[str, str] = {
    "travel": "660201", "meals": "660202", "office": "660203",
    "training": "660204", "transport": "660205", "communication": "660206",
}
CATEGORY_LABELS: dict[str, str] = {
    "travel": "差旅费", "meals": "业务招待费", "office": "办公费",
    "training": "培训费", "transport": "交通费", "communication": "通讯费",
}
CATEGORY_WEIGHTS: dict[str, float] = {
    "travel": 0.30, "meals": 0.15, "office": 0.15,
    "training": 0.05, "transport": 0.25, "communication": 0.10,
}
# category -> (median yuan, sigma, min yuan, max yuan)
CATEGORY_AMOUNTS: dict[str, tuple[float, float, int, int]] = {
    "travel": (2200, 0.7, 200, 30000), "meals": (900, 0.7, 80, 8000),
    "office": (450, 0.8, 30, 6000), "training": (2800, 0.6, 300, 20000),
    "transport": (120, 0.8, 15, 1500), "communication": (180, 0.5, 50, 800),
}
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "综合管理部": 1.0, "财务部": 0.6, "人力资源部": 0.8, "市场部": 1.5, "销售部": 2.0,
    "技术部": 1.0, "运营部": 1.0, "采购部": 0.9, "客服部": 0.8, "战略投资部": 1.2,
}
BANKS = ("中国工商银行", "中国建设银行", "中国银行", "中国农业银行", "交通银行",
         "招商银行", "中信银行", "浦发银行", "兴业银行", "民生银行")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
            "程苏魏吕丁任沈")
GIVEN_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉鹏宇浩凯欣怡婷雪琳晨阳思佳"
               "子涵博睿轩嘉雨晓志海斌俊峰亮飞宁凤兰燕颖倩慧莉")
NAME_CORES = ("恒泰", "华盛", "瑞丰", "鼎新", "金桥", "宏达", "远航", "中联", "博远", "启明",
              "润华", "天成", "鑫源", "盛世", "佳和", "泰和", "永信", "华信", "新元", "东方",
              "长城", "海川", "蓝海", "银河", "正大", "国泰", "信达", "万通", "宝丰", "德昌",
              "嘉禾", "联创", "明德", "昌盛", "凯越", "嘉诚", "众合", "兴业", "合力", "华美")
INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("制造业", ("机械", "精密制造", "电子", "新材料", "汽车零部件")),
    ("信息技术", ("科技", "软件", "信息技术", "数据科技", "网络科技")),
    ("批发零售", ("贸易", "商贸", "供应链", "百货")),
    ("建筑业", ("建设", "建工", "工程")),
    ("医药健康", ("医药", "生物科技", "医疗器械")),
    ("物流运输", ("物流", "运输", "快运")),
    ("能源", ("能源", "新能源", "电力")),
    ("食品饮料", ("食品", "饮料")),
    ("教育", ("教育科技", "培训")),
    ("商务服务", ("咨询", "企业管理", "人力资源")),
)
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
SUPPLIER_CITIES = ("上海", "苏州", "无锡", "东莞", "佛山", "宁波", "天津", "青岛", "合肥", "长沙")

# Document rates per org-month at scale 1 and org weight 1 (calibrated so that
# scale 1 gives about 21,000 voucher lines and scale 50 over 1,000,000).
RATES: dict[str, float] = {"claims": 6.5, "invoices": 2.65, "purchases": 1.65, "misc": 0.95}
SEASON = {1: 0.9, 2: 0.7, 3: 1.05, 4: 1.0, 5: 1.0, 6: 1.1, 7: 0.95, 8: 0.95, 9: 1.05,
          10: 0.85, 11: 1.05, 12: 1.3}
YEAR_GROWTH = {2025: 1.0, 2026: 1.08}
PAYROLL_BASE_C = 9_000_000  # cents per payroll batch at org weight 1

_HOLIDAY_RANGES = (
    ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
)

# fmt: on

# --------------------------------------------------------------------------- small helpers

_NULL = "\\N"
_BASE_ORD = dt.date(2023, 1, 1).toordinal()
_DAY_TEXT = [dt.date.fromordinal(_BASE_ORD + i).isoformat() for i in range(4000)]
_MONTH_KEY = [int(text[:4]) * 12 + int(text[5:7]) - 1 for text in _DAY_TEXT]
START_ORD = HISTORY_START.toordinal()
END_ORD = HISTORY_END.toordinal()
END_TS = END_ORD * 86400 + 86399
GO_LIVE_TS = START_ORD * 86400 + 8 * 3600


def _holidays() -> frozenset[int]:
    days: set[int] = set()
    for first, last in _HOLIDAY_RANGES:
        a, b = dt.date.fromisoformat(first).toordinal(), dt.date.fromisoformat(last).toordinal()
        days.update(range(a, b + 1))
    return frozenset(days)


HOLIDAYS = _holidays()


def is_business_day(ordinal: int) -> bool:
    """Tell whether a date ordinal is a Chinese working day (weekends and main holidays off)."""
    return (ordinal % 7) not in (0, 6) and ordinal not in HOLIDAYS  # ordinal % 7: 0=Sun, 6=Sat


def next_business_day(ordinal: int) -> int:
    """Return the first business day on or after the ordinal."""
    while not is_business_day(ordinal):
        ordinal += 1
    return ordinal


def add_business_days(ordinal: int, days: int) -> int:
    """Return the ordinal moved forward by a number of business days."""
    ordinal = next_business_day(ordinal)
    for _ in range(days):
        ordinal = next_business_day(ordinal + 1)
    return ordinal


def _month_days(month: tuple[int, int]) -> int:
    return calendar.monthrange(*month)[1]


def stochastic_round(rng: random.Random, value: float) -> int:
    """Round a non-negative float up or down at random so the expectation is preserved."""
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def money(cents: int) -> str:
    """Format integer cents as a numeric(18,2) text literal."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def ts_text(ts: int) -> str:
    """Format local seconds (ordinal * 86400 + seconds of day) as a +08 timestamptz literal."""
    day, secs = divmod(ts, 86400)
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{_DAY_TEXT[day - _BASE_ORD]} {hours:02d}:{minutes:02d}:{seconds:02d}+08"


def ts_datetime(ts: int) -> dt.datetime:
    """Convert local seconds to an aware Asia/Shanghai datetime."""
    day, secs = divmod(ts, 86400)
    return dt.datetime.combine(dt.date.fromordinal(day), dt.time(), SHANGHAI) + dt.timedelta(seconds=secs)


def day_text(ordinal: int) -> str:
    """Format a date ordinal as ISO text."""
    return _DAY_TEXT[ordinal - _BASE_ORD]


def period_of(ordinal: int) -> str:
    """Return the YYYY-MM period of a date ordinal."""
    return _DAY_TEXT[ordinal - _BASE_ORD][:7]


def work_seconds(rng: random.Random) -> int:
    """Return a time of day inside office hours (08:30-18:30), in seconds."""
    return rng.randint(30600, 66600)


def person_name(rng: random.Random) -> str:
    """Return a plausible Chinese personal name."""
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


def company_name(rng: random.Random, city: str) -> tuple[str, str]:
    """Return (company name, industry) for a Chinese company in a city."""
    industry, words = rng.choice(INDUSTRIES)
    return f"{city}{rng.choice(NAME_CORES)}{rng.choice(words)}{rng.choice(COMPANY_SUFFIXES)}", industry


def supplier_name(contract_id: int) -> str:
    """Return the supplier of a purchase contract (a pure function of the contract id)."""
    rng = random.Random(f"supplier|{contract_id}")
    return company_name(rng, rng.choice(SUPPLIER_CITIES))[0]


def clerk_names(org_id: str) -> tuple[str, str]:
    """Return the two finance clerks who key vouchers for an org."""
    rng = random.Random(f"clerk|{org_id}")
    return person_name(rng), person_name(rng)


def budget_cents(yuan: float) -> int:
    """Round a budget amount to 10 yuan (below 10,000) or 100 yuan, returned in cents."""
    step = 10 if yuan < 10_000 else 100
    return round(yuan / step) * step * 100


def claim_amount_cents(rng: random.Random, category: str) -> int:
    """Draw an expense claim amount for a category, in cents."""
    median, sigma, low, high = CATEGORY_AMOUNTS[category]
    yuan = min(max(median * rng.lognormvariate(0.0, sigma), low), high)
    if category in ("travel", "transport") and rng.random() < 0.6:
        return round(yuan * 100)
    return round(yuan) * 100


def travel_input_tax(claim_id: int, category: str, amount_c: int) -> int:
    """Return the deductible input VAT of a claim (some travel claims carry 9% tickets)."""
    if category != "travel" or claim_id % 10 >= 3:
        return 0
    return round(amount_c * 9 / 109)


def voucher_no(org_id: str, period: str, number: int) -> str:
    """Format a voucher number, unique per org and period (记-org-yyyymm-nnnnn)."""
    return f"记-{org_id[3:]}-{period[:4]}{period[5:]}-{number:05d}"


def doc_no(prefix: str, ordinal: int, doc_id: int) -> str:
    """Format a document number such as BX-20250314-0000123."""
    day = _DAY_TEXT[ordinal - _BASE_ORD]
    return f"{prefix}-{day[:4]}{day[5:7]}{day[8:]}-{doc_id:07d}"


def invoice_no(ordinal: int, invoice_id: int) -> str:
    """Format a 20-digit fully digital VAT invoice number."""
    return f"{_DAY_TEXT[ordinal - _BASE_ORD][2:4]}31{invoice_id:014d}{ordinal % 100:02d}"


Line = tuple[str, int, int, str]  # account_code, debit cents, credit cents, summary


def claim_voucher_lines(claim_id: int, category: str, amount_c: int, employee: str) -> list[Line]:
    """Return the voucher lines for paying an expense claim (Dr 6602xx [+ Dr 2221] / Cr 1002)."""
    tax = travel_input_tax(claim_id, category, amount_c)
    lines: list[Line] = [
        (CATEGORY_ACCOUNTS[category], amount_c - tax, 0, f"{employee}报销{CATEGORY_LABELS[category]}")
    ]
    if tax:
        lines.append(("2221", tax, 0, "差旅费进项税额"))
    lines.append(("1002", 0, amount_c, f"支付{employee}报销款"))
    return lines


def invoice_voucher_lines(customer: str, number: str, net_c: int, tax_c: int) -> list[Line]:
    """Return the voucher lines for issuing an AR invoice (Dr 1122 / Cr 6001 / Cr 2221)."""
    return [
        ("1122", net_c + tax_c, 0, f"{customer}开票 {number}"),
        ("6001", 0, net_c, "确认主营业务收入"),
        ("2221", 0, tax_c, "销项税额"),
    ]


def receipt_voucher_lines(customer: str, number: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for an AR receipt (Dr 1002 / Cr 1122)."""
    return [("1002", amount_c, 0, f"收到{customer}回款"), ("1122", 0, amount_c, f"冲销应收账款 {number}")]


def payment_voucher_lines(payee: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for paying a purchase contract (Dr 2202 / Cr 1002)."""
    return [("2202", amount_c, 0, f"支付{payee}货款"), ("1002", 0, amount_c, f"支付{payee}货款")]


def purchase_voucher_lines(supplier: str, net_c: int, tax_c: int) -> list[Line]:
    """Return the voucher lines for goods received on credit (Dr 1405 / Dr 2221 / Cr 2202)."""
    return [
        ("1405", net_c, 0, f"采购入库 {supplier}"),
        ("2221", tax_c, 0, "进项税额"),
        ("2202", 0, net_c + tax_c, f"应付{supplier}货款"),
    ]


def payroll_payout_lines(gross_c: int, tax_c: int, label: str) -> list[Line]:
    """Return the voucher lines for paying out payroll (Dr 2211 / Cr 1002 net / Cr 2221 withheld tax)."""
    return [
        ("2211", gross_c, 0, f"发放{label}"),
        ("1002", 0, gross_c - tax_c, f"发放{label}"),
        ("2221", 0, tax_c, "代扣个人所得税"),
    ]


def fee_voucher_lines(bank_name: str, amount_c: int) -> list[Line]:
    """Return the voucher lines for a bank fee (Dr 660302 / Cr 1002)."""
    return [("660302", amount_c, 0, f"{bank_name}转账手续费"), ("1002", 0, amount_c, "银行手续费")]


def transfer_voucher_lines(to_branch: bool, counterpart: str, amount_c: int, inflow: bool) -> list[Line]:
    """Return the voucher lines of one side of an intra-group fund transfer."""
    label = "资金下拨" if to_branch else "资金归集"
    if inflow:  # receiving side books a payable to the sender
        return [
            ("1002", amount_c, 0, f"{label} {counterpart}"),
            ("2241", 0, amount_c, f"内部往来 {counterpart}"),
        ]
    return [("1221", amount_c, 0, f"内部往来 {counterpart}"), ("1002", 0, amount_c, f"{label} {counterpart}")]


def internal_transfer_voucher_lines(src_bank: str, dst_bank: str, amount_c: int) -> list[Line]:
    """Return the voucher lines of a transfer between two bank accounts of one org."""
    return [
        ("1002", amount_c, 0, f"资金调拨 转入{dst_bank}"),
        ("1002", 0, amount_c, f"资金调拨 {src_bank}转出"),
    ]


def misc_voucher_lines(rng: random.Random, kind: str, amount_c: int) -> list[Line]:
    """Return the voucher lines of a miscellaneous manual voucher."""
    if kind == "cash":
        return [("1001", amount_c, 0, "提取备用金"), ("1002", 0, amount_c, "提取备用金")]
    if kind == "advance":
        who = person_name(rng)
        return [("1221", amount_c, 0, f"{who}借支备用金"), ("1001", 0, amount_c, f"{who}借支备用金")]
    if kind == "ads":
        return [("660102", amount_c, 0, "计提广告宣传费"), ("2202", 0, amount_c, "应付广告费")]
    src, dst = rng.sample(("660101", "660207"), 2)  # staff moved between sales and administration
    return [(dst, amount_c, 0, "费用重分类"), (src, 0, amount_c, "费用重分类")]


def allocation_batch_lines(scale: float) -> int:
    """Return how many voucher lines one nightly allocation batch posts (at least 200)."""
    return max(200, round(220 * scale))


def allocation_voucher_lines(rng: random.Random, lines: int, amount_scale: int) -> list[Line]:
    """Return a labour-cost allocation voucher: many Dr 6401 project lines and one Cr 2211."""
    result: list[Line] = []
    total = 0
    for _ in range(lines - 1):
        amount = rng.randint(20_000, 800_000) * max(1, amount_scale) // 100 * 100
        total += amount
        result.append(("6401", amount, 0, f"人工成本分摊 项目P{rng.randint(1000, 9999)}"))
    result.append(("2211", 0, total, "人工成本分摊"))
    return result


# --------------------------------------------------------------------------- data holders


@dataclass
class _BankAccount:
    bank_account_id: int
    org_id: str
    bank_name: str
    floor_c: int
    opening_c: int
    main: bool
    flows: dict[int, list[int]] = field(default_factory=dict)  # month key -> [in, out] cents

    def start_balance(self, month_key: int) -> int:
        """Return the balance at the start of a month (every earlier month is complete by then)."""
        return self.opening_c + sum(i - o for key, (i, o) in self.flows.items() if key < month_key)

    def month_flows(self, month_key: int) -> tuple[int, int]:
        """Return (in, out) cents of a month."""
        inflow, outflow = self.flows.get(month_key, (0, 0))
        return inflow, outflow


@dataclass
class _Customer:
    customer_id: int
    name: str
    terms: int
    profile: str  # prompt | slow | partial | bad


@dataclass
class _Contract:
    contract_id: int
    customer: _Customer | None
    counterparty: str
    start: int
    end: int  # last day business may happen (end date or termination)
    mean_c: int
    tax_rate: int


@dataclass
class _Org:
    org_id: str
    name: str
    level: int
    city: str
    weight: float
    departments: list[str] = field(default_factory=list)
    dept_weights: list[float] = field(default_factory=list)
    employees: dict[str, list[str]] = field(default_factory=dict)
    clerks: tuple[str, str] = ("", "")
    accounts: list[_BankAccount] = field(default_factory=list)
    sales: list[_Contract] = field(default_factory=list)
    purchases: list[_Contract] = field(default_factory=list)

    @property
    def trading(self) -> bool:
        """Tell whether the org sells and buys (business divisions only incur overheads)."""
        return self.level != 2


# --------------------------------------------------------------------------- COPY loader


class _CopyLoader:
    """Buffer COPY text rows per table and flush them in bounded batches."""

    def __init__(self, cur: psycopg.Cursor, flush_chars: int = 4 << 20) -> None:
        self._cur = cur
        self._flush_chars = flush_chars
        self._buffers: dict[str, list[str]] = {table: [] for table in TABLE_COLUMNS}
        self._sizes: dict[str, int] = dict.fromkeys(TABLE_COLUMNS, 0)
        self.counts: dict[str, int] = dict.fromkeys(TABLE_COLUMNS, 0)

    def add(self, table: str, line: str) -> None:
        """Queue one tab-separated row (without newline) for a table."""
        buffer = self._buffers[table]
        buffer.append(line)
        self._sizes[table] += len(line)
        if self._sizes[table] >= self._flush_chars:
            self.flush(table)

    def flush(self, table: str) -> None:
        """Send a table's buffered rows with one COPY."""
        buffer = self._buffers[table]
        if not buffer:
            return
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(SCHEMA, table), sql.SQL(", ").join(map(sql.Identifier, TABLE_COLUMNS[table]))
        )
        with self._cur.copy(statement) as copy:
            copy.write("\n".join(buffer) + "\n")
        self.counts[table] += len(buffer)
        buffer.clear()
        self._sizes[table] = 0

    def flush_all(self) -> None:
        """Send every table's buffered rows."""
        for table in TABLE_COLUMNS:
            self.flush(table)


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Generate every Level-1 table into a COPY loader, org-month by org-month."""

    def __init__(self, loader: _CopyLoader, scale: float, seed: int) -> None:
        self.out = loader
        self.scale = scale
        self.seed = seed
        self.next_ids: dict[str, int] = dict.fromkeys(TABLE_COLUMNS, 1)
        self.voucher_seq: dict[tuple[str, str], int] = {}
        self.used_names: set[str] = set()
        self.orgs: list[_Org] = []
        self.months = self._months()
        self.bdays = {m: [o for o in days if is_business_day(o)] for m, days in self.months.items()}

    # ---- infrastructure
    @staticmethod
    def _months() -> dict[tuple[int, int], list[int]]:
        months: dict[tuple[int, int], list[int]] = {}
        for ordinal in range(START_ORD, END_ORD + 1):
            day = dt.date.fromordinal(ordinal)
            months.setdefault((day.year, day.month), []).append(ordinal)
        return months

    def _rng(self, *parts: object) -> random.Random:
        return random.Random("|".join(map(str, (self.seed, *parts))))

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def run(self) -> None:
        """Generate all tables."""
        self._write_org_units()
        self._write_accounts()
        for row in ORG_UNITS:
            self._setup_org(row)
        for org in self.orgs:
            self._write_budgets(org)
        for month in self.months:
            for org in self.orgs:
                if org.weight > 0:
                    self._month(org, month)
        self._closing_batch()
        self.out.flush_all()

    def _closing_batch(self) -> None:
        """Post the last nightly labour-cost allocation: many lines sharing one updated_at."""
        rng = self._rng("closing-batch")
        orgs = [org for org in self.orgs if org.weight > 0 and org.trading]
        stamp = END_ORD * 86400 + 79200 + rng.randint(0, 3599)
        share, extra = divmod(allocation_batch_lines(self.scale), len(orgs))
        for index, org in enumerate(orgs):
            lines = share + (1 if index < extra else 0)
            if lines >= 2:
                self._voucher(
                    org,
                    rng,
                    END_ORD,
                    "manual",
                    None,
                    allocation_voucher_lines(rng, lines, round(self.scale) or 1),
                    stamp,
                    created_by="system",
                )

    # ---- reference tables
    def _write_org_units(self) -> None:
        for org_id, code, name, parent, level, region, _city, status, _w in ORG_UNITS:
            updated = GO_LIVE_TS if status == "active" else GO_LIVE_TS + 3600
            self.out.add(
                "org_unit",
                "\t".join(
                    (org_id, code, name, parent or _NULL, str(level), region, status, ts_text(updated))
                ),
            )

    def _write_accounts(self) -> None:
        for code, name, kind, parent, direction, leaf in ACCOUNTS:
            self.out.add(
                "account",
                "\t".join(
                    (code, name, kind, parent or _NULL, direction, "t" if leaf else "f", ts_text(GO_LIVE_TS))
                ),
            )

    def _setup_org(self, row: tuple) -> None:
        org_id, _code, name, _parent, level, _region, city, status, weight = row
        org = _Org(org_id, name, level, city, weight)
        rng = self._rng(org_id, "setup")
        org.clerks = clerk_names(org_id)
        self.orgs.append(org)
        self._setup_bank_accounts(org, rng, status)
        if weight <= 0:
            return
        self._setup_departments(org, rng)
        if org.trading:
            self._setup_customers(org, rng)
            self._setup_purchase_contracts(org, rng)

    def _setup_departments(self, org: _Org, rng: random.Random) -> None:
        if org.level == 1:
            depts = ["综合管理部", "财务部", "人力资源部", "技术部", "战略投资部", "市场部"]
        elif org.level == 2:
            depts = ["综合管理部", "财务部", "市场部"]
        else:
            extra = rng.sample(["技术部", "运营部", "采购部", "客服部"], rng.randint(1, 2))
            depts = ["综合管理部", "财务部", "销售部", "市场部", *sorted(extra)]
        org.departments = depts
        org.dept_weights = [DEPARTMENT_WEIGHTS[d] * rng.uniform(0.8, 1.2) for d in depts]
        for dept in depts:
            org.employees[dept] = [person_name(rng) for _ in range(rng.randint(4, 12))]

    def _setup_bank_accounts(self, org: _Org, rng: random.Random, status: str) -> None:
        count = 1 if status == "closed" else (3 if org.level == 1 or org.weight >= 1.0 else 2)
        banks = rng.sample(BANKS, count)
        s, w = self.scale, max(org.weight, 0.3)
        for index, bank in enumerate(banks):
            account_id = self._id("bank_account")
            main = index == 0
            if status == "closed":
                opening_c, floor_c, updated, state = 0, 0, GO_LIVE_TS + 3600, "closed"
            elif org.level == 1 and main:
                opening_c = int(30_000_000 * s) * 100
                floor_c = int(5_000_000 * s) // 10_000 * 1_000_000
                updated, state = GO_LIVE_TS, "active"
            else:
                opening_c = (
                    int((1_500_000 if main else 600_000) * s * w * rng.uniform(0.8, 1.2))
                    // 10_000
                    * 1_000_000
                )
                floor_c = int((300_000 if main else 100_000) * s * w) // 10_000 * 1_000_000
                updated, state = GO_LIVE_TS, "active"
            bank_name = f"{bank}{org.city}{'分行营业部' if main else '分行'}"
            self.out.add(
                "bank_account",
                "\t".join(
                    (
                        str(account_id),
                        org.org_id,
                        bank_name,
                        str(rng.randrange(10**18, 10**19)),
                        "CNY",
                        money(opening_c),
                        day_text(START_ORD),
                        money(floor_c),
                        state,
                        ts_text(updated),
                    )
                ),
            )
            org.accounts.append(_BankAccount(account_id, org.org_id, bank_name, floor_c, opening_c, main))

    def _unique_company(self, rng: random.Random, city: str) -> tuple[str, str]:
        for _ in range(20):
            name, industry = company_name(rng, city)
            if name not in self.used_names:
                break
        else:
            name = f"{name[:-4]}{rng.choice(NAME_CORES)}{name[-4:]}"
        self.used_names.add(name)
        return name, industry

    def _setup_customers(self, org: _Org, rng: random.Random) -> None:
        count = max(3, stochastic_round(rng, 8 * self.scale * org.weight))
        for _ in range(count):
            customer_id = self._id("customer")
            name, industry = self._unique_company(
                rng, org.city if rng.random() < 0.7 else rng.choice(SUPPLIER_CITIES)
            )
            profile = rng.choices(("prompt", "slow", "partial", "bad"), (0.5, 0.33, 0.12, 0.05))[0]
            customer = _Customer(customer_id, name, rng.choice((30, 30, 60, 60, 90)), profile)
            first_sign = self._setup_sales_contracts(org, rng, customer)
            status, updated = "active", max(GO_LIVE_TS + customer_id % 3600, first_sign - 2 * 86400)
            if profile == "bad" and rng.random() < 0.5:
                frozen = rng.randint(dt.date(2025, 9, 1).toordinal(), END_ORD) * 86400 + work_seconds(rng)
                if frozen > updated:
                    status, updated = "frozen", frozen
            credit = rng.choice((50, 80, 100, 150, 200, 300, 500)) * 1_000_000_000
            self.out.add(
                "customer",
                "\t".join(
                    (
                        str(customer_id),
                        f"C{customer_id:06d}",
                        name,
                        org.org_id,
                        industry,
                        money(credit),
                        status,
                        ts_text(min(updated, END_TS - rng.randint(3600, 86400))),
                    )
                ),
            )

    def _contract_span(self, rng: random.Random, start: int) -> tuple[int, int, int]:
        months = rng.choice((12, 12, 24, 24, 36))
        end = (
            dt.date.fromordinal(start) + dt.timedelta(days=round(months * 30.44)) - dt.timedelta(days=1)
        ).toordinal()
        sign = start - rng.randint(0, 20)
        return sign, start, end

    def _setup_sales_contracts(self, org: _Org, rng: random.Random, customer: _Customer) -> int:
        if rng.random() < 0.6:
            start = rng.randint(dt.date(2023, 6, 1).toordinal(), START_ORD - 1)
        else:
            start = rng.randint(START_ORD, END_ORD + 10)
        first_sign = None
        while True:
            sign, start, end = self._contract_span(rng, start)
            if sign - 7 > END_ORD:
                break
            kind = "sales" if rng.random() < 0.55 else "service"
            contract = self._write_contract(org, rng, kind, customer, customer.name, sign, start, end)
            if contract is not None:
                org.sales.append(contract)
            first_sign = sign if first_sign is None else first_sign
            if end >= END_ORD or rng.random() > 0.7:
                break
            start = end + 1
        return (first_sign or START_ORD) * 86400 + work_seconds(rng)

    def _setup_purchase_contracts(self, org: _Org, rng: random.Random) -> None:
        count = max(2, stochastic_round(rng, 4 * self.scale * org.weight))
        for _ in range(count):
            start = rng.randint(dt.date(2024, 1, 1).toordinal(), dt.date(2026, 8, 1).toordinal())
            while True:
                sign, start, end = self._contract_span(rng, start)
                if sign - 7 > END_ORD:
                    break
                contract_id = self.next_ids["contract"]
                contract = self._write_contract(
                    org, rng, "purchase", None, supplier_name(contract_id), sign, start, end
                )
                if contract is not None:
                    org.purchases.append(contract)
                if end >= END_ORD or rng.random() > 0.6:
                    break
                start = end + 1

    def _write_contract(
        self,
        org: _Org,
        rng: random.Random,
        kind: str,
        customer: _Customer | None,
        counterparty: str,
        sign: int,
        start: int,
        end: int,
    ) -> _Contract | None:
        draft_ts = (sign - rng.randint(3, 10)) * 86400 + work_seconds(rng)
        if draft_ts > END_TS:
            return None  # not keyed into the platform yet
        contract_id = self._id("contract")
        mean_yuan = rng.lognormvariate(math.log(80_000 if kind != "purchase" else 60_000), 0.7)
        mean_c = int(min(max(mean_yuan, 5_000), 2_000_000)) * 100
        tax_rate = 6 if kind == "service" else 13
        amount_c = mean_c * rng.randint(3, 12) * (100 + tax_rate) // 10_000 * 100
        sign_ts = sign * 86400 + work_seconds(rng)
        status, updated, business_end = "draft", draft_ts, end
        if sign_ts <= END_TS:
            status, updated = "active", sign_ts
        terminated = rng.random() < 0.03
        if terminated and status == "active":
            business_end = rng.randint(start, end)
            term_ts = business_end * 86400 + work_seconds(rng)
            if term_ts <= END_TS:
                status, updated = "terminated", term_ts
        if status == "active" and (end + 1) * 86400 + 32400 <= END_TS:
            status, updated = "closed", (end + 1) * 86400 + 32400
        prefix = {"sales": "XS", "service": "FW", "purchase": "CG"}[kind]
        self.out.add(
            "contract",
            "\t".join(
                (
                    str(contract_id),
                    f"HT-{prefix}-{day_text(sign)[:4]}-{contract_id:06d}",
                    org.org_id,
                    str(customer.customer_id) if customer else _NULL,
                    kind,
                    money(amount_c),
                    "CNY",
                    day_text(sign),
                    day_text(start),
                    day_text(end),
                    status,
                    ts_text(max(updated, GO_LIVE_TS + contract_id % 3600)),
                )
            ),
        )
        if status == "draft":
            return None
        return _Contract(
            contract_id, customer, counterparty, max(start, sign), business_end, mean_c, tax_rate
        )

    def _write_budgets(self, org: _Org) -> None:
        if org.weight <= 0:
            return
        rng = self._rng(org.org_id, "budget")
        total_w = sum(org.dept_weights)
        rate = RATES["claims"] * self.scale * org.weight
        for dept, dept_w in zip(org.departments, org.dept_weights, strict=True):
            for category, account in CATEGORY_ACCOUNTS.items():
                median, sigma, _low, _high = CATEGORY_AMOUNTS[category]
                expected = (
                    rate * dept_w / total_w * CATEGORY_WEIGHTS[category] * median * math.exp(sigma**2 / 2)
                )
                revise = rng.random() < 0.12
                for year in (2025, 2026):
                    approved = dt.date(year - 1, 12, 29 if year == 2026 else 31).toordinal()
                    approved_ts = max(approved * 86400 + 36000, GO_LIVE_TS + 5400)
                    for month in range(1, 13):
                        base = expected * SEASON[month] * YEAR_GROWTH[year] * rng.uniform(0.95, 1.4)
                        self._budget_row(org, dept, account, f"{year}-{month:02d}", base, 1, approved_ts)
                        if revise and month >= 7:
                            revised_ts = dt.date(year, 6, 26).toordinal() * 86400 + 61200
                            self._budget_row(
                                org,
                                dept,
                                account,
                                f"{year}-{month:02d}",
                                base * rng.uniform(0.8, 1.3),
                                2,
                                revised_ts,
                            )

    def _budget_row(
        self, org: _Org, dept: str, account: str, period: str, yuan: float, version: int, updated: int
    ) -> None:
        amount_c = budget_cents(yuan)
        self.out.add(
            "budget",
            "\t".join(
                (
                    str(self._id("budget")),
                    org.org_id,
                    dept,
                    account,
                    period,
                    money(amount_c),
                    str(version),
                    ts_text(updated),
                )
            ),
        )

    # ---- shared writers
    def _voucher(
        self,
        org: _Org,
        rng: random.Random,
        ordinal: int,
        source_type: str,
        source_id: int | None,
        lines: list[Line],
        created_ts: int,
        status: str = "posted",
        status_ts: int | None = None,
        created_by: str | None = None,
    ) -> int:
        voucher_id = self._id("gl_voucher")
        period = period_of(ordinal)
        key = (org.org_id, period)
        number = self.voucher_seq.get(key, 0) + 1
        self.voucher_seq[key] = number
        self.out.add(
            "gl_voucher",
            "\t".join(
                (
                    str(voucher_id),
                    voucher_no(org.org_id, period, number),
                    org.org_id,
                    period,
                    day_text(ordinal),
                    source_type,
                    _NULL if source_id is None else str(source_id),
                    status,
                    created_by or org.clerks[rng.random() < 0.4],
                    ts_text(status_ts or created_ts),
                )
            ),
        )
        created = ts_text(created_ts)
        voucher = str(voucher_id)
        for line_no, (account, debit, credit, summary) in enumerate(lines, 1):
            self.out.add(
                "gl_voucher_line",
                "\t".join(
                    (
                        str(self._id("gl_voucher_line")),
                        voucher,
                        str(line_no),
                        account,
                        money(debit),
                        money(credit),
                        "CNY",
                        summary,
                        created,
                    )
                ),
            )
        return voucher_id

    def _txn(
        self,
        account: _BankAccount,
        ts: int,
        direction: str,
        amount_c: int,
        counterparty: str,
        summary: str,
        ref_type: str | None = None,
        ref_id: int | None = None,
    ) -> None:
        flows = account.flows.setdefault(_MONTH_KEY[ts // 86400 - _BASE_ORD], [0, 0])
        flows[direction == "out"] += amount_c
        stamp = ts_text(ts)
        self.out.add(
            "bank_transaction",
            "\t".join(
                (
                    str(self._id("bank_transaction")),
                    str(account.bank_account_id),
                    account.org_id,
                    stamp,
                    direction,
                    money(amount_c),
                    counterparty,
                    summary,
                    ref_type or _NULL,
                    _NULL if ref_id is None else str(ref_id),
                    stamp,
                )
            ),
        )

    def _pick_account(self, org: _Org, rng: random.Random) -> _BankAccount:
        if len(org.accounts) == 1 or rng.random() < 0.55:
            return org.accounts[0]
        return rng.choice(org.accounts[1:])

    def _pick_day(
        self, rng: random.Random, month: tuple[int, int], low: int = 0, high: int = 10**9
    ) -> int | None:
        days = self.bdays[month]
        if low > days[0] or high < days[-1]:
            days = [o for o in days if low <= o <= high]
        if not days:
            return None
        if rng.random() < 0.04:
            weekend = [o for o in self.months[month] if low <= o <= high and not is_business_day(o)]
            if weekend:
                return rng.choice(weekend)
        return rng.choice(days)

    # ---- one org-month
    def _month(self, org: _Org, month: tuple[int, int]) -> None:
        rng = self._rng(org.org_id, f"{month[0]}-{month[1]:02d}")
        days = self.months[month]
        factor = (
            self.scale
            * org.weight
            * SEASON[month[1]]
            * YEAR_GROWTH[month[0]]
            * len(days)
            / _month_days(month)
        )
        self._claims(org, month, rng, stochastic_round(rng, RATES["claims"] * factor))
        purchased_c = 0
        if org.trading:
            self._invoices(org, month, rng, stochastic_round(rng, RATES["invoices"] * factor))
            purchased_c = self._purchases(org, month, rng, stochastic_round(rng, RATES["purchases"] * factor))
        self._misc(org, month, rng, stochastic_round(rng, RATES["misc"] * factor))
        self._payroll(org, month, rng, purchased_c)
        self._interest(org, month, rng)
        self._balance_funds(org, month, rng)

    def _claims(self, org: _Org, month: tuple[int, int], rng: random.Random, count: int) -> None:
        categories = list(CATEGORY_WEIGHTS)
        cat_weights = list(CATEGORY_WEIGHTS.values())
        for _ in range(count):
            day = self._pick_day(rng, month)
            if day is None:
                return
            submitted = day * 86400 + work_seconds(rng)
            dept = rng.choices(org.departments, org.dept_weights)[0]
            employee = rng.choice(org.employees[dept])
            category = rng.choices(categories, cat_weights)[0]
            amount_c = claim_amount_cents(rng, category)
            claim_id = self._id("expense_claim")
            status, updated = "submitted", submitted
            outcome = rng.random()
            if outcome < 0.05:
                decided = add_business_days(day, rng.randint(1, 3)) * 86400 + work_seconds(rng)
                if decided <= END_TS:
                    status, updated = ("rejected" if outcome < 0.03 else "voided"), decided
            else:
                approved = add_business_days(day, rng.randint(1, 4)) * 86400 + work_seconds(rng)
                if approved <= END_TS:
                    status, updated = "approved", approved
                    paid = self._pay_claim(org, rng, claim_id, category, amount_c, employee, approved)
                    if paid is not None:
                        status, updated = "paid", paid
            self.out.add(
                "expense_claim",
                "\t".join(
                    (
                        str(claim_id),
                        doc_no("BX", day, claim_id),
                        org.org_id,
                        dept,
                        employee,
                        category,
                        money(amount_c),
                        "CNY",
                        day_text(day),
                        status,
                        ts_text(updated),
                    )
                ),
            )

    def _payment_order(
        self,
        org: _Org,
        rng: random.Random,
        account: _BankAccount,
        payee: str,
        amount_c: int,
        created: int,
        pay_day: int,
        source_type: str,
        source_id: int,
    ) -> int | None:
        """Write a payment order (retrying once on failure); return its paid timestamp or None."""
        while True:
            payment_id = self._id("payment_order")
            pay_ts = pay_day * 86400 + rng.randint(36000, 61200)
            failed = rng.random() < 0.015
            if pay_ts > END_TS:
                status, updated = "pending", created
            else:
                status, updated = ("failed" if failed else "paid"), pay_ts
            self.out.add(
                "payment_order",
                "\t".join(
                    (
                        str(payment_id),
                        doc_no("FK", created // 86400, payment_id),
                        org.org_id,
                        str(account.bank_account_id),
                        payee,
                        money(amount_c),
                        "CNY",
                        day_text(pay_day),
                        source_type,
                        str(source_id),
                        status,
                        ts_text(updated),
                    )
                ),
            )
            if status == "pending":
                return None
            if status == "paid":
                self._txn(
                    account,
                    pay_ts,
                    "out",
                    amount_c,
                    payee,
                    "报销款" if source_type == "expense_claim" else "支付货款",
                    "payment_order",
                    payment_id,
                )
                return pay_ts
            created = pay_ts + rng.randint(1800, 7200)
            pay_day = add_business_days(pay_day, 1)
            if created > END_TS:
                return None

    def _pay_claim(
        self,
        org: _Org,
        rng: random.Random,
        claim_id: int,
        category: str,
        amount_c: int,
        employee: str,
        approved: int,
    ) -> int | None:
        created = approved + rng.randint(600, 7200)
        if created > END_TS:
            return None
        pay_day = add_business_days(approved // 86400, rng.randint(1, 3))
        account = self._pick_account(org, rng)
        paid = self._payment_order(
            org, rng, account, employee, amount_c, created, pay_day, "expense_claim", claim_id
        )
        if paid is None:
            return None
        self._voucher(
            org,
            rng,
            paid // 86400,
            "expense_claim",
            claim_id,
            claim_voucher_lines(claim_id, category, amount_c, employee),
            min(paid + rng.randint(60, 1800), paid // 86400 * 86400 + 86399),
        )
        return paid

    @staticmethod
    def _active(contracts: list[_Contract], first: int, last: int) -> list[_Contract]:
        return [c for c in contracts if c.start <= last and c.end >= first]

    def _invoices(self, org: _Org, month: tuple[int, int], rng: random.Random, count: int) -> None:
        days = self.months[month]
        active = self._active(org.sales, days[0], days[-1])
        for _ in range(count if active else 0):
            contract = rng.choice(active)
            day = self._pick_day(rng, month, contract.start, contract.end)
            if day is None:
                continue
            self._invoice(org, rng, contract, day)

    def _invoice(self, org: _Org, rng: random.Random, contract: _Contract, day: int) -> None:
        customer = contract.customer
        assert customer is not None
        net_c = int(contract.mean_c * rng.lognormvariate(0.0, 0.3))
        net_c = net_c // 10_000 * 10_000 if rng.random() < 0.7 else net_c
        net_c = max(net_c, 100_000)
        tax_c = round(net_c * contract.tax_rate / 100)
        invoice_id = self._id("ar_invoice")
        number = invoice_no(day, invoice_id)
        issued = day * 86400 + work_seconds(rng)
        voided_ts = None
        if rng.random() < 0.015:
            voided_ts = add_business_days(day, rng.randint(1, 8)) * 86400 + work_seconds(rng)
            voided_ts = voided_ts if voided_ts <= END_TS else None
        posted = issued + rng.randint(60, 1800)
        self._voucher(
            org,
            rng,
            day,
            "ar_invoice",
            invoice_id,
            invoice_voucher_lines(customer.name, number, net_c, tax_c),
            posted,
            "voided" if voided_ts else "posted",
            voided_ts,
        )
        status, updated = "issued", issued
        if voided_ts:
            status, updated = "voided", voided_ts
        else:
            paid_c, last_ts = self._receipts(org, rng, customer, invoice_id, number, day, net_c + tax_c)
            if paid_c:
                status = "paid" if paid_c >= net_c + tax_c else "partially_paid"
                updated = last_ts
        self.out.add(
            "ar_invoice",
            "\t".join(
                (
                    str(invoice_id),
                    number,
                    org.org_id,
                    str(customer.customer_id),
                    str(contract.contract_id),
                    day_text(day),
                    day_text(day + customer.terms),
                    money(net_c),
                    money(tax_c),
                    "CNY",
                    status,
                    ts_text(updated),
                )
            ),
        )

    def _receipt_plan(
        self, rng: random.Random, customer: _Customer, day: int, total_c: int
    ) -> list[tuple[int, int]]:
        terms = customer.terms
        if customer.profile == "prompt":
            return [(day + rng.randint(5, max(6, terms - 2)), total_c)]
        if customer.profile == "slow":
            return [(day + terms + rng.randint(-5, 100), total_c)]
        if customer.profile == "partial":
            first = total_c * rng.randint(30, 70) // 100 // 10_000 * 10_000
            first_day = day + rng.randint(15, terms + 10)
            plan = [(first_day, first)]
            if rng.random() < 0.5:
                second = (total_c - first) // 2 // 10_000 * 10_000
                plan.append((first_day + rng.randint(20, 60), second))
                first += second
            plan.append((plan[-1][0] + rng.randint(20, 60), total_c - first))
            return plan
        if rng.random() < 0.5:
            return []
        return [(day + terms + rng.randint(30, 120), total_c * rng.randint(20, 40) // 100 // 10_000 * 10_000)]

    def _receipts(
        self,
        org: _Org,
        rng: random.Random,
        customer: _Customer,
        invoice_id: int,
        number: str,
        day: int,
        total_c: int,
    ) -> tuple[int, int]:
        paid_c, last_ts = 0, 0
        for when, amount_c in self._receipt_plan(rng, customer, day, total_c):
            when = next_business_day(when)
            bank_ts = when * 86400 + rng.randint(32400, 57600)
            recorded = bank_ts + rng.randint(1800, 3 * 3600)
            if recorded > END_TS or amount_c <= 0:
                break
            account = self._pick_account(org, rng)
            receipt_id = self._id("ar_receipt")
            self._txn(account, bank_ts, "in", amount_c, customer.name, "货款回收", "ar_receipt", receipt_id)
            self.out.add(
                "ar_receipt",
                "\t".join(
                    (
                        str(receipt_id),
                        doc_no("SK", when, receipt_id),
                        str(invoice_id),
                        org.org_id,
                        str(customer.customer_id),
                        day_text(when),
                        money(amount_c),
                        "CNY",
                        str(account.bank_account_id),
                        ts_text(recorded),
                    )
                ),
            )
            self._voucher(
                org,
                rng,
                when,
                "ar_receipt",
                receipt_id,
                receipt_voucher_lines(customer.name, number, amount_c),
                recorded + rng.randint(60, 1800),
            )
            paid_c += amount_c
            last_ts = recorded
        return paid_c, last_ts

    def _purchases(self, org: _Org, month: tuple[int, int], rng: random.Random, count: int) -> int:
        days = self.months[month]
        active = self._active(org.purchases, days[0], days[-1])
        purchased_c = 0
        for _ in range(count if active else 0):
            contract = rng.choice(active)
            day = self._pick_day(rng, month, contract.start, contract.end)
            if day is None:
                continue
            net_c = max(int(contract.mean_c * rng.lognormvariate(0.0, 0.35)) // 100 * 100, 100_000)
            tax_c = round(net_c * 0.13)
            received = day * 86400 + work_seconds(rng)
            self._voucher(
                org,
                rng,
                day,
                "manual",
                None,
                purchase_voucher_lines(contract.counterparty, net_c, tax_c),
                received,
            )
            purchased_c += net_c
            created = add_business_days(day, rng.randint(5, 25)) * 86400 + work_seconds(rng)
            if created > END_TS:
                continue
            pay_day = add_business_days(created // 86400, rng.randint(2, 7))
            account = self._pick_account(org, rng)
            paid = self._payment_order(
                org,
                rng,
                account,
                contract.counterparty,
                net_c + tax_c,
                created,
                pay_day,
                "contract",
                contract.contract_id,
            )
            if paid is None:
                continue
            payment_id = self.next_ids["payment_order"] - 1
            self._voucher(
                org,
                rng,
                paid // 86400,
                "payment_order",
                payment_id,
                payment_voucher_lines(contract.counterparty, net_c + tax_c),
                min(paid + rng.randint(60, 1800), paid // 86400 * 86400 + 86399),
            )
            if rng.random() < 0.5:
                self._fee(org, rng, account, paid + rng.randint(1, 60))
        return purchased_c

    def _fee(self, org: _Org, rng: random.Random, account: _BankAccount, ts: int) -> None:
        fee_c = rng.choice((500, 1000, 1500, 2000, 2500, 5000))
        self._txn(account, ts, "out", fee_c, account.bank_name, "转账手续费")
        self._voucher(
            org,
            rng,
            ts // 86400,
            "manual",
            None,
            fee_voucher_lines(account.bank_name, fee_c),
            min(ts + rng.randint(600, 3600), ts // 86400 * 86400 + 86399),
        )

    def _misc(self, org: _Org, month: tuple[int, int], rng: random.Random, count: int) -> None:
        for _ in range(count):
            day = self._pick_day(rng, month)
            if day is None:
                return
            kind = rng.choice(
                ("cash", "advance", "ads", "reclass") if org.trading else ("cash", "advance", "reclass")
            )
            amount_c = rng.randint(5, 200) * 10_000
            created = day * 86400 + work_seconds(rng)
            status, status_ts = "posted", None
            if kind == "cash":
                account = org.accounts[0]
                self._txn(account, created - rng.randint(600, 3600), "out", amount_c, org.name, "提取备用金")
            elif (day >= END_ORD - 6 and rng.random() < 0.6) or rng.random() < 0.02:
                status = "draft"
            elif rng.random() < 0.03:
                voided = created + rng.randint(1, 5) * 86400
                if voided <= END_TS:
                    status, status_ts = "voided", voided
            self._voucher(
                org,
                rng,
                day,
                "manual",
                None,
                misc_voucher_lines(rng, kind, amount_c),
                created,
                status,
                status_ts,
            )

    def _payroll(self, org: _Org, month: tuple[int, int], rng: random.Random, purchased_c: int) -> None:
        if month == (HISTORY_END.year, HISTORY_END.month) and len(self.months[month]) < _month_days(month):
            return  # the history ends before this month's month-end close
        last = self.bdays[month][-1]
        batches = stochastic_round(rng, self.scale)
        for batch in range(1, batches + 1):
            gross_c = (
                int(PAYROLL_BASE_C * org.weight * YEAR_GROWTH[month[0]] * rng.lognormvariate(0, 0.05))
                // 100
                * 100
            )
            sales_c = gross_c * 35 // 100 if org.trading else 0
            accrued = last * 86400 + 57600 + batch * 60
            label = f"{month[0]}年{month[1]}月工资" + (f"（第{batch}批）" if batches > 1 else "")
            lines: list[Line] = []
            if sales_c:
                lines.append(("660101", sales_c, 0, f"计提{label} 销售人员"))
            lines += [
                ("660207", gross_c - sales_c, 0, f"计提{label} 管理人员"),
                ("2211", 0, gross_c, f"计提{label}"),
            ]
            self._voucher(org, rng, last, "manual", None, lines, accrued)
            if purchased_c:
                cost_c = purchased_c * rng.randint(80, 100) // 100 // batches // 100 * 100
                self._voucher(
                    org,
                    rng,
                    last,
                    "manual",
                    None,
                    [
                        ("6401", cost_c, 0, f"结转{month[0]}年{month[1]}月销售成本"),
                        ("1405", 0, cost_c, f"结转{month[0]}年{month[1]}月销售成本"),
                    ],
                    accrued + 1800,
                )
            payday = next_business_day(
                (dt.date(*month, 28) + dt.timedelta(days=13)).replace(day=10).toordinal()
            )
            paid_ts = payday * 86400 + 36000 + batch * 60
            if paid_ts > END_TS:
                continue
            tax_c = gross_c * 6 // 100 // 100 * 100
            account = org.accounts[0]
            self._txn(account, paid_ts, "out", gross_c - tax_c, f"{org.name}工资代发户", f"代发{label}")
            self._voucher(
                org,
                rng,
                payday,
                "manual",
                None,
                payroll_payout_lines(gross_c, tax_c, label),
                paid_ts + 600,
            )

    def _interest(self, org: _Org, month: tuple[int, int], rng: random.Random) -> None:
        if month[1] % 3 or dt.date(month[0], month[1], 21).toordinal() > END_ORD:
            return
        day = dt.date(month[0], month[1], 21).toordinal()
        lines: list[Line] = []
        total = 0
        key = month[0] * 12 + month[1] - 1
        for account in org.accounts:
            inflow, outflow = account.month_flows(key)
            interest_c = max(account.start_balance(key) + inflow - outflow, 0) * 35 // 40_000
            if interest_c <= 0:
                continue
            self._txn(
                account,
                day * 86400 + 28800 + account.bank_account_id,
                "in",
                interest_c,
                account.bank_name,
                "结息",
            )
            lines.append(("1002", interest_c, 0, f"{account.bank_name}结息"))
            total += interest_c
        if total:
            lines.append(("660301", 0, total, "活期存款利息收入"))
            self._voucher(org, rng, day, "manual", None, lines, day * 86400 + 36000)

    def _balance_funds(self, org: _Org, month: tuple[int, int], rng: random.Random) -> None:
        """Top accounts up from HQ before a month whose payments would breach the floor; sweep surpluses.

        The low point of a month is estimated conservatively as the opening balance of the month less
        all its payments, so balances never go negative; between half the floor and the floor a top-up
        is sometimes skipped, which leaves realistic floor breaches for fund monitoring.
        """
        key = month[0] * 12 + month[1] - 1
        first, last = self.bdays[month][0], self.bdays[month][-1]
        hq = self.orgs[0]
        source = hq.accounts[0]
        for account in org.accounts:
            if account is source or account.floor_c <= 0:
                continue
            start = account.start_balance(key)
            inflow, outflow = account.month_flows(key)
            low = start - outflow
            if low < account.floor_c * 12 // 10 and (low < account.floor_c // 2 or rng.random() < 0.7):
                amount_c = -(-(account.floor_c * 2 - low) // 1_000_000) * 1_000_000
                self._transfer(
                    hq, source, org, account, amount_c, first * 86400 + 34200 + account.bank_account_id, rng
                )
            elif org is not hq and start + inflow - outflow > account.floor_c * 12:
                amount_c = (start + inflow - outflow - account.floor_c * 6) // 1_000_000 * 1_000_000
                self._transfer(org, account, hq, source, amount_c, last * 86400 + 54000, rng)

    def _transfer(
        self,
        src_org: _Org,
        src: _BankAccount,
        dst_org: _Org,
        dst: _BankAccount,
        amount_c: int,
        ts: int,
        rng: random.Random,
    ) -> None:
        if amount_c <= 0 or ts > END_TS:
            return
        if src_org is dst_org:
            self._txn(src, ts, "out", amount_c, dst.bank_name, "资金调拨")
            self._txn(dst, ts + 120, "in", amount_c, src.bank_name, "资金调拨")
            self._voucher(
                src_org,
                rng,
                ts // 86400,
                "manual",
                None,
                internal_transfer_voucher_lines(src.bank_name, dst.bank_name, amount_c),
                ts + 900,
            )
            return
        down = src_org.org_id == HQ_ORG_ID
        label = "资金下拨" if down else "资金归集"
        self._txn(src, ts, "out", amount_c, dst_org.name, label)
        self._txn(dst, ts + 120, "in", amount_c, src_org.name, label)
        self._voucher(
            src_org,
            rng,
            ts // 86400,
            "manual",
            None,
            transfer_voucher_lines(down, dst_org.name, amount_c, False),
            ts + 900,
        )
        self._voucher(
            dst_org,
            rng,
            ts // 86400,
            "manual",
            None,
            transfer_voucher_lines(down, src_org.name, amount_c, True),
            ts + 1200,
        )


# --------------------------------------------------------------------------- public entry point


def apply_schema(cur: psycopg.Cursor) -> None:
    """Run the idempotent Level-1 DDL."""
    cur.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _tables_with_rows(cur: psycopg.Cursor) -> list[str]:
    found = []
    for table in TABLE_COLUMNS:
        cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(SCHEMA, table)))
        if cur.fetchone()[0]:
            found.append(table)
    return found


def seed_level1(conninfo: str, *, scale: float = 1.0, seed: int = 20261129) -> bool:
    """Create schema l1 (idempotent DDL from SCHEMA_SQL) and load the demo data if l1.org_unit is empty.

    Returns True when it seeded, False when data was already there (running twice never duplicates).
    The whole load runs in one transaction, so a failed load leaves no partial data.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:  # the whole load is one transaction
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (SEED_LOCK_KEY,))
        apply_schema(cur)
        filled = _tables_with_rows(cur)
        if "org_unit" in filled:
            logger.info("l1 already holds data; skipping the demo seed")
            return False
        if filled:
            raise RuntimeError(f"l1.org_unit is empty but these l1 tables are not: {', '.join(filled)}")
        cur.execute("SET LOCAL synchronous_commit TO off")
        loader = _CopyLoader(cur)
        _Builder(loader, scale, seed).run()
        logger.info("seeded l1 (scale %s, seed %s): %s", scale, seed, loader.counts)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in TABLE_COLUMNS:
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(SCHEMA, table)))
    return True
