-- The console's Backlog page: items with their latest event, the delivery state of their
-- notifications (ops.notification), and their audit trails. Empty filters (NULL) match everything.

-- name: items
SELECT i.item_id, i.status, i.severity, i.category, i.fingerprint, i.stage, i.object_name, i.check_name,
       i.owner, i.title, i.details, i.scenarios, i.hint, i.occurrences, i.total_occurrences, i.reopen_count,
       i.first_seen_at, i.opened_at, i.last_seen_at, i.last_notified_at, i.escalated_at, i.muted_until,
       i.resolved_at, i.resolution, i.resolution_note, i.last_run_url, i.level1_owner,
       round(((i.awaiting_seconds + coalesce(extract(epoch FROM now() - i.awaiting_since), 0)) / 3600)::numeric, 1)
           AS awaiting_hours,
       e.decision AS last_decision, e.raised_at AS last_event_at, n.notifications
FROM ops.backlog_item AS i
LEFT JOIN LATERAL (
    SELECT decision, raised_at FROM ops.alert_event
    WHERE item_id = i.item_id ORDER BY raised_at DESC, event_id DESC LIMIT 1
) AS e ON true
LEFT JOIN LATERAL (
    -- the item's latest notification on each channel: delivered, pending (retrying) or expired
    SELECT jsonb_agg(jsonb_build_object('channel', channel, 'kind', kind, 'status', status, 'attempts', attempts,
                                        'error', last_error, 'created_at', created_at, 'delivered_at', delivered_at)
                     ORDER BY channel) AS notifications
    FROM (SELECT DISTINCT ON (channel) * FROM ops.notification WHERE item_id = i.item_id
          ORDER BY channel, created_at DESC, notification_id DESC) AS latest
) AS n ON true
WHERE (%(item)s::bigint IS NULL OR i.item_id = %(item)s)
  AND (%(status)s::text IS NULL OR i.status = %(status)s)
  AND (%(owner)s::text IS NULL OR i.owner = %(owner)s)
  AND (%(severity)s::text IS NULL OR i.severity = %(severity)s)
  AND (%(category)s::text IS NULL OR i.category = %(category)s)
ORDER BY CASE i.status WHEN 'open' THEN 0 WHEN 'awaiting_level1' THEN 1 WHEN 'acknowledged' THEN 2
                       WHEN 'muted' THEN 3 ELSE 4 END,
         CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
         i.last_seen_at DESC, i.item_id DESC
LIMIT %(limit)s

-- name: audits
SELECT item_id, action, actor, note, status_before, status_after, resolve_seconds, at
FROM ops.backlog_audit WHERE item_id = ANY(%(item_ids)s) ORDER BY item_id, audit_id

-- name: owners
SELECT DISTINCT owner FROM ops.backlog_item WHERE owner IS NOT NULL ORDER BY owner
