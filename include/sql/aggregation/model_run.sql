-- Statements of smartops.aggregation.build: the model run log (ops.model_run).

-- name: insert_model_run
INSERT INTO ops.model_run (run_id, model, business_date, status, rows, started_at, finished_at, duration_s, error)
VALUES (%(run_id)s, %(model)s, %(business_date)s, %(status)s, %(rows)s, %(started_at)s, now(), %(duration_s)s,
        %(error)s)
