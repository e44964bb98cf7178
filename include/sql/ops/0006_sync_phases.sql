-- Where each sync's time goes: seconds per phase (copy, upsert, index, delete_detection, reconcile).
-- Mode values: incremental | full | initial | rebuild (a full reload forced by added columns).
ALTER TABLE ops.sync_ledger ADD COLUMN phases jsonb NOT NULL DEFAULT '{}'::jsonb;
