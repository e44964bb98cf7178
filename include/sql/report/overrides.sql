-- The day's audited overrides (ops.manual_override): gates skipped, dates rewound — who and why.

-- name: overrides_of_day
SELECT kind, dag_id, task_id, run_id, actor, reason, business_date, detail, at
FROM ops.manual_override
WHERE coalesce(business_date, (at AT TIME ZONE %(tz)s)::date) = %(day)s OR (at AT TIME ZONE %(tz)s)::date = %(day)s
ORDER BY at
