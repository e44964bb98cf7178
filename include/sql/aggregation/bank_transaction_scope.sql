-- dwd.bank_transaction incremental scope: the transactions to recompute since the last build —
-- loaded or soft-deleted in ods since, on a Shanghai day in the date window (previous, business],
-- and those whose dwd.reject rows the reject builds since removed or wrote. A change of the bank
-- accounts (org_id fallback) rebuilds in full (full_when_changed).
-- name: keys
SELECT txn_id FROM ods.bank_transaction WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
UNION SELECT txn_id FROM ods.bank_transaction
WHERE (txn_time AT TIME ZONE 'Asia/Shanghai')::date > %(previous_date)s::date
  AND (txn_time AT TIME ZONE 'Asia/Shanghai')::date <= %(business_date)s::date
UNION SELECT (row_data ->> 'source_key')::bigint FROM ops.model_delta
WHERE model = 'dwd.reject' AND model_run_id > %(since_run)s AND row_data ->> 'source_table' = 'bank_transaction'
