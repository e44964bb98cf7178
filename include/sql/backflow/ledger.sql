-- The operations record of backflow sync (ops.table_state, ops.sync_ledger, ops.schema_change,
-- ops.reconciliation). Written in the load's own transaction, or after it rolled back for failures.

-- name: read_state
SELECT watermark, last_status FROM ops.table_state WHERE table_name = %(table)s FOR UPDATE

-- name: insert_ledger
INSERT INTO ops.sync_ledger (run_id, table_name, mode, window_start, window_end, watermark_before,
    watermark_after, rows_read, rows_inserted, rows_updated, rows_deleted, started_at, finished_at,
    duration_s, rows_per_second, status, error, phases, business_date, reconcile_scope)
VALUES (%(run_id)s, %(table)s, %(mode)s, %(window_start)s, %(window_end)s, %(watermark_before)s,
    %(watermark_after)s, %(rows_read)s, %(rows_inserted)s, %(rows_updated)s, %(rows_deleted)s, %(started_at)s,
    now(), %(duration_s)s, %(rows_per_second)s, %(status)s, %(error)s, %(phases)s, %(business_date)s,
    %(reconcile_scope)s)

-- name: write_state_success
INSERT INTO ops.table_state (table_name, cursor_column, watermark, last_run_id, last_status,
                             last_success_at, updated_at)
VALUES (%(table)s, %(cursor)s, %(watermark)s, %(run_id)s, %(status)s, now(), now())
ON CONFLICT (table_name) DO UPDATE SET
    cursor_column = EXCLUDED.cursor_column, watermark = EXCLUDED.watermark,
    last_run_id = EXCLUDED.last_run_id, last_status = EXCLUDED.last_status,
    last_success_at = EXCLUDED.last_success_at, updated_at = now()

-- name: write_state_failure
INSERT INTO ops.table_state (table_name, cursor_column, last_run_id, last_status, updated_at)
VALUES (%(table)s, %(cursor)s, %(run_id)s, %(status)s, now())
ON CONFLICT (table_name) DO UPDATE SET last_run_id = EXCLUDED.last_run_id,
    last_status = EXCLUDED.last_status, updated_at = now()

-- name: copy_schema_changes
COPY ops.schema_change (run_id, table_name, column_name, change, source_type, ods_type, action) FROM STDIN

-- name: copy_reconciliation
COPY ops.reconciliation (run_id, table_name, metric, source_value, ods_value, matched, scope) FROM STDIN

-- name: last_table_reconcile
-- The business date of the table's latest whole-table verdict, and how many reconciled runs came after it
-- (full_reconcile's cadence).
WITH latest AS (
    SELECT max(started_at) AS at, max(business_date) AS business_date FROM ops.sync_ledger
    WHERE table_name = %(table)s AND reconcile_scope = 'table'
)
SELECT latest.at, latest.business_date,
       (SELECT count(*) FROM ops.sync_ledger l
        WHERE l.table_name = %(table)s AND l.reconcile_scope IS NOT NULL AND l.started_at > latest.at)
FROM latest

-- name: tables_loaded_in_run
-- Tables whose load this run already committed (a batch task's retry skips them).
SELECT table_name FROM ops.sync_ledger WHERE run_id = %(run_id)s AND status <> 'failed'
