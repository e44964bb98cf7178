-- What each scan of each table read: the whole table, or the rows its build changed since a clean
-- scan of an earlier build (the whole table again on the policy's full_scan cadence).
CREATE TABLE ops.quality_scan_scope (
    scan_id          uuid NOT NULL,
    table_name       text NOT NULL,
    business_date    date NOT NULL,
    build_id         text NOT NULL,                      -- the build the scan checked (ops.quality_scan_build)
    scope            text NOT NULL CHECK (scope IN ('table', 'changes')),
    base_build_id    text,                               -- changes: the earlier build whose clean scan this one extends
    rows_checked     bigint,                             -- changes: the changed rows the row checks read
    check_file_hash  text NOT NULL,                      -- a changed check file scans the whole table
    reason           text NOT NULL,
    scanned_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scan_id, table_name)
);
CREATE INDEX quality_scan_scope_table ON ops.quality_scan_scope (table_name, scanned_at DESC);
