-- The day simulator's reads of Level-1 (smartops.demo.day). Candidates are always ordered by key,
-- so a simulated day is deterministic for (database state, day, seed).

-- ---------------------------------------------------------------- state of the day

-- name: active_orgs
SELECT org_id, org_name, org_level FROM l1.org_unit WHERE status = 'active' ORDER BY org_id

-- name: staff
SELECT DISTINCT org_id, department, employee_name FROM l1.expense_claim
WHERE org_id IS NOT NULL AND department IS NOT NULL AND employee_name IS NOT NULL
ORDER BY 1, 2, 3

-- name: bank_accounts
SELECT bank_account_id, org_id, bank_name, balance_floor, opening_balance, status
FROM l1.bank_account ORDER BY bank_account_id

-- name: period_closes
-- Each period and whether it was ever closed (a reopened one was): ordinary work leaves those alone.
SELECT p.period, EXISTS (SELECT 1 FROM l1.accounting_period_log g WHERE g.period = p.period AND g.action = 'close')
FROM l1.accounting_period p ORDER BY p.period

-- name: voucher_numbers
SELECT org_id, max(voucher_no) FROM l1.gl_voucher
WHERE period = %(period)s AND org_id IS NOT NULL GROUP BY org_id ORDER BY org_id

-- ---------------------------------------------------------------- hard deletes

-- name: deletable_claims
-- Submitted claims are withdrawn by deleting them (never the newest row of the table); with what a
-- clean one is submitted again with.
SELECT claim_id, org_id, department, employee_name, category, amount, currency FROM l1.expense_claim
WHERE status = 'submitted' AND claim_id < (SELECT max(claim_id) FROM l1.expense_claim) ORDER BY claim_id

-- name: deletable_payment_orders
-- Pending orders are cancelled by deleting them; with what a clean one is raised again with.
SELECT payment_id, org_id, payee_name, amount, currency, pay_date, source_doc_type, source_doc_id
FROM l1.payment_order WHERE status = 'pending'
AND payment_id < (SELECT max(payment_id) FROM l1.payment_order) ORDER BY payment_id

