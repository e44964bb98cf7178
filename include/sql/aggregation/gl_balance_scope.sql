-- dws.gl_balance incremental scope: the (org, account, period) groups whose voucher lines the
-- dwd.voucher_line builds since this model's last build removed or wrote (ops.model_delta).
-- name: keys
SELECT DISTINCT row_data ->> 'org_id' AS org_id, row_data ->> 'account_code' AS account_code,
       row_data ->> 'period' AS period
FROM ops.model_delta
WHERE model = 'dwd.voucher_line' AND model_run_id > %(since_run)s
