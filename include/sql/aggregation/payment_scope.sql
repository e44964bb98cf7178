-- dwd.payment incremental scope: the payment orders to recompute since the last build — loaded or
-- soft-deleted in ods since, and those whose dwd.reject rows the reject builds since removed or
-- wrote (payments are not date-limited).
-- name: keys
SELECT payment_id FROM ods.payment_order WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
UNION SELECT (row_data ->> 'source_key')::bigint FROM ops.model_delta
WHERE model = 'dwd.reject' AND model_run_id > %(since_run)s AND row_data ->> 'source_table' = 'payment_order'
