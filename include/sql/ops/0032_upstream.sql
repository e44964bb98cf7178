-- 一级协同: items whose cause is at Level-1 carry its owner and their own clock; the daily digest per owner.
ALTER TABLE ops.backlog_item
    ADD COLUMN level1_owner     text,                               -- tagged by rule (smartops.alerting.upstream)
    ADD COLUMN awaiting_since   timestamptz,                        -- set while status = 'awaiting_level1'
    ADD COLUMN awaiting_seconds double precision NOT NULL DEFAULT 0; -- this episode's time awaiting Level-1

CREATE INDEX backlog_item_upstream ON ops.backlog_item (level1_owner, status) WHERE level1_owner IS NOT NULL;

-- One row per digest sent to a Level-1 owner: which items it carried and on which notifications.
CREATE TABLE ops.upstream_digest (
    digest_id          bigserial PRIMARY KEY,
    level1_owner       text NOT NULL,
    business_date      date NOT NULL,
    item_ids           bigint[] NOT NULL,
    new_items          integer NOT NULL,        -- never in a digest before (this episode)
    notification_ids   bigint[] NOT NULL,       -- ops.notification: delivered or retried like every message
    run_id             text,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- When each item was last carried by a digest: new items go at once, open ones again after `resend_after`.
CREATE TABLE ops.upstream_digest_item (
    item_id            bigint PRIMARY KEY REFERENCES ops.backlog_item ON DELETE CASCADE,
    level1_owner       text NOT NULL,
    episode_opened_at  timestamptz NOT NULL,    -- the item's opened_at when carried: a reopened item is new again
    first_sent_at      timestamptz NOT NULL,
    last_sent_at       timestamptz NOT NULL,
    times_sent         integer NOT NULL DEFAULT 1
);
