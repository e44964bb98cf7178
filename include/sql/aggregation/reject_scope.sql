-- dwd.reject incremental scope: only the ledger checks (the big tables) are narrowed; every other
-- source table is small and re-checked whole every run.

-- name: keys
-- The (source_table, source_key) pairs to re-check: the vouchers dwd.voucher_line recomputes (see
-- scope_parts.sql changed_vouchers) with all their lines, and every key of the other tables.
WITH {changed_vouchers}
SELECT 'gl_voucher' AS source_table, voucher_id::text AS source_key FROM voucher
UNION SELECT 'gl_voucher_line', line_id::text FROM changed_line
UNION SELECT 'gl_voucher_line', l.line_id::text FROM ods.gl_voucher_line l JOIN voucher v ON v.voucher_id = l.voucher_id
UNION ALL SELECT 'org_unit', org_id FROM ods.org_unit
UNION ALL SELECT 'account', account_code FROM ods.account
UNION ALL SELECT 'customer', customer_id::text FROM ods.customer
UNION ALL SELECT 'bank_account', bank_account_id::text FROM ods.bank_account
UNION ALL SELECT 'expense_claim', claim_id::text FROM ods.expense_claim
UNION ALL SELECT 'payment_order', payment_id::text FROM ods.payment_order
UNION ALL SELECT 'ar_invoice', invoice_id::text FROM ods.ar_invoice
UNION ALL SELECT 'ar_receipt', receipt_id::text FROM ods.ar_receipt
UNION ALL SELECT 'budget', budget_id::text FROM ods.budget
UNION ALL SELECT 'bank_transaction', txn_id::text FROM ods.bank_transaction

-- name: voucher_scope
-- Reads of ods.gl_voucher (alias g) narrowed to the scope's vouchers.
g.voucher_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'gl_voucher')

-- name: line_scope
-- Reads of ods.gl_voucher_line (alias l) narrowed to the scope's lines (all lines of its vouchers).
l.line_id IN (SELECT source_key::bigint FROM pg_temp.model_scope WHERE source_table = 'gl_voucher_line')
