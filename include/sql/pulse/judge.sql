-- Reads of the pulse's judging run (smartops.pulse.judge): the cold-start profile, D's runs, D's drift.

-- name: profile
SELECT business_date, rows_inserted FROM ops.volume_profile WHERE table_name = %(table)s ORDER BY business_date

-- name: ods_table_exists
SELECT to_regclass(format('ods.%%I', %(table)s::text)) IS NOT NULL

-- name: runs_of_day
-- The committed syncs of one table that stand for business date D.
SELECT run_id FROM ops.sync_ledger
WHERE table_name = %(table)s AND business_date = %(day)s AND status IN ('success', 'mismatch')

-- name: applied_drift
-- Schema changes the syncs of business date D applied (columns added at Level-1 and absorbed).
SELECT c.table_name, l.business_date, c.column_name, c.change, c.source_type
FROM ops.schema_change AS c
JOIN ops.sync_ledger AS l ON l.run_id = c.run_id AND l.table_name = c.table_name
WHERE l.business_date = %(day)s AND c.action = 'applied' AND l.status IN ('success', 'mismatch')
ORDER BY c.table_name, c.column_name
