-- Parts shared by the incremental scope queries (include/sql/aggregation/*_scope.sql), which use
-- them as placeholders of the same name.

-- name: changed_vouchers
-- CTEs changed_line (ods lines loaded or soft-deleted since the last build) and voucher (the
-- vouchers to recompute whole: changed or soft-deleted since the last build, vouchers of changed
-- lines, new and published, and vouchers that entered the date window (previous, business]).
changed_line AS (
    SELECT line_id, voucher_id FROM ods.gl_voucher_line
    WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
),
voucher AS (
    SELECT voucher_id FROM ods.gl_voucher
    WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
       OR (voucher_date > %(previous_date)s::date AND voucher_date <= %(business_date)s::date)
    UNION SELECT voucher_id FROM changed_line
    UNION SELECT d.voucher_id FROM dwd.voucher_line d JOIN changed_line c ON c.line_id = d.line_id
)

-- name: changed_documents
-- CTEs changed_claim, changed_payment, changed_invoice, changed_receipt and changed_txn: the documents
-- whose dwd.reject rows can have changed since the last build — loaded or soft-deleted since (the
-- ods change-column indexes find them), dated into the date window (previous, business] (those
-- dated later are not checked yet), and those whose orphan_reference verdict can have changed: the
-- documents referring to a customer, invoice or bank account soft-deleted since, and those rejected
-- as orphans now (their parent may have arrived). Each arm is its own SELECT, so the indexed ones
-- stay index scans.
orphan AS (
    SELECT source_table, source_key::bigint AS source_key FROM dwd.reject WHERE rule = 'orphan_reference'
),
changed_claim AS (
    SELECT claim_id FROM ods.expense_claim WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
    UNION SELECT claim_id FROM ods.expense_claim
    WHERE claim_date > %(previous_date)s::date AND claim_date <= %(business_date)s::date
),
changed_payment AS (
    SELECT payment_id FROM ods.payment_order WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
),
changed_invoice AS (
    SELECT invoice_id FROM ods.ar_invoice WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
    UNION SELECT invoice_id FROM ods.ar_invoice
    WHERE invoice_date > %(previous_date)s::date AND invoice_date <= %(business_date)s::date
    UNION SELECT i.invoice_id FROM ods.ar_invoice i
    JOIN ods.customer c ON c.customer_id = i.customer_id AND c._deleted_at > %(since)s
    UNION SELECT source_key FROM orphan WHERE source_table = 'ar_invoice'
),
changed_receipt AS (
    SELECT receipt_id FROM ods.ar_receipt WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
    UNION SELECT receipt_id FROM ods.ar_receipt
    WHERE receipt_date > %(previous_date)s::date AND receipt_date <= %(business_date)s::date
    UNION SELECT r.receipt_id FROM ods.ar_receipt r
    JOIN ods.ar_invoice i ON i.invoice_id = r.invoice_id AND i._deleted_at > %(since)s
    UNION SELECT source_key FROM orphan WHERE source_table = 'ar_receipt'
),
changed_txn AS (
    SELECT txn_id FROM ods.bank_transaction WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
    UNION SELECT txn_id FROM ods.bank_transaction
    WHERE (txn_time AT TIME ZONE 'Asia/Shanghai')::date > %(previous_date)s::date
      AND (txn_time AT TIME ZONE 'Asia/Shanghai')::date <= %(business_date)s::date
    UNION SELECT t.txn_id FROM ods.bank_transaction t
    JOIN ods.bank_account b ON b.bank_account_id = t.bank_account_id AND b._deleted_at > %(since)s
    UNION SELECT source_key FROM orphan WHERE source_table = 'bank_transaction'
)
