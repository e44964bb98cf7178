-- Reads of the watchdog on the warehouse (Airflow's own state comes from its REST API: airflow_api.py).

-- name: alerted_tries
-- The failed tries whose failure alert the callback recorded (a check's alert of the same task does not count).
SELECT DISTINCT dag_id, run_id, task_id, try_number FROM ops.alert_event
WHERE task_id IS NOT NULL AND try_number IS NOT NULL AND raised_at >= %(since)s

-- name: table_freshness
SELECT table_name, last_success_at FROM ops.table_state

-- name: throughput
-- Latest successful load of each table against the mean of its previous (up to 7) ones.
WITH ranked AS (
    SELECT table_name, rows_per_second, rows_read,
           row_number() OVER (PARTITION BY table_name ORDER BY finished_at DESC) AS recency
    FROM ops.sync_ledger
    WHERE status = 'success' AND rows_per_second IS NOT NULL AND rows_read >= %(min_rows)s
)
SELECT latest.table_name, latest.rows_per_second AS latest_rps, avg(previous.rows_per_second) AS trailing_rps,
       count(previous.*) AS trailing_runs
FROM ranked latest JOIN ranked previous
  ON previous.table_name = latest.table_name AND previous.recency BETWEEN 2 AND 8
WHERE latest.recency = 1
GROUP BY latest.table_name, latest.rows_per_second

-- name: open_watchdog_items
SELECT object_name, check_name FROM ops.backlog_item WHERE stage = 'watchdog' AND status <> 'resolved'

-- name: build_freshness
-- The last successful build of every dwd/dws model and the last publish of every scenario's marts.
SELECT model, max(finished_at) FROM ops.model_run WHERE status = 'success' GROUP BY model
UNION ALL
SELECT 'ads:' || scenario, max(finished_at) FROM ops.scenario_refresh WHERE status = 'published' GROUP BY scenario
