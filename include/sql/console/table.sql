-- The console's Table page: one inventory table's history in the ops record.
-- %(table)s is the inventory name (ops tables key syncs by it); %(qualified)s is ods.<name>.

-- name: state
SELECT watermark, cursor_column, last_run_id, last_status, last_success_at, updated_at
FROM ops.table_state WHERE table_name = %(table)s

-- name: ledger
SELECT run_id, business_date, mode, status, window_start, window_end, watermark_before, watermark_after,
       rows_read, rows_inserted, rows_updated, rows_deleted, started_at, finished_at, duration_s,
       rows_per_second, phases, error
FROM ops.sync_ledger WHERE table_name = %(table)s ORDER BY started_at DESC, ledger_id DESC LIMIT %(limit)s

-- name: schema_changes
SELECT run_id, column_name, change, source_type, ods_type, action, detected_at
FROM ops.schema_change WHERE table_name = %(table)s ORDER BY detected_at DESC, change_id DESC LIMIT %(limit)s

-- name: reconciliation
SELECT run_id, metric, source_value, ods_value, matched, checked_at, scope
FROM ops.reconciliation WHERE table_name = %(table)s
ORDER BY checked_at DESC, reconciliation_id DESC LIMIT %(limit)s

-- name: quality
-- The latest result of every check of the table on its newest business date.
SELECT business_date, check_name, column_name, outcome, severity, blocking, measured_value, threshold,
       failed_rows_sample, message, checked_at
FROM ops.quality_latest
WHERE table_name = %(qualified)s
  AND business_date = (SELECT max(business_date) FROM ops.quality_result WHERE table_name = %(qualified)s)
ORDER BY CASE outcome WHEN 'error' THEN 0 WHEN 'fail' THEN 1 WHEN 'warn' THEN 2 ELSE 3 END, check_name
