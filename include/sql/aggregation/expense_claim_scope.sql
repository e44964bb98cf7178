-- dwd.expense_claim incremental scope: the claims to recompute since the last build — loaded or
-- soft-deleted in ods since (the change-column indexes), dated into the date window (previous,
-- business], and those whose dwd.reject rows the reject builds since removed or wrote.
-- name: keys
SELECT claim_id FROM ods.expense_claim WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
UNION SELECT claim_id FROM ods.expense_claim
WHERE claim_date > %(previous_date)s::date AND claim_date <= %(business_date)s::date
UNION SELECT (row_data ->> 'source_key')::bigint FROM ops.model_delta
WHERE model = 'dwd.reject' AND model_run_id > %(since_run)s AND row_data ->> 'source_table' = 'expense_claim'
