-- dws.expense_monthly incremental scope: the (org, department, category, month) groups of the claims
-- the dwd.expense_claim builds since this model's last build removed or wrote (ops.model_delta).
-- name: keys
SELECT DISTINCT row_data ->> 'org_id' AS org_id, row_data ->> 'department' AS department,
       row_data ->> 'category' AS category, row_data ->> 'month' AS month
FROM ops.model_delta
WHERE model = 'dwd.expense_claim' AND model_run_id > %(since_run)s
