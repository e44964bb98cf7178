-- 一级协同: the items Level-1 caused, their digests, and the split of the time to resolve.

-- name: due_items
-- Open upstream items due in their owner's digest: new (no digest of this episode reached or is still
-- trying to reach the owner), the last digest's every message expired undelivered, or last sent
-- `resend_after` ago and still open.
WITH sent AS (
    SELECT i.item_id, d.last_sent_at,
           EXISTS (SELECT 1 FROM ops.upstream_digest g JOIN ops.notification n
                          ON n.notification_id = ANY(g.notification_ids) AND n.status <> 'expired'
                   WHERE i.item_id = ANY(g.item_ids) AND g.created_at >= i.opened_at) AS ever,
           (SELECT bool_or(n.status <> 'expired') FROM ops.notification n
            WHERE n.notification_id = ANY(last.notification_ids)) AS last_counts
    FROM ops.backlog_item i
    LEFT JOIN ops.upstream_digest_item d ON d.item_id = i.item_id AND d.episode_opened_at = i.opened_at
    LEFT JOIN LATERAL (SELECT g.notification_ids FROM ops.upstream_digest g
                       WHERE i.item_id = ANY(g.item_ids) AND g.created_at >= i.opened_at
                       ORDER BY g.created_at DESC, g.digest_id DESC LIMIT 1) AS last ON true
    WHERE i.level1_owner IS NOT NULL AND i.status <> 'resolved'
)
SELECT i.item_id, i.level1_owner, i.stage, i.object_name, i.check_name, i.category, i.severity, i.title,
       i.details, i.status, i.first_seen_at, i.opened_at, i.last_seen_at, i.occurrences,
       i.awaiting_seconds + coalesce(extract(epoch FROM now() - i.awaiting_since), 0) AS awaiting_seconds,
       NOT s.ever AS is_new
FROM ops.backlog_item i
JOIN sent s ON s.item_id = i.item_id
WHERE NOT s.ever OR NOT coalesce(s.last_counts, false) OR s.last_sent_at <= now() - %(resend_after)s
ORDER BY i.level1_owner, CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
         i.first_seen_at, i.item_id

-- name: failed_rows_samples
-- The newest failing rows each (table, check) stored (quality items carry them), for all of a digest's items.
SELECT DISTINCT ON (table_name, check_name) table_name, check_name, failed_rows_sample, measured_value
FROM ops.quality_result
WHERE (table_name, check_name) IN (SELECT * FROM unnest(%(tables)s::text[], %(checks)s::text[]))
  AND failed_rows_sample IS NOT NULL
ORDER BY table_name, check_name, checked_at DESC, result_id DESC

-- name: record_digest
INSERT INTO ops.upstream_digest (level1_owner, business_date, item_ids, new_items, notification_ids, run_id)
VALUES (%(owner)s, %(day)s, %(item_ids)s, %(new_items)s, %(notification_ids)s, %(run_id)s)
RETURNING digest_id

-- name: mark_items_sent
INSERT INTO ops.upstream_digest_item AS d (item_id, level1_owner, episode_opened_at, first_sent_at, last_sent_at)
SELECT i.item_id, i.level1_owner, i.opened_at, now(), now()
FROM ops.backlog_item i WHERE i.item_id = ANY(%(item_ids)s)
ON CONFLICT (item_id) DO UPDATE SET
    level1_owner = excluded.level1_owner,
    first_sent_at = CASE WHEN d.episode_opened_at <> excluded.episode_opened_at THEN now() ELSE d.first_sent_at END,
    times_sent = CASE WHEN d.episode_opened_at <> excluded.episode_opened_at THEN 1 ELSE d.times_sent + 1 END,
    episode_opened_at = excluded.episode_opened_at,
    last_sent_at = now()

-- name: open_by_owner
-- Open upstream items, oldest first, with how long each has waited for Level-1 and when its digest went.
SELECT i.item_id, i.level1_owner, i.status, i.severity, i.category, i.object_name, i.check_name, i.title,
       i.first_seen_at, i.opened_at, i.occurrences,
       extract(epoch FROM now() - i.opened_at) AS age_seconds,
       i.awaiting_seconds + coalesce(extract(epoch FROM now() - i.awaiting_since), 0) AS awaiting_seconds,
       d.last_sent_at AS last_digest_at, d.times_sent AS digests
FROM ops.backlog_item i
LEFT JOIN ops.upstream_digest_item d ON d.item_id = i.item_id AND d.episode_opened_at = i.opened_at
WHERE i.level1_owner IS NOT NULL AND i.status <> 'resolved'
  AND i.opened_at < %(until)s
ORDER BY i.level1_owner, i.opened_at, i.item_id

-- name: resolve_time_split
-- Resolutions on business dates first..last (the audit's business date, else its calendar day, as the report
-- counts them): the time to resolve, split into Level-1's (the item awaiting it) and ours.
SELECT count(*) AS resolved,
       count(*) FILTER (WHERE i.level1_owner IS NOT NULL) AS upstream_resolved,
       avg(greatest(a.resolve_seconds - i.awaiting_seconds, 0)) AS ours_seconds,
       avg(i.awaiting_seconds) FILTER (WHERE i.level1_owner IS NOT NULL) AS upstream_seconds
FROM ops.backlog_audit a
JOIN ops.backlog_item i ON i.item_id = a.item_id
WHERE a.action IN ('resolved', 'auto_resolved')
  AND coalesce(a.business_date, (a.at AT TIME ZONE %(tz)s)::date) BETWEEN %(first)s AND %(last)s

-- name: recent_digests
SELECT g.digest_id, g.level1_owner, g.business_date, cardinality(g.item_ids) AS items, g.new_items, g.created_at,
       (SELECT coalesce(bool_and(n.status = 'delivered'), false) FROM ops.notification n
        WHERE n.notification_id = ANY(g.notification_ids)) AS delivered
FROM ops.upstream_digest g ORDER BY g.created_at DESC LIMIT %(limit)s