-- name: deletable_drafts
-- Drafts of writable periods only (a closed period's vouchers never change).
SELECT v.voucher_id FROM l1.gl_voucher v WHERE v.status = 'draft' AND v.period = ANY(%(writable)s)
AND v.voucher_id < (SELECT max(voucher_id) FROM l1.gl_voucher)
AND NOT EXISTS (SELECT 1 FROM l1.gl_voucher_line l WHERE l.voucher_id = v.voucher_id
                AND l.line_id = (SELECT max(line_id) FROM l1.gl_voucher_line))
ORDER BY v.voucher_id

-- name: voucher_lines_of
SELECT line_id FROM l1.gl_voucher_line WHERE voucher_id = ANY(%(vouchers)s) ORDER BY line_id

-- name: voucher_header
SELECT org_id, period, voucher_no, source_type, source_doc_id FROM l1.gl_voucher WHERE voucher_id = %(voucher)s

-- name: voucher_lines_detail
SELECT account_code, debit_amount, credit_amount, summary FROM l1.gl_voucher_line
WHERE voucher_id = %(voucher)s ORDER BY line_no, line_id

-- name: rekey_candidates
-- Recent receipts whose vouchers all lie in writable periods (re-keying re-points their vouchers).
SELECT r.receipt_id FROM l1.ar_receipt r WHERE r.receipt_date >= %(since)s AND r.org_id IS NOT NULL
AND EXISTS (SELECT 1 FROM l1.ar_invoice i WHERE i.invoice_id = r.invoice_id)
AND NOT EXISTS (SELECT 1 FROM l1.gl_voucher v WHERE v.source_type = 'ar_receipt' AND v.source_doc_id = r.receipt_id
                AND v.status <> 'voided' AND NOT (v.period = ANY(%(writable)s)))
ORDER BY r.receipt_id

-- name: receipts_to_rekey
SELECT r.receipt_id, r.invoice_id, r.org_id, r.customer_id, r.receipt_date, r.amount, r.bank_account_id
FROM l1.ar_receipt r WHERE r.receipt_id = ANY(%(receipts)s) ORDER BY r.receipt_id

-- name: receipt_vouchers
SELECT source_doc_id, voucher_id FROM l1.gl_voucher WHERE source_type = 'ar_receipt'
AND source_doc_id = ANY(%(receipts)s) AND status <> 'voided' ORDER BY voucher_id

-- name: receipt_transactions
SELECT ref_doc_id, txn_id FROM l1.bank_transaction WHERE ref_doc_type = 'ar_receipt'
AND ref_doc_id = ANY(%(receipts)s) ORDER BY txn_id

-- ---------------------------------------------------------------- master data

-- name: expired_contracts
SELECT contract_id, org_id, customer_id, contract_type, amount FROM l1.contract
WHERE status = 'active' AND end_date < %(day)s ORDER BY contract_id

-- name: active_customers
SELECT customer_id, credit_limit FROM l1.customer
WHERE status = 'active' AND customer_name IS NOT NULL ORDER BY customer_id

-- name: budget_rows_of_year
SELECT count(*) FROM l1.budget WHERE period LIKE %(pattern)s

-- name: latest_budgets_of_year
SELECT DISTINCT ON (org_id, department, account_code, period)
       org_id, department, account_code, period, budget_amount
FROM l1.budget WHERE period LIKE %(pattern)s AND org_id IS NOT NULL
ORDER BY org_id, department, account_code, period, version DESC

-- ---------------------------------------------------------------- claims and payments

-- name: voidable_invoices
-- Unpaid invoices, with what one voided in its own period is issued again with.
SELECT i.invoice_id, i.invoice_date, i.org_id, i.customer_id, i.contract_id, i.amount, i.tax_amount,
       i.due_date - i.invoice_date, c.customer_name
FROM l1.ar_invoice i LEFT JOIN l1.customer c ON c.customer_id = i.customer_id
WHERE i.status = 'issued' AND i.invoice_date < %(day)s AND i.org_id IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM l1.ar_receipt r WHERE r.invoice_id = i.invoice_id)
ORDER BY i.invoice_id

-- name: invoice_vouchers
SELECT source_doc_id, voucher_id FROM l1.gl_voucher WHERE source_type = 'ar_invoice'
AND source_doc_id = ANY(%(invoices)s) AND status <> 'voided' ORDER BY voucher_id

-- name: voidable_claims
SELECT claim_id, status FROM l1.expense_claim WHERE status IN ('submitted', 'approved')
AND claim_date < %(day)s ORDER BY claim_id

-- name: pending_claim_payments
SELECT source_doc_id, payment_id FROM l1.payment_order
WHERE source_doc_type = 'expense_claim' AND source_doc_id = ANY(%(claims)s) AND status = 'pending'
ORDER BY payment_id

-- name: approved_claims_without_order
-- Orders that were deleted or failed are raised again.
SELECT c.claim_id, c.org_id, c.employee_name, c.amount FROM l1.expense_claim c
WHERE c.status = 'approved' AND c.org_id IS NOT NULL AND c.amount > 0 AND c.currency = 'CNY'
AND NOT EXISTS (SELECT 1 FROM l1.payment_order p WHERE p.source_doc_type = 'expense_claim'
                AND p.source_doc_id = c.claim_id AND p.status IN ('pending', 'paid'))
ORDER BY c.claim_id

-- name: submitted_claims
SELECT claim_id, org_id, employee_name, amount FROM l1.expense_claim WHERE status = 'submitted'
AND claim_date < %(day)s AND org_id IS NOT NULL AND amount > 0 AND currency = 'CNY'
ORDER BY claim_id

-- name: due_payment_orders
-- Orders due by today, plus the most urgent claim payment every day.
SELECT p.payment_id, p.org_id, p.bank_account_id, p.payee_name, p.amount, p.source_doc_type,
       p.source_doc_id, c.status, c.category, c.amount, c.employee_name
FROM l1.payment_order p LEFT JOIN l1.expense_claim c
     ON p.source_doc_type = 'expense_claim' AND c.claim_id = p.source_doc_id
