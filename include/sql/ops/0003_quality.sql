-- Data quality (quality_scan): every check result, Soda's and the backflow reconciliation's,
-- in one table, so one query shows all quality evidence for a business date.
CREATE TABLE ops.quality_result (
    result_id          bigserial PRIMARY KEY,
    scan_id            uuid NOT NULL,           -- one quality_scan task run
    run_id             text NOT NULL,           -- Airflow run id (or the caller's)
    business_date      date NOT NULL,
    source             text NOT NULL CHECK (source IN ('soda', 'reconciliation')),
    table_name         text NOT NULL,           -- <layer>.<table>, e.g. ods.expense_claim
    column_name        text,
    check_name         text NOT NULL,           -- unique per table; 'scan' = the scan of the check file itself
    outcome            text NOT NULL CHECK (outcome IN ('pass', 'warn', 'fail', 'error')),
    severity           text NOT NULL,           -- critical | high | medium | low (the table's, at scan time)
    blocking           boolean NOT NULL,        -- would a `fail` here stop the run?
    measured_value     numeric,
    threshold          text,
    failed_rows_sample jsonb,                   -- up to a few failing rows, as column: value objects
    message            text,
    check_file         text,                    -- include/soda/<layer>/<table>.yml
    reconciliation_id  bigint UNIQUE REFERENCES ops.reconciliation (reconciliation_id),
    checked_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quality_result_latest ON ops.quality_result (business_date, table_name, check_name, checked_at DESC);
CREATE INDEX quality_result_scan ON ops.quality_result (scan_id);

-- The latest result of every check per business date: what the quality gate reads.
CREATE VIEW ops.quality_latest AS
SELECT DISTINCT ON (business_date, table_name, check_name) *
FROM ops.quality_result
ORDER BY business_date, table_name, check_name, checked_at DESC, result_id DESC;
