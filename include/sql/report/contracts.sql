-- The mart contracts' versions the report saw before (smartops.report.contracts).

-- name: previous_versions
-- What the newest earlier report recorded: a version that differs today is a contract change.
SELECT figures -> 'contracts' -> 'versions' AS versions
FROM ops.operations_report
WHERE report_date < %(day)s AND figures -> 'contracts' ? 'versions'
ORDER BY report_date DESC, generated_at DESC
LIMIT 1;
