-- Statements of smartops.aggregation.build and .plan: the model run log (ops.model_run) and the
-- deltas incremental builds leave for their readers (ops.model_delta).

-- name: insert_model_run
INSERT INTO ops.model_run (run_id, model, business_date, status, rows, started_at, finished_at, duration_s, error,
                           mode, reason, sql_hash)
VALUES (%(run_id)s, %(model)s, %(business_date)s, %(status)s, %(rows)s, %(started_at)s, now(), %(duration_s)s,
        %(error)s, %(mode)s, %(reason)s, %(sql_hash)s)
RETURNING model_run_id

-- name: previous_build
SELECT model_run_id, business_date, started_at, sql_hash, rows
FROM ops.model_run WHERE model = %(model)s AND status = 'success'
ORDER BY model_run_id DESC LIMIT 1

-- name: full_build_since
SELECT 1 FROM ops.model_run
WHERE model = %(model)s AND status = 'success' AND model_run_id > %(since_run)s AND mode IS DISTINCT FROM 'incremental'
LIMIT 1

-- name: save_delta
INSERT INTO ops.model_delta (model_run_id, model, row_data)
SELECT %(model_run_id)s, %(model)s, row_data FROM pg_temp.model_changes

