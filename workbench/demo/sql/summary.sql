-- What `make demo` prints after each daily cycle; reads the warehouse's ops tables.

-- name: latest_sync
SELECT table_name, status, mode, rows_read, rows_inserted, rows_updated, rows_deleted, duration_s
FROM ops.sync_ledger
WHERE run_id = (SELECT run_id FROM ops.sync_ledger ORDER BY finished_at DESC LIMIT 1)
ORDER BY table_name

-- name: latest_report
SELECT html_path, figures->'headline'->>'open_items_total'
FROM ops.operations_report ORDER BY generated_at DESC LIMIT 1

-- name: top_open_item
SELECT item_id, severity, title FROM ops.backlog_item WHERE status = 'open'
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, item_id
LIMIT 1
