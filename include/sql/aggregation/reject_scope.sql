-- dwd.reject incremental scope: the ledger and the document tables are narrowed to what changed; the
-- master and plan data (org_unit, account, customer, bank_account, budget) are small and re-checked
-- whole every run.

-- name: keys
-- The (source_table, source_key) pairs to re-check: the vouchers dwd.voucher_line recomputes (see
-- scope_parts.sql changed_vouchers) with all their lines; the documents scope_parts.sql
-- changed_documents names (changed, soft-deleted, entered the date window, or whose referenced
-- customer, invoice or bank account changed); every key of the master and plan data.
WITH {changed_vouchers}, {changed_documents}
SELECT 'gl_voucher' AS source_table, voucher_id::text AS source_key FROM voucher
UNION SELECT 'gl_voucher_line', line_id::text FROM changed_line
UNION SELECT 'gl_voucher_line', l.line_id::text FROM ods.gl_voucher_line l JOIN voucher v ON v.voucher_id = l.voucher_id
UNION SELECT 'expense_claim', claim_id::text FROM changed_claim
UNION SELECT 'payment_order', payment_id::text FROM changed_payment
UNION SELECT 'ar_invoice', invoice_id::text FROM changed_invoice
UNION SELECT 'ar_receipt', receipt_id::text FROM changed_receipt
UNION SELECT 'bank_transaction', txn_id::text FROM changed_txn
UNION ALL SELECT 'org_unit', org_id FROM ods.org_unit
UNION ALL SELECT 'account', account_code FROM ods.account
UNION ALL SELECT 'customer', customer_id::text FROM ods.customer
UNION ALL SELECT 'bank_account', bank_account_id::text FROM ods.bank_account
UNION ALL SELECT 'budget', budget_id::text FROM ods.budget

-- name: voucher_scope
-- Reads of ods.gl_voucher (alias g) narrowed to the scope's vouchers.
g.voucher_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'gl_voucher')

-- name: line_scope
-- Reads of ods.gl_voucher_line (alias l) narrowed to the scope's lines (all lines of its vouchers).
l.line_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'gl_voucher_line')

-- name: claim_scope
-- Reads of ods.expense_claim (alias c) narrowed to the scope's claims.
c.claim_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'expense_claim')

-- name: payment_scope
-- Reads of ods.payment_order (alias p) narrowed to the scope's payment orders.
p.payment_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'payment_order')

-- name: invoice_scope
-- Reads of ods.ar_invoice (alias i) narrowed to the scope's invoices.
i.invoice_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'ar_invoice')

-- name: receipt_scope
-- Reads of ods.ar_receipt (alias r) narrowed to the scope's receipts.
r.receipt_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'ar_receipt')

-- name: txn_scope
-- Reads of ods.bank_transaction (alias t) narrowed to the scope's transactions.
t.txn_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'bank_transaction')
