-- Statements of smartops.quality.store: writing check results into ops.quality_result.

-- name: copy_results
COPY ops.quality_result (
    scan_id, run_id, business_date, source, table_name, column_name, check_name, outcome,
    severity, blocking, measured_value, threshold, failed_rows_sample, message, check_file)
FROM STDIN

-- name: import_reconciliation
-- The reconciliation of one table's newest backflow run for the business date (or before it), as
-- results of this scan. Every scan carries that evidence, so a retry reaches the same verdict.
WITH newest_run AS (
    SELECT r.run_id
    FROM ops.reconciliation r
    LEFT JOIN ops.sync_ledger l ON l.run_id = r.run_id AND l.table_name = r.table_name
    WHERE r.table_name = %(table_name)s
      AND (l.business_date IS NULL OR l.business_date <= %(business_date)s)
    GROUP BY r.run_id
    ORDER BY max(r.checked_at) DESC, max(r.reconciliation_id) DESC
    LIMIT 1
)
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
FROM ops.reconciliation r JOIN newest_run USING (run_id)
WHERE r.table_name = %(table_name)s
ORDER BY r.reconciliation_id
ON CONFLICT (scan_id, reconciliation_id) DO NOTHING
RETURNING check_name, outcome, measured_value, threshold, message
