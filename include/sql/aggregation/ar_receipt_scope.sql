-- dwd.ar_receipt incremental scope: the receipts to recompute since the last build — loaded or
-- soft-deleted in ods since, dated into the date window (previous, business], and those whose
-- dwd.reject rows the reject builds since removed or wrote (an invoice arriving or going away).
-- name: keys
SELECT receipt_id FROM ods.ar_receipt WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
UNION SELECT receipt_id FROM ods.ar_receipt
WHERE receipt_date > %(previous_date)s::date AND receipt_date <= %(business_date)s::date
UNION SELECT (row_data ->> 'source_key')::bigint FROM ops.model_delta
WHERE model = 'dwd.reject' AND model_run_id > %(since_run)s AND row_data ->> 'source_table' = 'ar_receipt'
