-- Statements of smartops.quality.store: writing check results into ops.quality_result.

-- name: copy_results
COPY ops.quality_result (
    scan_id, run_id, business_date, source, table_name, column_name, check_name, outcome,
    severity, blocking, measured_value, threshold, failed_rows_sample, message, check_file)
FROM STDIN

-- name: import_reconciliation
-- The backflow's Level-1 <-> ods reconciliation rows of one table not imported yet, as results
-- of the scan that imports them (each row is imported exactly once, even by concurrent scans).
INSERT INTO ops.quality_result (
    scan_id, run_id, business_date, source, table_name, check_name, outcome, severity, blocking,
    measured_value, threshold, message, reconciliation_id, checked_at)
SELECT %(scan_id)s, r.run_id, %(business_date)s, 'reconciliation', %(qualified)s,
       'reconciliation ' || r.metric,
       CASE WHEN r.matched THEN 'pass' ELSE 'fail' END,
       %(severity)s, %(blocking)s, r.ods_value,
       'fail when ods value <> Level-1 value',
       'Level-1 ' || r.metric || ' = ' || coalesce(r.source_value::text, 'NULL') || ', ods = '
           || coalesce(r.ods_value::text, 'NULL') || ' (backflow run ' || r.run_id || ')',
       r.reconciliation_id, r.checked_at
FROM ops.reconciliation r
WHERE r.table_name = %(table_name)s
ORDER BY r.reconciliation_id
ON CONFLICT (reconciliation_id) DO NOTHING
RETURNING check_name, outcome, measured_value, threshold, message
