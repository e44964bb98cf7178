-- The last known good copy of each validated config file. Alerting falls back to it when the
-- file in the repository is broken, so a typo never blinds the alerts (and is itself alerted).
CREATE TABLE ops.config_snapshot (
    name               text PRIMARY KEY,     -- the file's name, e.g. alerting.yaml
    content            text NOT NULL,        -- the file as validated
    checksum           text NOT NULL,        -- sha256 of content
    validated_at       timestamptz NOT NULL DEFAULT now()
);
