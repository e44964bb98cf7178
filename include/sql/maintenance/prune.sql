-- Retention of the ops history (smartops.maintenance.history): each statement deletes (or clears)
-- what is older than its cutoff and nothing another kept row still points to.

-- name: attempt_log
DELETE FROM ops.alert_delivery WHERE attempted_at < %(cutoff)s;

-- name: notifications
-- Delivered or expired messages (pending ones wait for delivery); a digest stays while a kept row was folded into it.
WITH old AS (
    SELECT n.notification_id FROM ops.notification n
    WHERE n.status <> 'pending' AND n.created_at < %(cutoff)s
      AND NOT EXISTS (SELECT 1 FROM ops.notification kept
                      WHERE kept.digest_id = n.notification_id
                        AND (kept.status = 'pending' OR kept.created_at >= %(cutoff)s))
), attempts AS (
    DELETE FROM ops.alert_delivery d USING old WHERE d.notification_id = old.notification_id
)
DELETE FROM ops.notification n USING old WHERE n.notification_id = old.notification_id;

-- name: failed_row_samples
UPDATE ops.quality_result SET failed_rows_sample = NULL
WHERE checked_at < %(cutoff)s AND failed_rows_sample IS NOT NULL;

-- name: alert_events
-- Occurrences no kept message or attempt points to (the item and its audit trail stay: MTTR).
DELETE FROM ops.alert_event e
WHERE e.raised_at < %(cutoff)s
  AND NOT EXISTS (SELECT 1 FROM ops.notification n WHERE n.event_id = e.event_id)
  AND NOT EXISTS (SELECT 1 FROM ops.alert_delivery d WHERE d.event_id = e.event_id);

-- name: record
INSERT INTO ops.maintenance_run (run_id, step, cutoff, rows_affected, outcome, detail, actor, started_at)
VALUES (%(run_id)s, %(step)s, %(cutoff)s, %(rows)s, %(outcome)s, %(detail)s, %(actor)s, %(started_at)s);
