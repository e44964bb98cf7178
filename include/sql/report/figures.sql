-- Figures of the daily operations report. %(start)s/%(end)s bound the business date in
-- Asia/Shanghai as timestamptz; %(day)s is the business date itself. Sync runs count for the
-- business date they stand for (ops.sync_ledger.business_date), else for when they finished;
-- backlog events and audits likewise (their business_date, else their calendar day).

-- name: stage_table
SELECT to_regclass(%(name)s) IS NOT NULL AS present

-- name: sync_by_table
SELECT table_name,
       count(*) AS runs,
       count(*) FILTER (WHERE status = 'failed') AS failed_runs,
       coalesce(sum(rows_read) FILTER (WHERE status <> 'failed'), 0) AS rows_moved,
       coalesce(sum(rows_inserted + rows_updated + rows_deleted) FILTER (WHERE status <> 'failed'), 0) AS rows_changed,
       (array_agg(status ORDER BY finished_at DESC))[1] AS last_status,
       (array_agg(error ORDER BY finished_at DESC))[1] AS last_error
FROM ops.sync_ledger
WHERE business_date = %(day)s OR (business_date IS NULL AND finished_at >= %(start)s AND finished_at < %(end)s)
GROUP BY table_name

-- name: last_success
-- The newest load of each table that counts for the day, and how far its data reaches: a sync stands
-- for its business date (loaded through the end of that day), so replays and backfills report like
-- the live runs; a sync without one reaches its finish time.
SELECT table_name, max(finished_at) AS last_success_at,
       max(CASE WHEN business_date IS NOT NULL THEN (business_date + 1)::timestamp AT TIME ZONE %(tz)s
                ELSE finished_at END) AS loaded_through
FROM ops.sync_ledger
WHERE status <> 'failed'
  AND (business_date <= %(day)s OR (business_date IS NULL AND finished_at < %(end)s))
GROUP BY table_name

-- name: reconciliation
SELECT DISTINCT ON (r.table_name, r.metric) r.table_name, r.metric, r.source_value, r.ods_value, r.matched,
       r.scope
FROM ops.reconciliation AS r
LEFT JOIN ops.sync_ledger AS s ON s.run_id = r.run_id AND s.table_name = r.table_name AND s.status <> 'failed'
WHERE s.business_date = %(day)s
   OR (s.business_date IS NULL AND r.checked_at >= %(start)s AND r.checked_at < %(end)s)
ORDER BY r.table_name, r.metric, r.checked_at DESC, r.reconciliation_id DESC

-- name: quality_counts
SELECT outcome, count(*) FROM ops.quality_latest WHERE business_date = %(day)s GROUP BY outcome

-- name: quality_problems
SELECT table_name, check_name, column_name, outcome, severity, measured_value, threshold, message
FROM ops.quality_latest
WHERE business_date = %(day)s AND outcome <> 'pass'
ORDER BY CASE outcome WHEN 'error' THEN 0 WHEN 'fail' THEN 1 ELSE 2 END, table_name, check_name

-- name: quality_scopes
-- What the day's latest scan of each table read: its build's changed rows, or the whole table, and why.
SELECT DISTINCT ON (table_name) table_name, scope, reason, rows_checked
FROM ops.quality_scan_scope WHERE business_date = %(day)s
ORDER BY table_name, scanned_at DESC

-- name: scenario_status
-- The latest attempt of each scenario for the business date.
SELECT DISTINCT ON (scenario) scenario, status, reason, rows
FROM ops.scenario_refresh WHERE business_date = %(day)s
ORDER BY scenario, started_at DESC, refresh_id DESC

-- name: open_items_by_severity
-- Items whose last audited state before the end of the day is not resolved (ack/mute count as open).
SELECT i.severity, count(*)
FROM ops.backlog_item i
JOIN LATERAL (SELECT a.status_after FROM ops.backlog_audit a
              WHERE a.item_id = i.item_id
                AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) <= %(day)s
              ORDER BY a.at DESC, a.audit_id DESC LIMIT 1) last ON last.status_after <> 'resolved'
GROUP BY i.severity

-- name: backlog_changes
-- new = opened/reopened in the day; resolved = resolved in the day; recurring = events in the day on older items.
SELECT i.item_id, i.fingerprint, i.category, i.severity, i.owner, i.title, i.hint, i.status,
       bool_or(a.action IN ('opened', 'reopened')) AS is_new,
       bool_or(a.action IN ('resolved', 'auto_resolved')) AS is_resolved,
       max(a.resolve_seconds) AS resolve_seconds,
       (SELECT count(*) FROM ops.alert_event e
        WHERE e.item_id = i.item_id
          AND coalesce(e.business_date, (e.raised_at AT TIME ZONE %(tz)s)::date) = %(day)s) AS events
FROM ops.backlog_item i
LEFT JOIN ops.backlog_audit a
       ON a.item_id = i.item_id AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) = %(day)s
GROUP BY i.item_id
HAVING count(a.*) > 0 OR EXISTS (SELECT 1 FROM ops.alert_event e
                                 WHERE e.item_id = i.item_id
                                   AND coalesce(e.business_date, (e.raised_at AT TIME ZONE %(tz)s)::date) = %(day)s)
ORDER BY CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, i.item_id

-- name: trend
WITH days AS (
    SELECT d::date AS day,
           d::date::timestamp AT TIME ZONE %(tz)s AS start_at,
           (d::date + 1)::timestamp AT TIME ZONE %(tz)s AS end_at
    FROM generate_series(%(first)s::date, %(day)s::date, interval '1 day') AS d
)
SELECT day,
       (SELECT coalesce(sum(s.rows_read), 0) FROM ops.sync_ledger s
        WHERE s.status <> 'failed' AND (s.business_date = days.day
              OR (s.business_date IS NULL AND s.finished_at >= start_at AND s.finished_at < end_at))) AS rows_moved,
       (SELECT count(*) FROM ops.backlog_item i
        WHERE (SELECT a.status_after FROM ops.backlog_audit a
               WHERE a.item_id = i.item_id AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) <= days.day
               ORDER BY a.at DESC, a.audit_id DESC LIMIT 1) <> 'resolved') AS open_items,
       (SELECT avg(a.resolve_seconds) FROM ops.backlog_audit a
        WHERE a.action IN ('resolved', 'auto_resolved')
          AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) = days.day) AS mttr_seconds
FROM days ORDER BY day

-- name: quality_trend
SELECT business_date, count(*) FILTER (WHERE outcome = 'pass')::float / count(*) AS pass_rate
FROM ops.quality_latest
WHERE business_date BETWEEN %(first)s AND %(day)s
GROUP BY business_date

-- name: store_report
INSERT INTO ops.operations_report (report_date, language, run_id, figures, markdown, html, html_path, deliveries)
VALUES (%(day)s, %(language)s, %(run_id)s, %(figures)s, %(markdown)s, %(html)s, %(html_path)s, %(deliveries)s)
ON CONFLICT (report_date, language) DO UPDATE SET
    generated_at = now(), run_id = EXCLUDED.run_id, figures = EXCLUDED.figures, markdown = EXCLUDED.markdown,
    html = EXCLUDED.html, html_path = EXCLUDED.html_path, deliveries = EXCLUDED.deliveries

-- name: record_deliveries
UPDATE ops.operations_report SET deliveries = %(deliveries)s
WHERE report_date = %(day)s AND language = %(language)s

