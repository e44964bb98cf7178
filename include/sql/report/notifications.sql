-- The day's notifications by state, and the ones that did not reach their channel.

-- name: notification_counts
SELECT status, count(*) AS count FROM ops.notification
WHERE kind <> 'digest' AND coalesce(business_date, (created_at AT TIME ZONE %(tz)s)::date) = %(day)s
GROUP BY status

-- name: undelivered
SELECT notification_id, kind, channel, subject, status, attempts, last_error, created_at
FROM ops.notification
WHERE kind <> 'digest' AND status <> 'delivered'
  AND coalesce(business_date, (created_at AT TIME ZONE %(tz)s)::date) = %(day)s
ORDER BY created_at
LIMIT 50
