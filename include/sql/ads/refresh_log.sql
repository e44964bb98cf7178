-- Statements of smartops.scenarios.refresh: the scenario refresh log (ops.scenario_refresh).

-- name: insert_refresh
INSERT INTO ops.scenario_refresh (run_id, scenario, business_date, status, reason, rows, table_rows,
                                  inputs_freshness, inputs_builds, started_at, finished_at, duration_s)
VALUES (%(run_id)s, %(scenario)s, %(business_date)s, %(status)s, %(reason)s, %(rows)s, %(table_rows)s,
        %(inputs_freshness)s, %(inputs_builds)s, %(started_at)s, now(), %(duration_s)s)

-- name: inputs_freshness
-- The last successful build of each dwd/dws input (ops.model_run) or load of each ods input
-- (ops.sync_ledger).
SELECT model AS table_name, max(finished_at) AS fresh_at
FROM ops.model_run
WHERE status = 'success' AND model = ANY(%(tables)s)
GROUP BY model
UNION ALL
SELECT 'ods.' || table_name, max(finished_at)
FROM ops.sync_ledger
WHERE status = 'success' AND 'ods.' || table_name = ANY(%(tables)s)
GROUP BY table_name
