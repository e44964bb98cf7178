-- The figures of the weekly / monthly operations review, per period [start, end] of business dates.

-- name: tables_synced
-- (table, business date) pairs with a committed sync: the on-time rate's numerator.
SELECT count(DISTINCT (table_name, business_date)) AS synced FROM ops.sync_ledger
WHERE business_date BETWEEN %(start)s AND %(end)s AND status IN ('success', 'mismatch')
  AND table_name = ANY(%(tables)s)

-- name: quality
SELECT count(*) FILTER (WHERE outcome = 'pass') AS passed, count(*) AS total FROM ops.quality_latest
WHERE business_date BETWEEN %(start)s AND %(end)s

-- name: anomalies
SELECT category, finding, count(*) AS count FROM ops.pulse_verdict
WHERE business_date BETWEEN %(start)s AND %(end)s AND finding IS NOT NULL
GROUP BY category, finding ORDER BY count DESC

-- name: mttr
-- Items resolved in the period, by severity and owner: how many and how long they took.
SELECT i.severity, coalesce(i.owner, '-') AS owner, count(*) AS resolved, avg(a.resolve_seconds) AS mttr_seconds
FROM ops.backlog_audit a JOIN ops.backlog_item i USING (item_id)
WHERE a.action IN ('resolved', 'auto_resolved')
  AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) BETWEEN %(start)s AND %(end)s
GROUP BY i.severity, coalesce(i.owner, '-') ORDER BY i.severity, owner

-- name: ageing
-- Items open at the period's end, by severity and owner and age (days since they opened).
SELECT i.severity, coalesce(i.owner, '-') AS owner,
       count(*) FILTER (WHERE age < 1) AS under_1d, count(*) FILTER (WHERE age >= 1 AND age < 7) AS d1_7,
       count(*) FILTER (WHERE age >= 7) AS over_7d
FROM ops.backlog_item i
CROSS JOIN LATERAL (SELECT extract(epoch FROM (%(end_at)s::timestamptz - i.opened_at)) / 86400 AS age) AS a
WHERE i.opened_at < %(end_at)s AND (i.resolved_at IS NULL OR i.resolved_at >= %(end_at)s)
GROUP BY i.severity, coalesce(i.owner, '-') ORDER BY i.severity, owner

-- name: recurring
SELECT e.fingerprint, max(i.title) AS title, max(i.severity) AS severity, count(*) AS events
FROM ops.alert_event e JOIN ops.backlog_item i USING (item_id)
WHERE coalesce(e.business_date, (e.raised_at AT TIME ZONE %(tz)s)::date) BETWEEN %(start)s AND %(end)s
GROUP BY e.fingerprint ORDER BY events DESC, e.fingerprint LIMIT 10

-- name: closed_period_changes
SELECT business_date, table_name, subject, finding, severity, evidence FROM ops.pulse_verdict
WHERE category = 'integrity' AND business_date BETWEEN %(start)s AND %(end)s
ORDER BY business_date, table_name, subject

-- name: schema_changes
SELECT l.business_date, c.table_name, c.column_name, c.change, c.action
FROM ops.schema_change c JOIN ops.sync_ledger l ON l.run_id = c.run_id AND l.table_name = c.table_name
WHERE l.business_date BETWEEN %(start)s AND %(end)s
ORDER BY l.business_date, c.table_name, c.column_name

-- name: store_review
INSERT INTO ops.operations_review (kind, period_start, period_end, language, run_id, figures, markdown, html)
VALUES (%(kind)s, %(start)s, %(end)s, %(language)s, %(run_id)s, %(figures)s, %(markdown)s, %(html)s)
ON CONFLICT (kind, period_start, language) DO UPDATE SET
    period_end = EXCLUDED.period_end, run_id = EXCLUDED.run_id, figures = EXCLUDED.figures,
    markdown = EXCLUDED.markdown, html = EXCLUDED.html, generated_at = now()

-- name: list_reviews
SELECT kind, period_start, period_end, array_agg(language ORDER BY language) AS languages,
       max(generated_at) AS generated_at
FROM ops.operations_review GROUP BY kind, period_start, period_end
ORDER BY period_start DESC, kind LIMIT %(limit)s

-- name: review_of
SELECT kind, period_start, period_end, language, figures, markdown, html, generated_at
FROM ops.operations_review WHERE kind = %(kind)s AND period_start = %(start)s
