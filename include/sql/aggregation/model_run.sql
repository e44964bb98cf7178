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
-- A model's deltas every incremental reader has built past and, for a scanned model, that its latest
-- quality scan has checked: a reader reads only deltas newer than its last build (or rebuilds in
-- full), a scan only those after the build the latest scan checked (or reads the whole table: the
-- first scan does). Nothing goes while a reader has never built.
DELETE FROM ops.model_delta d
WHERE d.model = %(model)s
  AND d.model_run_id <= (
    SELECT coalesce(min(last_id), 9223372036854775807) FROM (
        SELECT max(model_run_id) AS last_id FROM ops.model_run
        WHERE status = 'success' AND model = ANY(%(readers)s) GROUP BY model) r
    HAVING count(*) = cardinality(%(readers)s::text[]))
  AND (NOT %(scanned)s OR d.model_run_id <= coalesce((
    SELECT split_part(s.build_id, ':', 2)::bigint FROM ops.quality_scan_scope s
    WHERE s.table_name = %(model)s AND s.build_id LIKE 'model_run:%%'
    ORDER BY s.scanned_at DESC LIMIT 1), 9223372036854775807))
