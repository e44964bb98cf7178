-- Statements of smartops.aggregation.build and .plan: the model run log (ops.model_run) and the
-- deltas incremental builds leave for their readers (ops.model_delta).

-- name: insert_model_run
INSERT INTO ops.model_run (run_id, model, business_date, status, rows, started_at, finished_at, duration_s, error,
                           mode, reason, sql_hash, master_hash)
VALUES (%(run_id)s, %(model)s, %(business_date)s, %(status)s, %(rows)s, %(started_at)s, now(), %(duration_s)s,
        %(error)s, %(mode)s, %(reason)s, %(sql_hash)s, %(master_hash)s)
RETURNING model_run_id

-- name: previous_build
SELECT model_run_id, business_date, started_at, sql_hash, master_hash, rows
FROM ops.model_run WHERE model = %(model)s AND status = 'success'
ORDER BY model_run_id DESC LIMIT 1

-- name: table_exists
SELECT to_regclass(%(name)s) IS NOT NULL

-- name: full_build_since
SELECT 1 FROM ops.model_run
WHERE model = %(model)s AND status = 'success' AND model_run_id > %(since_run)s AND mode IS DISTINCT FROM 'incremental'
LIMIT 1

-- name: save_delta
INSERT INTO ops.model_delta (model_run_id, model, row_data)
SELECT %(model_run_id)s, %(model)s, row_data FROM pg_temp.model_changes

-- name: master_hash
-- The live rows of one master-data table, without the load metadata, as one md5.
SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))
FROM (SELECT to_jsonb(t) - '_loaded_at' - '_run_id' - '_deleted_at' AS r FROM {table} t WHERE t._deleted_at IS NULL) s

-- name: prune_delta
-- A model's deltas every incremental reader has built past: a reader reads only deltas newer than
-- its last build (or rebuilds in full). Nothing goes while a reader has never built.
DELETE FROM ops.model_delta d
WHERE d.model = %(model)s AND d.model_run_id <= (
    SELECT min(last_id) FROM (SELECT max(model_run_id) AS last_id FROM ops.model_run
                              WHERE status = 'success' AND model = ANY(%(readers)s) GROUP BY model) r
    HAVING count(*) = cardinality(%(readers)s::text[]))