WHERE p.status = 'pending' AND p.amount > 0 AND p.org_id IS NOT NULL AND p.currency = 'CNY'
AND (p.pay_date <= %(day)s OR p.payment_id = (
    SELECT q.payment_id FROM l1.payment_order q JOIN l1.expense_claim e
           ON e.claim_id = q.source_doc_id AND e.status = 'approved'
    WHERE q.status = 'pending' AND q.source_doc_type = 'expense_claim' AND q.amount > 0
    AND q.currency = 'CNY' AND q.org_id IS NOT NULL ORDER BY q.pay_date, q.payment_id LIMIT 1))
ORDER BY p.payment_id

-- ---------------------------------------------------------------- receivables and payables

-- name: invoiceable_contracts
-- Active sales and service contracts of active customers, with the customer's payment terms.
SELECT k.contract_id, k.org_id, k.customer_id, k.contract_type, k.amount, c.customer_name, t.terms
FROM l1.contract k JOIN l1.customer c ON c.customer_id = k.customer_id
LEFT JOIN (SELECT DISTINCT ON (customer_id) customer_id, due_date - invoice_date AS terms
           FROM l1.ar_invoice ORDER BY customer_id, invoice_id DESC) t ON t.customer_id = k.customer_id
WHERE k.status = 'active' AND k.contract_type IN ('sales', 'service') AND k.start_date <= %(day)s
AND k.end_date >= %(day)s AND c.status = 'active' AND c.customer_name IS NOT NULL
AND k.org_id = ANY(%(orgs)s) ORDER BY k.contract_id

-- name: open_invoices
SELECT i.invoice_id, i.invoice_no, i.org_id, i.customer_id, i.amount + i.tax_amount, i.due_date,
       c.customer_name, coalesce(r.paid, 0)
FROM l1.ar_invoice i JOIN l1.customer c ON c.customer_id = i.customer_id
LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM l1.ar_receipt GROUP BY invoice_id) r
     ON r.invoice_id = i.invoice_id
WHERE i.status IN ('issued', 'partially_paid') AND i.invoice_date < %(day)s AND i.org_id = ANY(%(orgs)s)
AND i.updated_at < %(start)s ORDER BY i.invoice_id

-- name: purchase_contracts
SELECT contract_id, org_id, amount FROM l1.contract WHERE status = 'active'
AND contract_type = 'purchase' AND start_date <= %(day)s AND end_date >= %(day)s AND org_id = ANY(%(orgs)s)
ORDER BY contract_id

-- name: purchase_contracts_of
SELECT contract_id, org_id FROM l1.contract WHERE contract_type = 'purchase' AND org_id = ANY(%(orgs)s)
ORDER BY contract_id

-- name: deliveries_awaiting_order
-- Goods received (Dr 1405 / Cr 2202 '应付{supplier}货款') without a payment order to the supplier for
-- the amount yet: (voucher, org, day received, amount, supplier).
WITH delivery AS (
    SELECT v.voucher_id, v.org_id, v.voucher_date, l.credit_amount AS amount,
           substring(l.summary FROM '^应付(.+)货款$') AS supplier
    FROM l1.gl_voucher v JOIN l1.gl_voucher_line l ON l.voucher_id = v.voucher_id
    WHERE v.source_type = 'manual' AND v.status = 'posted' AND v.voucher_date >= %(since)s
    AND v.voucher_date < %(day)s AND l.account_code = '2202' AND l.credit_amount > 0 AND l.summary LIKE '应付%%货款')
SELECT k.voucher_id, k.org_id, k.voucher_date, k.amount, k.supplier FROM delivery k
WHERE NOT EXISTS (SELECT 1 FROM l1.payment_order p WHERE p.source_doc_type = 'contract' AND p.org_id = k.org_id
                  AND p.payee_name = k.supplier AND p.amount = k.amount)
ORDER BY k.voucher_id

-- ---------------------------------------------------------------- ledger

-- name: old_drafts
SELECT voucher_id FROM l1.gl_voucher WHERE status = 'draft' AND updated_at < %(start)s
AND period = ANY(%(writable)s) ORDER BY voucher_id

