-- Statements of smartops.quality.scope and .changes: which rows a table's scan reads.

-- name: last_scan
-- The table's latest scan and the business date of its latest whole-table scan, with the scans since.
WITH latest_table AS (
    SELECT max(scanned_at) AS at, max(business_date) AS business_date FROM ops.quality_scan_scope
    WHERE table_name = %(table)s AND scope = 'table'
)
SELECT s.scan_id::text, s.build_id, s.check_file_hash, latest_table.business_date,
       (SELECT count(*) FROM ops.quality_scan_scope c WHERE c.table_name = %(table)s AND c.scanned_at > latest_table.at)
FROM latest_table
LEFT JOIN LATERAL (SELECT * FROM ops.quality_scan_scope WHERE table_name = %(table)s
                   ORDER BY scanned_at DESC LIMIT 1) s ON true

-- name: scan_results
-- The Soda results one scan stored for one table (its verdict, check by check).
SELECT check_name, outcome, measured_value FROM ops.quality_result
WHERE scan_id = %(scan_id)s::uuid AND table_name = %(table)s AND source = 'soda'

-- name: load_time
-- When a committed load (sync:<ledger_id>) wrote its rows: its transaction's now(), which is their _loaded_at.
SELECT finished_at FROM ops.sync_ledger WHERE ledger_id = %(ledger_id)s

-- name: builds_between
-- The successful builds of a model after one build up to another, and how many of them were not incremental.
SELECT count(*), count(*) FILTER (WHERE mode IS DISTINCT FROM 'incremental')
FROM ops.model_run
WHERE model = %(model)s AND status = 'success' AND model_run_id > %(base)s AND model_run_id <= %(current)s

-- name: insert_scope
INSERT INTO ops.quality_scan_scope (scan_id, table_name, business_date, build_id, scope, base_build_id,
                                    rows_checked, check_file_hash, reason)
VALUES (%(scan_id)s, %(table)s, %(business_date)s, %(build_id)s, %(scope)s, %(base_build_id)s, %(rows_checked)s,
        %(check_file_hash)s, %(reason)s)

-- name: column_types
-- The columns of a table with their exact types (the changed keys are cast to them).
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
WHERE a.attrelid = %(table)s::regclass AND a.attnum > 0 AND NOT a.attisdropped
