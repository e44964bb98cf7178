-- Which rows a reconciliation verdict covers: 'table' (every row, both sides) or 'window' (the rows
-- whose cursor lies in the run's window). Runs before this migration reconciled the whole table.
ALTER TABLE ops.sync_ledger ADD COLUMN reconcile_scope text CHECK (reconcile_scope IN ('table', 'window'));
UPDATE ops.sync_ledger SET reconcile_scope = 'table' WHERE status <> 'failed';
ALTER TABLE ops.reconciliation ADD COLUMN scope text NOT NULL DEFAULT 'table'
    CHECK (scope IN ('table', 'window'));
-- full_reconcile cadence: the latest whole-table verdict of a table, and the runs since.
CREATE INDEX sync_ledger_table_scope ON ops.sync_ledger (table_name, reconcile_scope, started_at DESC);
