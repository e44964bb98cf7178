-- The optimization backlog: one item per fingerprint, its events, deliveries and audit trail.
-- Parameters are bound by name (psycopg %(name)s).

-- name: insert_item
-- An item whose cause is at Level-1 (level1_owner set) opens awaiting Level-1: its clock starts at once.
INSERT INTO ops.backlog_item (fingerprint, stage, object_name, check_name, category, owner, severity, title,
                              details, scenarios, hint, status, first_seen_at, opened_at, last_seen_at,
                              level1_owner, awaiting_since)
VALUES (%(fingerprint)s, %(stage)s, %(object)s, %(check)s, %(category)s, %(owner)s, %(severity)s, %(title)s,
        %(details)s, %(scenarios)s, %(hint)s,
        CASE WHEN %(level1_owner)s::text IS NULL THEN 'open' ELSE 'awaiting_level1' END, now(), now(), now(),
        %(level1_owner)s, CASE WHEN %(level1_owner)s::text IS NOT NULL THEN now() END)
ON CONFLICT (fingerprint) DO NOTHING
RETURNING item_id

-- name: lock_item
-- within_interval counts delivered notifications only (last_notified_at is set on delivery);
-- pending / escalation_pending: a notification of the item is queued and not delivered yet.
SELECT item_id, status, occurrences, reopen_count, last_notified_at, escalated_at, muted_until, level1_owner,
       muted_until IS NOT NULL AND muted_until > now() AS mute_active,
       last_notified_at IS NOT NULL AND now() - last_notified_at < %(suppression)s AS within_interval,
       EXISTS (SELECT 1 FROM ops.notification n WHERE n.item_id = item.item_id AND n.status = 'pending'
               AND n.kind = 'alert') AS pending,
       EXISTS (SELECT 1 FROM ops.notification n WHERE n.item_id = item.item_id AND n.status = 'pending'
               AND n.kind = 'escalation') AS escalation_pending
FROM ops.backlog_item AS item WHERE fingerprint = %(fingerprint)s FOR UPDATE

-- name: record_occurrence
UPDATE ops.backlog_item SET
    occurrences = CASE WHEN %(reopen)s THEN 1 ELSE occurrences + 1 END,
    total_occurrences = total_occurrences + 1,
    reopen_count = reopen_count + CASE WHEN %(reopen)s THEN 1 ELSE 0 END,
    opened_at = CASE WHEN %(reopen)s THEN now() ELSE opened_at END,
    -- a new episode, or an acknowledgement that expired: escalation starts over
    escalated_at = CASE WHEN %(reopen)s OR %(rearm)s THEN NULL ELSE escalated_at END,
    resolved_at = CASE WHEN %(reopen)s THEN NULL ELSE resolved_at END,
    resolution = CASE WHEN %(reopen)s THEN NULL ELSE resolution END,
    resolution_note = CASE WHEN %(reopen)s THEN NULL ELSE resolution_note END,
    resolve_seconds = CASE WHEN %(reopen)s THEN NULL ELSE resolve_seconds END,
    -- a new episode starts its Level-1 clock afresh
    awaiting_seconds = CASE WHEN %(reopen)s THEN 0 ELSE awaiting_seconds END,
    awaiting_since = CASE WHEN %(status)s = 'awaiting_level1' THEN
                          CASE WHEN %(reopen)s THEN now() ELSE coalesce(awaiting_since, now()) END END,
    -- the rules' owner; a recurrence keeps an owner triage assigned by hand (a new episode starts from the rules)
    level1_owner = CASE WHEN %(reopen)s THEN %(level1_owner)s ELSE coalesce(%(level1_owner)s, level1_owner) END,
    status = %(status)s,
    muted_until = CASE WHEN %(status)s IN ('muted', 'acknowledged') THEN muted_until END,
    last_seen_at = now(), category = %(category)s, owner = %(owner)s, severity = %(severity)s,
    title = %(title)s, details = %(details)s, last_run_url = %(run_url)s,
    scenarios = CASE WHEN cardinality(%(scenarios)s::text[]) > 0 THEN %(scenarios)s ELSE scenarios END
