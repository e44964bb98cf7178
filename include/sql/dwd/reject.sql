-- dwd.reject: every ods row kept out of the dwd facts, with the rule it failed and why.
-- One row per (source_table, source_key, rule, column_name); a row failing two rules appears twice.
-- The fact models anti-join this table on (source_table, source_key), so a rule is written once,
-- here, and nothing is dropped silently. Rules (the vocabulary is smartops.aggregation.rules.RejectRule):
--   source_deleted      the row was deleted at Level-1 (ods._deleted_at is set): flagged, not a fact
--   null_required       a required column is empty (NULL or blank after btrim)
--   unknown_org         org_id (btrim + upper) is not an org in ods.org_unit
--   unknown_account     account_code (btrim) is not in the chart of accounts ods.account
--   orphan_reference    the parent document is missing (voucher line -> voucher, receipt -> invoice,
--                       invoice -> customer, bank transaction -> bank account)
--   negative_amount     an amount that must not be negative is < 0 (claims, payments, invoices,
--                       receipts, budgets, bank transactions; voucher lines may be red-letter)
--   unknown_currency    dwd.std_currency(currency) is not the functional currency CNY
--                       ('RMB', '人民币', ' cny' are standardised to CNY first and pass)
--   invalid_code        a status or direction code missing from dwd.status_map / ('in', 'out')
--   unbalanced_voucher  a posted voucher whose live lines' debits and credits differ
--   rejected_line       a voucher with a rejected line: the whole voucher stays out so the
--                       dwd ledger keeps balancing
-- Shape: each <table>_flags CTE computes one boolean per check in a single pass; only rows with a
-- raised flag are unpivoted into (rule, column_name, reason) — building reasons for every row
-- would cost more than the rest of the model.
-- Scope: documents dated after the business date, and voided/draft documents (status_map
-- in_facts = false), are not facts and so are not checked; master data is checked as a whole.
-- Incremental (include/sql/aggregation/reject_scope.sql): the voucher_scope and line_scope
-- placeholders narrow the ledger reads to the vouchers that changed, claim_scope, payment_scope,
-- invoice_scope, receipt_scope and txn_scope the document reads to the documents to re-check, scope
-- keeps the output to the re-checked keys; all are TRUE in a full build. Rows of untouched vouchers keep the run that detected them.
-- Payment orders are not date-limited: pay_date is the planned payment day, so pending orders
-- with a later pay_date are already part of the cash plan.
WITH org AS (
    SELECT DISTINCT upper(btrim(org_id)) AS org_id FROM ods.org_unit WHERE _deleted_at IS NULL
),
acct AS (
    SELECT DISTINCT btrim(account_code) AS account_code FROM ods.account WHERE _deleted_at IS NULL
),
deleted (source_table, source_key, deleted_at) AS (
    SELECT 'org_unit', org_id, _deleted_at FROM ods.org_unit WHERE _deleted_at IS NOT NULL
    UNION ALL SELECT 'account', account_code, _deleted_at FROM ods.account WHERE _deleted_at IS NOT NULL
    UNION ALL SELECT 'customer', customer_id::text, _deleted_at FROM ods.customer WHERE _deleted_at IS NOT NULL
    UNION ALL SELECT 'bank_account', bank_account_id::text, _deleted_at FROM ods.bank_account WHERE _deleted_at IS NOT NULL
    UNION ALL SELECT 'gl_voucher', voucher_id::text, _deleted_at FROM ods.gl_voucher g
              WHERE _deleted_at IS NOT NULL AND {voucher_scope}
    UNION ALL SELECT 'gl_voucher_line', line_id::text, _deleted_at FROM ods.gl_voucher_line l
              WHERE _deleted_at IS NOT NULL AND {line_scope}
    UNION ALL SELECT 'expense_claim', claim_id::text, _deleted_at FROM ods.expense_claim c
              WHERE _deleted_at IS NOT NULL AND {claim_scope}
    UNION ALL SELECT 'payment_order', payment_id::text, _deleted_at FROM ods.payment_order p
              WHERE _deleted_at IS NOT NULL AND {payment_scope}
    UNION ALL SELECT 'ar_invoice', invoice_id::text, _deleted_at FROM ods.ar_invoice i
              WHERE _deleted_at IS NOT NULL AND {invoice_scope}
    UNION ALL SELECT 'ar_receipt', receipt_id::text, _deleted_at FROM ods.ar_receipt r
              WHERE _deleted_at IS NOT NULL AND {receipt_scope}
    UNION ALL SELECT 'budget', budget_id::text, _deleted_at FROM ods.budget WHERE _deleted_at IS NOT NULL
    UNION ALL SELECT 'bank_transaction', txn_id::text, _deleted_at FROM ods.bank_transaction t
              WHERE _deleted_at IS NOT NULL AND {txn_scope}
),
customer_flags AS (
    SELECT c.customer_id, c.status,
           nullif(btrim(c.customer_name), '') IS NULL AS no_name,
           s.domain IS NULL AS bad_status
    FROM ods.customer c
    LEFT JOIN dwd.status_map s ON s.domain = 'customer' AND s.source_status = lower(btrim(c.status))
    WHERE c._deleted_at IS NULL
),
customer_checks AS (
    SELECT 'customer' AS source_table, f.customer_id::text AS source_key, v.*
    FROM customer_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'customer_name', f.no_name, 'customer_name is empty'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not a customer status in dwd.status_map')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_name OR f.bad_status) AND v.failed
),
bank_account_flags AS (
    SELECT b.bank_account_id, b.org_id, b.currency, b.status,
           nullif(btrim(b.org_id), '') IS NULL AS no_org,
           nullif(btrim(b.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           dwd.std_currency(b.currency) IS DISTINCT FROM 'CNY' AS bad_currency,
           s.domain IS NULL AS bad_status,
           -- a date no account can have (0001-01-01) would make every daily series from it explode
           b.opening_date NOT BETWEEN DATE '2000-01-01' AND %(business_date)s::date + 366 AS bad_opening_date,
           b.opening_date
    FROM ods.bank_account b
    LEFT JOIN dwd.status_map s ON s.domain = 'bank_account' AND s.source_status = lower(btrim(b.status))
    LEFT JOIN org o ON o.org_id = upper(btrim(b.org_id))
    WHERE b._deleted_at IS NULL
),
bank_account_checks AS (
    SELECT 'bank_account' AS source_table, f.bank_account_id::text AS source_key, v.*
    FROM bank_account_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not a bank_account status in dwd.status_map'),
        ('implausible_date', 'opening_date', f.bad_opening_date,
         'opening_date ' || quote_nullable(f.opening_date::text) || ' is outside 2000-01-01 … a year after the business date')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.unknown_org OR f.bad_currency OR f.bad_status OR f.bad_opening_date) AND v.failed
),
voucher AS (
    SELECT g.voucher_id, g.org_id, g.status, s.domain IS NULL AS bad_status,
           g.voucher_date <= %(business_date)s::date AND coalesce(s.in_facts, true) AS in_scope
    FROM ods.gl_voucher g
    LEFT JOIN dwd.status_map s ON s.domain = 'gl_voucher' AND s.source_status = lower(btrim(g.status))
    WHERE g._deleted_at IS NULL AND {voucher_scope}
),
line_flags AS (
    SELECT l.line_id, l.voucher_id, l.account_code, l.currency,
           h.voucher_id IS NULL AS orphan_voucher,
           nullif(btrim(l.account_code), '') IS NULL AS no_account,
           nullif(btrim(l.account_code), '') IS NOT NULL AND a.account_code IS NULL AS unknown_account,
           dwd.std_currency(l.currency) IS DISTINCT FROM 'CNY' AS bad_currency
    FROM ods.gl_voucher_line l
    LEFT JOIN voucher h ON h.voucher_id = l.voucher_id
    LEFT JOIN acct a ON a.account_code = btrim(l.account_code)
    WHERE l._deleted_at IS NULL AND {line_scope} AND (h.voucher_id IS NULL OR h.in_scope)
),
line_checks AS (
    SELECT 'gl_voucher_line' AS source_table, f.line_id::text AS source_key, f.voucher_id, v.*
    FROM line_flags f
    CROSS JOIN LATERAL (VALUES
        ('orphan_reference', 'voucher_id', f.orphan_voucher,
         'voucher_id ' || f.voucher_id || ' has no voucher in ods.gl_voucher'),
        ('null_required', 'account_code', f.no_account, 'account_code is empty'),
        ('unknown_account', 'account_code', f.unknown_account,
         'account_code ' || quote_nullable(f.account_code) || ' is not in ods.account'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY')
    ) v (rule, column_name, failed, reason)
    WHERE (f.orphan_voucher OR f.no_account OR f.unknown_account OR f.bad_currency) AND v.failed
),
voucher_flags AS (
    SELECT g.voucher_id, g.org_id, g.status, g.bad_status, t.debit, t.credit, r.lines,
           nullif(btrim(g.org_id), '') IS NULL AS no_org,
           nullif(btrim(g.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           coalesce(t.debit <> t.credit, false) AS unbalanced,
           r.lines IS NOT NULL AS has_rejected_line
    FROM (SELECT * FROM voucher WHERE in_scope) g
    LEFT JOIN org o ON o.org_id = upper(btrim(g.org_id))
    LEFT JOIN (SELECT l.voucher_id, sum(l.debit_amount) AS debit, sum(l.credit_amount) AS credit
               FROM ods.gl_voucher_line l WHERE l._deleted_at IS NULL AND {line_scope} GROUP BY l.voucher_id) t
           ON t.voucher_id = g.voucher_id
    LEFT JOIN (SELECT voucher_id, count(DISTINCT source_key) AS lines FROM line_checks GROUP BY voucher_id) r
           ON r.voucher_id = g.voucher_id
),
voucher_checks AS (
    SELECT 'gl_voucher' AS source_table, f.voucher_id::text AS source_key, v.*
    FROM voucher_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not a gl_voucher status in dwd.status_map'),
        ('unbalanced_voucher', 'debit_amount', f.unbalanced,
         'debits ' || f.debit || ' <> credits ' || f.credit || ' over the live lines'),
        ('rejected_line', 'line_id', f.has_rejected_line,
         f.lines || ' line(s) rejected, see source_table gl_voucher_line')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.unknown_org OR f.bad_status OR f.unbalanced OR f.has_rejected_line) AND v.failed
),
expense_claim_flags AS (
    SELECT c.claim_id, c.org_id, c.amount, c.currency, c.status,
           nullif(btrim(c.org_id), '') IS NULL AS no_org,
           c.amount IS NULL AS no_amount,
           nullif(btrim(c.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           coalesce(c.amount < 0, false) AS negative,
           dwd.std_currency(c.currency) IS DISTINCT FROM 'CNY' AS bad_currency,
           s.domain IS NULL AS bad_status
    FROM ods.expense_claim c
    LEFT JOIN dwd.status_map s ON s.domain = 'expense_claim' AND s.source_status = lower(btrim(c.status))
    LEFT JOIN org o ON o.org_id = upper(btrim(c.org_id))
    WHERE c._deleted_at IS NULL AND {claim_scope} AND c.claim_date <= %(business_date)s::date
      AND coalesce(s.in_facts, true)
),
expense_claim_checks AS (
    SELECT 'expense_claim' AS source_table, f.claim_id::text AS source_key, v.*
    FROM expense_claim_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('null_required', 'amount', f.no_amount, 'amount is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('negative_amount', 'amount', f.negative, 'amount ' || f.amount || ' is negative'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not an expense_claim status in dwd.status_map')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.no_amount OR f.unknown_org OR f.negative OR f.bad_currency OR f.bad_status) AND v.failed
),
payment_order_flags AS (
    SELECT p.payment_id, p.org_id, p.amount, p.currency, p.status,
           nullif(btrim(p.org_id), '') IS NULL AS no_org,
           p.amount IS NULL AS no_amount,
           nullif(btrim(p.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           coalesce(p.amount < 0, false) AS negative,
           dwd.std_currency(p.currency) IS DISTINCT FROM 'CNY' AS bad_currency,
           s.domain IS NULL AS bad_status
    FROM ods.payment_order p
    LEFT JOIN dwd.status_map s ON s.domain = 'payment_order' AND s.source_status = lower(btrim(p.status))
    LEFT JOIN org o ON o.org_id = upper(btrim(p.org_id))
    WHERE p._deleted_at IS NULL AND {payment_scope} AND coalesce(s.in_facts, true)
),
payment_order_checks AS (
    SELECT 'payment_order' AS source_table, f.payment_id::text AS source_key, v.*
    FROM payment_order_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('null_required', 'amount', f.no_amount, 'amount is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('negative_amount', 'amount', f.negative, 'amount ' || f.amount || ' is negative'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not a payment_order status in dwd.status_map')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.no_amount OR f.unknown_org OR f.negative OR f.bad_currency OR f.bad_status) AND v.failed
),
ar_invoice_flags AS (
    SELECT i.invoice_id, i.org_id, i.customer_id, i.amount, i.currency, i.status,
           nullif(btrim(i.org_id), '') IS NULL AS no_org,
           i.customer_id IS NULL AS no_customer,
           i.amount IS NULL AS no_amount,
           nullif(btrim(i.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           i.customer_id IS NOT NULL AND c.customer_id IS NULL AS orphan_customer,
           coalesce(i.amount < 0, false) AS negative,
           dwd.std_currency(i.currency) IS DISTINCT FROM 'CNY' AS bad_currency,
           s.domain IS NULL AS bad_status
    FROM ods.ar_invoice i
    LEFT JOIN dwd.status_map s ON s.domain = 'ar_invoice' AND s.source_status = lower(btrim(i.status))
    LEFT JOIN org o ON o.org_id = upper(btrim(i.org_id))
    LEFT JOIN (SELECT customer_id FROM ods.customer WHERE _deleted_at IS NULL) c ON c.customer_id = i.customer_id
    WHERE i._deleted_at IS NULL AND {invoice_scope} AND i.invoice_date <= %(business_date)s::date
      AND coalesce(s.in_facts, true)
),
ar_invoice_checks AS (
    SELECT 'ar_invoice' AS source_table, f.invoice_id::text AS source_key, v.*
    FROM ar_invoice_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('null_required', 'customer_id', f.no_customer, 'customer_id is empty'),
        ('null_required', 'amount', f.no_amount, 'amount is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('orphan_reference', 'customer_id', f.orphan_customer,
         'customer_id ' || f.customer_id || ' has no customer in ods.customer'),
        ('negative_amount', 'amount', f.negative, 'amount ' || f.amount || ' is negative'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY'),
        ('invalid_code', 'status', f.bad_status,
         'status ' || quote_nullable(f.status) || ' is not an ar_invoice status in dwd.status_map')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.no_customer OR f.no_amount OR f.unknown_org OR f.orphan_customer OR f.negative
           OR f.bad_currency OR f.bad_status) AND v.failed
),
ar_receipt_flags AS (
    SELECT r.receipt_id, r.invoice_id, r.amount, r.currency,
           r.invoice_id IS NULL AS no_invoice,
           r.amount IS NULL AS no_amount,
           r.invoice_id IS NOT NULL AND i.invoice_id IS NULL AS orphan_invoice,
           coalesce(r.amount < 0, false) AS negative,
           dwd.std_currency(r.currency) IS DISTINCT FROM 'CNY' AS bad_currency
    FROM ods.ar_receipt r
    LEFT JOIN (SELECT invoice_id FROM ods.ar_invoice WHERE _deleted_at IS NULL) i ON i.invoice_id = r.invoice_id
    WHERE r._deleted_at IS NULL AND {receipt_scope} AND r.receipt_date <= %(business_date)s::date
),
ar_receipt_checks AS (
    SELECT 'ar_receipt' AS source_table, f.receipt_id::text AS source_key, v.*
    FROM ar_receipt_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'invoice_id', f.no_invoice, 'invoice_id is empty'),
        ('null_required', 'amount', f.no_amount, 'amount is empty'),
        ('orphan_reference', 'invoice_id', f.orphan_invoice,
         'invoice_id ' || f.invoice_id || ' has no invoice in ods.ar_invoice'),
        ('negative_amount', 'amount', f.negative, 'amount ' || f.amount || ' is negative'),
        ('unknown_currency', 'currency', f.bad_currency,
         'currency ' || quote_nullable(f.currency) || ' is not the functional currency CNY')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_invoice OR f.no_amount OR f.orphan_invoice OR f.negative OR f.bad_currency) AND v.failed
),
budget_flags AS (
    SELECT b.budget_id, b.org_id, b.account_code, b.budget_amount,
           nullif(btrim(b.org_id), '') IS NULL AS no_org,
           nullif(btrim(b.account_code), '') IS NULL AS no_account,
           b.budget_amount IS NULL AS no_amount,
           nullif(btrim(b.org_id), '') IS NOT NULL AND o.org_id IS NULL AS unknown_org,
           nullif(btrim(b.account_code), '') IS NOT NULL AND a.account_code IS NULL AS unknown_account,
           coalesce(b.budget_amount < 0, false) AS negative
    FROM ods.budget b
    LEFT JOIN org o ON o.org_id = upper(btrim(b.org_id))
    LEFT JOIN acct a ON a.account_code = btrim(b.account_code)
    WHERE b._deleted_at IS NULL
),
budget_checks AS (
    SELECT 'budget' AS source_table, f.budget_id::text AS source_key, v.*
    FROM budget_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'org_id', f.no_org, 'org_id is empty'),
        ('null_required', 'account_code', f.no_account, 'account_code is empty'),
        ('null_required', 'budget_amount', f.no_amount, 'budget_amount is empty'),
        ('unknown_org', 'org_id', f.unknown_org, 'org_id ' || quote_nullable(f.org_id) || ' is not in ods.org_unit'),
        ('unknown_account', 'account_code', f.unknown_account,
         'account_code ' || quote_nullable(f.account_code) || ' is not in ods.account'),
        ('negative_amount', 'budget_amount', f.negative, 'budget_amount ' || f.budget_amount || ' is negative')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_org OR f.no_account OR f.no_amount OR f.unknown_org OR f.unknown_account OR f.negative)
      AND v.failed
),
bank_transaction_flags AS (
    SELECT t.txn_id, t.bank_account_id, t.amount, t.direction,
           t.bank_account_id IS NULL AS no_account,
           t.amount IS NULL AS no_amount,
           t.bank_account_id IS NOT NULL AND b.bank_account_id IS NULL AS orphan_account,
           coalesce(t.amount < 0, false) AS negative,
           lower(btrim(t.direction)) IS DISTINCT FROM 'in' AND lower(btrim(t.direction)) IS DISTINCT FROM 'out'
               AS bad_direction
    FROM ods.bank_transaction t
    LEFT JOIN (SELECT bank_account_id FROM ods.bank_account WHERE _deleted_at IS NULL) b
           ON b.bank_account_id = t.bank_account_id
    WHERE t._deleted_at IS NULL AND {txn_scope}
      AND (t.txn_time AT TIME ZONE 'Asia/Shanghai')::date <= %(business_date)s::date
),
bank_transaction_checks AS (
    SELECT 'bank_transaction' AS source_table, f.txn_id::text AS source_key, v.*
    FROM bank_transaction_flags f
    CROSS JOIN LATERAL (VALUES
        ('null_required', 'bank_account_id', f.no_account, 'bank_account_id is empty'),
        ('null_required', 'amount', f.no_amount, 'amount is empty'),
        ('orphan_reference', 'bank_account_id', f.orphan_account,
         'bank_account_id ' || f.bank_account_id || ' has no bank account in ods.bank_account'),
        ('negative_amount', 'amount', f.negative, 'amount ' || f.amount || ' is negative'),
        ('invalid_code', 'direction', f.bad_direction,
         'direction ' || quote_nullable(f.direction) || ' is not one of in, out')
    ) v (rule, column_name, failed, reason)
    WHERE (f.no_account OR f.no_amount OR f.orphan_account OR f.negative OR f.bad_direction) AND v.failed
),
failures AS (
    SELECT source_table, source_key, 'source_deleted' AS rule, '_deleted_at' AS column_name,
           'deleted at Level-1 (ods._deleted_at = ' || deleted_at || ')' AS reason
    FROM deleted
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM customer_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM bank_account_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM voucher_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM line_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM expense_claim_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM payment_order_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM ar_invoice_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM ar_receipt_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM budget_checks
    UNION ALL SELECT source_table, source_key, rule, column_name, reason FROM bank_transaction_checks
)
SELECT source_table, source_key, rule, column_name, reason,
       %(business_date)s::date AS business_date, %(run_id)s::text AS run_id, now() AS detected_at
FROM failures
WHERE {scope}