-- name: posted_reclassifications
WITH reclass AS MATERIALIZED (
    SELECT DISTINCT voucher_id FROM l1.gl_voucher_line WHERE summary = '费用重分类')
SELECT v.voucher_id FROM l1.gl_voucher v JOIN reclass r ON r.voucher_id = v.voucher_id
WHERE v.status = 'posted' AND v.source_type = 'manual' AND v.period = ANY(%(writable)s)
AND v.updated_at < %(start)s ORDER BY v.voucher_id

-- name: payroll_accruals
SELECT v.org_id, l.credit_amount, l.summary FROM l1.gl_voucher v
JOIN l1.gl_voucher_line l ON l.voucher_id = v.voucher_id
WHERE v.period = %(period)s AND v.status = 'posted' AND v.source_type = 'manual'
AND l.account_code = '2211' AND l.credit_amount > 0 AND l.summary LIKE '计提%%工资%%'
ORDER BY v.voucher_id

-- name: account_balances
-- Per active account: the balance at the start of the day, and today's inflow and outflow so far.
SELECT b.bank_account_id,
       b.opening_balance + coalesce(sum(CASE WHEN t.txn_time >= %(start)s THEN 0
                                             WHEN t.direction = 'in' THEN t.amount ELSE -t.amount END), 0),
       coalesce(sum(t.amount) FILTER (WHERE t.txn_time >= %(start)s AND t.direction = 'in'), 0),
       coalesce(sum(t.amount) FILTER (WHERE t.txn_time >= %(start)s AND t.direction = 'out'), 0)
FROM l1.bank_account b
LEFT JOIN l1.bank_transaction t ON t.bank_account_id = b.bank_account_id AND t.txn_time < %(end)s
WHERE b.status = 'active' GROUP BY b.bank_account_id ORDER BY b.bank_account_id

-- ---------------------------------------------------------------- dirty rows and late updates

-- name: first_customer_of_org
SELECT customer_id FROM l1.customer WHERE org_id = %(org)s ORDER BY customer_id LIMIT 1

-- name: late_gl_voucher_line
-- Lines of posted vouchers of writable periods (a closed period's lines are never corrected in place).
SELECT line_id FROM l1.gl_voucher_line t WHERE line_id = ANY(%(probes)s)
AND summary IS NOT NULL AND updated_at < %(before)s AND NOT (line_id = ANY(%(touched)s))
AND EXISTS (SELECT 1 FROM l1.gl_voucher v WHERE v.voucher_id = t.voucher_id AND v.status = 'posted'
            AND v.period = ANY(%(writable)s))
ORDER BY line_id

-- name: first_writable_line
-- Where lines of writable periods begin: ids follow posting, so they lie from here on (probed from here).
SELECT min(line_id) FROM l1.gl_voucher_line
WHERE voucher_id >= (SELECT min(voucher_id) FROM l1.gl_voucher WHERE period = ANY(%(writable)s))

-- name: late_expense_claim
SELECT claim_id FROM l1.expense_claim WHERE claim_id = ANY(%(probes)s)
AND org_id IS NOT NULL AND department IS NOT NULL AND amount > 0 AND currency = 'CNY'
AND updated_at < %(before)s AND NOT (claim_id = ANY(%(touched)s))
ORDER BY claim_id

-- name: late_ar_invoice
SELECT invoice_id FROM l1.ar_invoice WHERE invoice_id = ANY(%(probes)s)
AND status IN ('issued', 'partially_paid') AND updated_at < %(before)s AND NOT (invoice_id = ANY(%(touched)s))
ORDER BY invoice_id

-- name: line_summary
SELECT summary FROM l1.gl_voucher_line WHERE line_id = %(key)s

-- name: claim_department
SELECT org_id, department FROM l1.expense_claim WHERE claim_id = %(key)s

-- name: invoice_due_date
SELECT due_date FROM l1.ar_invoice WHERE invoice_id = %(key)s

-- ---------------------------------------------------------------- accounting periods

-- name: periods
SELECT period, status, closed_at, reopen_count, updated_at FROM l1.accounting_period ORDER BY period
