"""Reference data of the demo Level-1: its tables, organisation, chart of accounts and business rates.

Everything here is fixed: the generator and the day simulator draw from it, so changing a value changes
the seeded data (and the hash pinned by the tests).
"""

from __future__ import annotations

SCHEMA = "l1"

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
    "accounting_period": ("period", "status", "closed_at", "reopen_count", "updated_at"),
    "accounting_period_log": ("log_id", "period", "action", "acted_at", "acted_by", "updated_at"),
}
# fmt: on
PRIMARY_KEYS: dict[str, str] = {table: cols[0] for table, cols in TABLE_COLUMNS.items()}

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
ANNUAL_GROWTH = 1.08  # business volume of each history year over the one before
PAYROLL_BASE_C = 9_000_000  # cents per payroll batch at org weight 1
# fmt: on


def growth(year: int, first_year: int) -> float:
    """Return the business volume of a year relative to the first year of the history."""
    return ANNUAL_GROWTH ** (year - first_year)