WHERE item_id = %(item_id)s
RETURNING occurrences, reopen_count

-- name: set_hint
UPDATE ops.backlog_item SET hint = %(hint)s WHERE item_id = %(item_id)s

-- name: insert_event
INSERT INTO ops.alert_event (item_id, fingerprint, category, severity, is_warning, title, details, dag_id,
                             run_id, task_id, try_number, run_url, decision, channels, business_date)
VALUES (%(item_id)s, %(fingerprint)s, %(category)s, %(severity)s, %(warning)s, %(title)s, %(details)s,
        %(dag_id)s, %(run_id)s, %(task_id)s, %(try_number)s, %(run_url)s, %(decision)s, %(channels)s,
        %(business_date)s)
RETURNING event_id

-- name: insert_audit
INSERT INTO ops.backlog_audit (item_id, action, actor, note, status_before, status_after, resolve_seconds,
                               business_date)
VALUES (%(item_id)s, %(action)s, %(actor)s, %(note)s, %(status_before)s, %(status_after)s, %(resolve_seconds)s,
        %(business_date)s)

-- name: resolve_passing
WITH resolved AS (
    UPDATE ops.backlog_item AS item SET status = 'resolved', resolved_at = now(), resolution = 'auto',
        resolution_note = %(note)s, muted_until = NULL,
        resolve_seconds = extract(epoch FROM now() - item.opened_at),
        awaiting_seconds = item.awaiting_seconds + coalesce(extract(epoch FROM now() - item.awaiting_since), 0),
        awaiting_since = NULL
    FROM ops.backlog_item AS before
    WHERE before.item_id = item.item_id
      AND item.stage = %(stage)s AND item.object_name = %(object)s
      AND (%(check)s::text IS NULL OR item.check_name = %(check)s)
      AND item.status <> 'resolved'
    RETURNING item.item_id, item.resolve_seconds, before.status AS status_before
)
INSERT INTO ops.backlog_audit (item_id, action, actor, note, status_before, status_after, resolve_seconds,
                               business_date)
SELECT item_id, 'auto_resolved', %(actor)s, %(note)s, status_before, 'resolved', resolve_seconds,
       %(business_date)s::date
FROM resolved
RETURNING item_id, resolve_seconds

-- name: lock_item_by_id
SELECT item_id, status, fingerprint, severity, level1_owner FROM ops.backlog_item WHERE item_id = %(item_id)s FOR UPDATE

-- name: triage_item
UPDATE ops.backlog_item SET
    status = %(status)s,
    muted_until = %(muted_until)s,
    resolved_at = CASE WHEN %(status)s = 'resolved' THEN now() END,
    resolution = CASE WHEN %(status)s = 'resolved' THEN 'manual' END,
    resolution_note = CASE WHEN %(status)s = 'resolved' THEN %(note)s END,
    resolve_seconds = CASE WHEN %(status)s = 'resolved' THEN extract(epoch FROM now() - opened_at) END,
    -- Level-1's clock runs while the item awaits it; any other state stops it (SET reads the old row)
    awaiting_seconds = awaiting_seconds + CASE WHEN %(status)s <> 'awaiting_level1'
                                               THEN coalesce(extract(epoch FROM now() - awaiting_since), 0) ELSE 0 END,
    awaiting_since = CASE WHEN %(status)s = 'awaiting_level1' THEN coalesce(awaiting_since, now()) END,
    level1_owner = coalesce(%(level1_owner)s, level1_owner)
WHERE item_id = %(item_id)s
RETURNING resolve_seconds

-- name: list_items
SELECT item_id, status, severity, category, fingerprint, occurrences, total_occurrences, owner, title,
       first_seen_at, last_seen_at, muted_until, resolved_at, resolve_seconds, hint, level1_owner, awaiting_seconds
FROM ops.backlog_item
WHERE (%(status)s::text IS NULL OR status = %(status)s)
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
         last_seen_at DESC

-- name: audit_of_item
SELECT action, actor, note, status_before, status_after, resolve_seconds, at
FROM ops.backlog_audit WHERE item_id = %(item_id)s ORDER BY audit_id
