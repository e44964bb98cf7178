-- dwd.ar_receipt: customer receipts (收款) applied to invoices.
-- Cleaning rules: receipts dated after the business date left out; rows in dwd.reject (empty
-- invoice or amount, invoice missing, negative amount, non-CNY currency, deleted) left out;
-- currency via dwd.std_currency; org_id btrim + upper-case.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT r.receipt_id, btrim(r.receipt_no) AS receipt_no, r.invoice_id, upper(btrim(r.org_id)) AS org_id,
       r.customer_id, r.receipt_date, r.amount, dwd.std_currency(r.currency) AS currency, r.bank_account_id
FROM ods.ar_receipt r
WHERE {scope} AND r._deleted_at IS NULL AND r.receipt_date <= %(business_date)s::date
  AND NOT EXISTS (SELECT 1 FROM dwd.reject j
                  WHERE j.source_table = 'ar_receipt' AND j.source_key = r.receipt_id::text)
