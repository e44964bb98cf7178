-- What the outbox's deliveries mean for backlog items, and the resolved notices that close them.

-- name: mark_items_notified
-- An item counts as notified (suppression, escalation) only once its notification was delivered.
UPDATE ops.backlog_item AS item SET
    last_notified_at = greatest(item.last_notified_at, n.delivered_at),
    escalated_at = CASE WHEN n.kind = 'escalation' THEN coalesce(item.escalated_at, n.delivered_at)
                        ELSE item.escalated_at END
FROM ops.notification AS n
WHERE n.notification_id = ANY(%(ids)s) AND n.item_id = item.item_id AND n.kind IN ('alert', 'escalation')
  AND n.status = 'delivered'

-- name: resolved_notice_targets
-- Resolved items whose severity sends a notice, with the channels that carried this episode's alerts.
SELECT item.item_id, item.stage, item.object_name, item.title, item.category, item.owner, item.severity,
       item.resolve_seconds, item.resolution_note, array_agg(DISTINCT n.channel ORDER BY n.channel) AS channels
FROM ops.backlog_item AS item
JOIN ops.notification AS n ON n.item_id = item.item_id AND n.kind IN ('alert', 'escalation')
     AND n.status = 'delivered' AND n.created_at >= item.opened_at
WHERE item.item_id = ANY(%(ids)s) AND item.status = 'resolved' AND item.severity = ANY(%(severities)s)
GROUP BY item.item_id
