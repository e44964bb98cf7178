-- The notification outbox: every message the product sends (alert, escalation, resolved notice,
-- digest, daily report) is a row, written in the transaction that decided to send it and delivered
-- afterwards. It counts as sent only once delivered: failed deliveries are retried with backoff by
-- the next alert run or the watchdog until they are delivered or expire.
CREATE TABLE ops.notification (
    notification_id    bigserial PRIMARY KEY,
    kind               text NOT NULL,        -- alert | escalation | resolved | digest | report
    item_id            bigint REFERENCES ops.backlog_item,
    event_id           bigint REFERENCES ops.alert_event,
    channel            text NOT NULL,
    subject            text NOT NULL,
    message            jsonb NOT NULL,       -- the rendered smartops.notify.message.Message
    status             text NOT NULL,        -- pending | delivered | expired
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    last_error         text,
    digest_id          bigint REFERENCES ops.notification,  -- delivered folded into this digest
    business_date      date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    delivered_at       timestamptz
);
CREATE INDEX notification_due ON ops.notification (channel, next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_item ON ops.notification (item_id, created_at DESC);
CREATE INDEX notification_delivered ON ops.notification (channel, delivered_at DESC) WHERE status = 'delivered';

-- Every delivery attempt is logged against its notification (alert_event stays the alert's record).
ALTER TABLE ops.alert_delivery ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE ops.alert_delivery ADD COLUMN notification_id bigint REFERENCES ops.notification;
