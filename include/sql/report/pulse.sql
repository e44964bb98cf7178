-- The data's pulse in the daily report: the day's verdicts, each table's volume band over 30 days,
-- SLA attainment over 30 days, and the applied schema changes of the day.

-- name: verdicts_of_day
SELECT table_name, category, subject, day_class, observed, expected, band_low, band_high, comparable_days,
       finding, severity, estimated_calendar, reason_zh, reason_en, evidence
FROM ops.pulse_verdict
WHERE business_date = %(day)s
ORDER BY finding IS NULL, category, table_name, subject

-- name: volume_bands
-- Each table's main metric against its band, per business date of the window (what the charts draw).
SELECT table_name, business_date, observed, expected, band_low, band_high, finding
FROM ops.pulse_verdict
WHERE category = 'volume' AND subject = 'rows_inserted' AND business_date BETWEEN %(first)s AND %(day)s
ORDER BY table_name, business_date

-- name: tables_on_time
-- Per business date: inventory tables with a committed sync for it.
SELECT d::date AS day,
       (SELECT count(DISTINCT l.table_name) FROM ops.sync_ledger l
        WHERE l.business_date = d::date AND l.status IN ('success', 'mismatch')
          AND l.table_name = ANY(%(tables)s)) AS on_time
FROM generate_series(%(first)s::date, %(day)s::date, interval '1 day') AS d ORDER BY 1

-- name: marts_on_time
-- Per business date: marts published for it by their deadline (the morning after, Asia/Shanghai).
SELECT d::date AS day,
       (SELECT count(DISTINCT r.scenario) FROM ops.scenario_refresh r
        WHERE r.business_date = d::date AND r.status = 'published'
          AND r.finished_at <= ((d::date + 1) + coalesce((%(deadlines)s::jsonb ->> r.scenario)::time, '08:00'))
                               AT TIME ZONE %(tz)s) AS on_time
FROM generate_series(%(first)s::date, %(day)s::date, interval '1 day') AS d ORDER BY 1

-- name: drift_of_day
SELECT c.table_name, c.column_name, c.change, c.source_type, c.action
FROM ops.schema_change AS c JOIN ops.sync_ledger AS l ON l.run_id = c.run_id AND l.table_name = c.table_name
WHERE l.business_date = %(day)s
ORDER BY c.table_name, c.column_name

-- name: close_days
-- The close window's days: rows inserted into the ledger tables and the day's pulse findings.
SELECT d.day,
       (SELECT coalesce(sum(l.rows_inserted), 0) FROM ops.sync_ledger l
        WHERE l.business_date = d.day AND l.status IN ('success', 'mismatch') AND l.mode = 'incremental') AS rows,
       (SELECT count(*) FROM ops.pulse_verdict v
        WHERE v.business_date = d.day AND v.finding IS NOT NULL AND v.category <> 'integrity') AS anomalies,
       (SELECT count(*) FROM ops.pulse_verdict v
        WHERE v.business_date = d.day AND v.category = 'integrity') AS closed_period_changes
FROM unnest(%(days)s::date[]) AS d(day)
ORDER BY d.day
