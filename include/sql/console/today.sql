-- The console's Today page: the latest state of every inventory table and scenario.
-- Parameters are bound by name (psycopg %(name)s).

-- name: latest_business_date
-- The newest business date any stage recorded evidence for (simulated days may run ahead of the calendar).
SELECT max(day) AS day FROM (
    SELECT max(business_date) AS day FROM ops.sync_ledger
    UNION ALL SELECT max(business_date) FROM ops.quality_result
    UNION ALL SELECT max(business_date) FROM ops.scenario_refresh
    UNION ALL SELECT max(report_date) FROM ops.operations_report
) AS days

-- name: table_status
-- One row per inventory table (%(tables)s, in inventory order): its latest sync, watermark, the
-- reconciliation of that sync, and its quality results of the business date (or the latest before it).
SELECT t.name AS table_name,
       l.run_id, l.status, l.mode, l.rows_read, l.rows_inserted, l.rows_updated, l.rows_deleted,
       l.duration_s, l.finished_at, l.error,
       s.watermark, s.last_success_at,
       r.checks AS reconciliation_checks, r.mismatches AS reconciliation_mismatches,
       q.business_date AS quality_date,
       coalesce(q.pass, 0) AS quality_pass, coalesce(q.warn, 0) AS quality_warn,
       coalesce(q.fail, 0) AS quality_fail, coalesce(q.error, 0) AS quality_error
FROM unnest(%(tables)s::text[]) WITH ORDINALITY AS t(name, position)
LEFT JOIN LATERAL (
    SELECT * FROM ops.sync_ledger
    WHERE table_name = t.name ORDER BY finished_at DESC, ledger_id DESC LIMIT 1
) AS l ON true
LEFT JOIN ops.table_state AS s ON s.table_name = t.name
LEFT JOIN LATERAL (
    SELECT count(*) AS checks, count(*) FILTER (WHERE NOT matched) AS mismatches
    FROM ops.reconciliation WHERE table_name = t.name AND run_id = l.run_id
) AS r ON true
LEFT JOIN LATERAL (
    SELECT business_date,
           count(*) FILTER (WHERE outcome = 'pass') AS pass, count(*) FILTER (WHERE outcome = 'warn') AS warn,
           count(*) FILTER (WHERE outcome = 'fail') AS fail, count(*) FILTER (WHERE outcome = 'error') AS error
    FROM ops.quality_latest
    WHERE table_name = 'ods.' || t.name
      AND business_date = (SELECT max(business_date) FROM ops.quality_result
                           WHERE table_name = 'ods.' || t.name AND business_date <= %(day)s)
    GROUP BY business_date
) AS q ON true
ORDER BY t.position

-- name: scenario_status
-- The latest refresh attempt of every scenario, with its last publish.
SELECT a.scenario, a.business_date, a.status, a.reason, a.rows, a.inputs_freshness, a.finished_at,
       p.business_date AS published_business_date, p.finished_at AS published_at, p.rows AS published_rows
FROM (SELECT DISTINCT ON (scenario) * FROM ops.scenario_refresh
      ORDER BY scenario, started_at DESC, refresh_id DESC) AS a
LEFT JOIN LATERAL (
    SELECT business_date, finished_at, rows FROM ops.scenario_refresh
    WHERE scenario = a.scenario AND status = 'published' ORDER BY started_at DESC, refresh_id DESC LIMIT 1
) AS p ON true

-- name: report_languages
SELECT language FROM ops.operations_report WHERE report_date = %(day)s ORDER BY language
