-- The inventory's live health (backflow_sync's check_inventory task, or `python -m smartops inventory check`
-- with --record): one row per entry per check run, its worst status and every finding with its reason.
CREATE TABLE ops.inventory_health (
    health_id          bigserial PRIMARY KEY,
    run_id             text NOT NULL,
    table_name         text NOT NULL,          -- the inventory entry
    source             text NOT NULL,          -- its Level-1 table
    status             text NOT NULL CHECK (status IN ('green', 'amber', 'red')),
    findings           jsonb NOT NULL,         -- [{check, status, reason, category}]
    checked_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_health_latest ON ops.inventory_health (table_name, checked_at DESC);
