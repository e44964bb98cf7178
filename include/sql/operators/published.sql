-- What each dated stage has published (the newest business date), and the audited overrides.

-- name: model_published
SELECT max(business_date) FROM ops.model_run WHERE model = %(item)s AND status = 'success'

-- name: scan_published
SELECT max(business_date) FROM ops.quality_result WHERE source = 'soda'

-- name: scenario_published
SELECT max(business_date) FROM ops.scenario_refresh WHERE scenario = %(item)s AND status = 'published'

-- name: insert_override
INSERT INTO ops.manual_override (kind, dag_id, run_id, task_id, actor, reason, business_date, detail)
VALUES (%(kind)s, %(dag_id)s, %(run_id)s, %(task_id)s, %(actor)s, %(reason)s, %(business_date)s, %(detail)s)
ON CONFLICT (dag_id, run_id, kind, task_id) DO NOTHING
