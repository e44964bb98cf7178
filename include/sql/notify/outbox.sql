-- The notification outbox (ops.notification): enqueue, claim what is due, record each outcome.

-- name: enqueue
INSERT INTO ops.notification (kind, item_id, event_id, channel, subject, message, status, expires_at,
                              business_date)
VALUES (%(kind)s, %(item_id)s, %(event_id)s, %(channel)s, %(subject)s, %(message)s, 'pending',
        now() + %(expire_after)s::interval, %(business_date)s)
RETURNING notification_id

-- name: expire_overdue
UPDATE ops.notification SET status = 'expired', last_error = coalesce(last_error, 'expired before delivery')
WHERE status = 'pending' AND channel = %(channel)s AND expires_at <= now()
RETURNING notification_id, kind, item_id, event_id, attempts, last_error

-- Claim the due notifications of one channel for this deliverer: the lease keeps a concurrent
-- deliverer (another task, the watchdog) from sending them too while this one works.
-- name: claim_due
UPDATE ops.notification AS n SET next_attempt_at = now() + %(lease)s::interval
WHERE n.notification_id IN (
    SELECT notification_id FROM ops.notification
    WHERE status = 'pending' AND channel = %(channel)s AND next_attempt_at <= now()
    ORDER BY created_at, notification_id
    FOR UPDATE SKIP LOCKED)
RETURNING n.notification_id, n.kind, n.item_id, n.event_id, n.subject, n.message, n.attempts, n.created_at

-- name: sent_last_minute
SELECT count(*) FROM ops.notification
WHERE channel = %(channel)s AND status = 'delivered' AND digest_id IS NULL AND delivered_at > now() - interval '1 minute'

-- name: mark_delivered
UPDATE ops.notification SET status = 'delivered', delivered_at = now(), attempts = attempts + %(attempts)s,
    digest_id = %(digest_id)s, last_error = NULL
WHERE notification_id = ANY(%(ids)s)

-- name: mark_failed
UPDATE ops.notification SET attempts = attempts + %(attempts)s, last_error = %(error)s,
    next_attempt_at = now() + %(backoff)s::interval
WHERE notification_id = ANY(%(ids)s)

-- name: release
UPDATE ops.notification SET next_attempt_at = now() + %(delay)s::interval WHERE notification_id = ANY(%(ids)s)

-- name: insert_digest
INSERT INTO ops.notification (kind, channel, subject, message, status, expires_at, attempts, delivered_at)
VALUES ('digest', %(channel)s, %(subject)s, %(message)s, 'delivered', now(), %(attempts)s, now())
RETURNING notification_id

-- name: log_attempt
INSERT INTO ops.alert_delivery (notification_id, event_id, channel, channel_type, delivered, attempts, error)
VALUES (%(notification_id)s, %(event_id)s, %(channel)s, %(channel_type)s, %(delivered)s, %(attempts)s, %(error)s)
