-- Alerting and the optimization backlog (持续优化): every alert event, the tracked item it
-- belongs to, each delivery attempt, every change to an item (audit), and the daily reports.

-- One row per problem (fingerprint = stage:object:check); counted while it recurs, closed when fixed.
CREATE TABLE ops.backlog_item (
    item_id            bigserial PRIMARY KEY,
    fingerprint        text NOT NULL UNIQUE,
    stage              text NOT NULL,
    object_name        text NOT NULL,
    check_name         text NOT NULL,
    category           text NOT NULL,       -- sync | drift | reconciliation | quality | scenario | freshness | platform
    owner              text,
    severity           text NOT NULL,       -- critical | high | medium | low
    title              text NOT NULL,
    details            text NOT NULL DEFAULT '',
    scenarios          text[] NOT NULL DEFAULT '{}',
    hint               text,
    status             text NOT NULL,       -- open | acknowledged | muted | resolved
    occurrences        integer NOT NULL DEFAULT 0,   -- in the current episode
    total_occurrences  integer NOT NULL DEFAULT 0,   -- over the item's life
    reopen_count       integer NOT NULL DEFAULT 0,
    first_seen_at      timestamptz NOT NULL,
    opened_at          timestamptz NOT NULL,         -- start of the current episode
    last_seen_at       timestamptz NOT NULL,
    last_notified_at   timestamptz,
    escalated_at       timestamptz,
    muted_until        timestamptz,
    resolved_at        timestamptz,
    resolution         text,                -- auto | manual
    resolution_note    text,
    resolve_seconds    double precision,
    last_run_url       text
);
CREATE INDEX backlog_item_status ON ops.backlog_item (status, severity);

-- Every alert raised, notified or not.
CREATE TABLE ops.alert_event (
    event_id           bigserial PRIMARY KEY,
    item_id            bigint NOT NULL REFERENCES ops.backlog_item,
    fingerprint        text NOT NULL,
    category           text NOT NULL,
    severity           text NOT NULL,
    is_warning         boolean NOT NULL DEFAULT false,
    title              text NOT NULL,
    details            text NOT NULL DEFAULT '',
    dag_id             text,
    run_id             text,
    task_id            text,
    run_url            text,
    raised_at          timestamptz NOT NULL DEFAULT now(),
    decision           text NOT NULL,       -- notify | escalate | suppressed_interval | acknowledged | muted | warning_quiet | no_route
    channels           text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_event_raised ON ops.alert_event (raised_at DESC);
CREATE INDEX alert_event_task ON ops.alert_event (dag_id, run_id, task_id);

-- One row per channel per notification: delivered or not, after how many attempts.
CREATE TABLE ops.alert_delivery (
    delivery_id        bigserial PRIMARY KEY,
    event_id           bigint NOT NULL REFERENCES ops.alert_event,
    channel            text NOT NULL,
    channel_type       text NOT NULL,
    delivered          boolean NOT NULL,
    attempts           integer NOT NULL,
    error              text,
    attempted_at       timestamptz NOT NULL DEFAULT now()
);

-- Who changed which item, when and why (automatic changes carry actor 'smartops').
CREATE TABLE ops.backlog_audit (
    audit_id           bigserial PRIMARY KEY,
    item_id            bigint NOT NULL REFERENCES ops.backlog_item,
    action             text NOT NULL,       -- opened | recurred | reopened | escalated | acknowledged | muted | resolved | auto_resolved
    actor              text NOT NULL,
    note               text,
    status_before      text,
    status_after       text NOT NULL,
    resolve_seconds    double precision,
    at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backlog_audit_item ON ops.backlog_audit (item_id, at);
CREATE INDEX backlog_audit_at ON ops.backlog_audit (at);

-- The daily operations report, one per business date and language; re-running replaces it.
CREATE TABLE ops.operations_report (
    report_date        date NOT NULL,
    language           text NOT NULL,
    generated_at       timestamptz NOT NULL DEFAULT now(),
    run_id             text,
    figures            jsonb NOT NULL,
    markdown           text NOT NULL,
    html               text NOT NULL,
    html_path          text NOT NULL,
    deliveries         jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (report_date, language)
);
