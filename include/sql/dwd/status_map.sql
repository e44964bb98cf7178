-- dwd.status_map: the conformed status vocabulary (one row per Level-1 status code).
-- Cleaning rules:
--   * codes are matched after lower(btrim(status)), so ' Paid' and 'PAID' map like 'paid';
--   * in_facts = false marks states kept out of the dwd facts on purpose (voided documents,
--     draft and voided vouchers) — they are business states, not rejects;
--   * a code missing here is an `invalid_code` reject (see dwd.reject): extend this list
--     when Level-1 introduces a new status.
SELECT domain, source_status, status, status_label, in_facts
FROM (VALUES
    ('org_unit',      'active',         'active',         '正常',     true),
    ('org_unit',      'closed',         'closed',         '已撤销',   true),
    ('customer',      'active',         'active',         '正常',     true),
    ('customer',      'frozen',         'frozen',         '已冻结',   true),
    ('bank_account',  'active',         'active',         '正常',     true),
    ('bank_account',  'closed',         'closed',         '已销户',   true),
    ('gl_voucher',    'posted',         'posted',         '已过账',   true),
    ('gl_voucher',    'draft',          'draft',          '草稿',     false),
    ('gl_voucher',    'voided',         'voided',         '已作废',   false),
    ('expense_claim', 'submitted',      'pending',        '审批中',   true),
    ('expense_claim', 'approved',       'approved',       '已审批',   true),
    ('expense_claim', 'paid',           'paid',           '已支付',   true),
    ('expense_claim', 'rejected',       'rejected',       '已驳回',   true),
    ('expense_claim', 'voided',         'voided',         '已作废',   false),
    ('payment_order', 'pending',        'pending',        '待支付',   true),
    ('payment_order', 'paid',           'paid',           '已支付',   true),
    ('payment_order', 'failed',         'failed',         '支付失败', true),
    ('payment_order', 'voided',         'voided',         '已作废',   false),
    ('ar_invoice',    'issued',         'open',           '未收款',   true),
    ('ar_invoice',    'partially_paid', 'partially_paid', '部分收款', true),
    ('ar_invoice',    'paid',           'paid',           '已收款',   true),
    ('ar_invoice',    'voided',         'voided',         '已作废',   false)
) AS v (domain, source_status, status, status_label, in_facts)
