-- The maintenance ledger: every retention step of the weekly `maintenance` DAG (or a manual run),
-- what it removed and up to when, so a missing month of history is never a mystery.
CREATE TABLE ops.maintenance_run (
    maintenance_id     bigserial PRIMARY KEY,
    run_id             text NOT NULL,           -- Airflow run id (or the caller's)
    step               text NOT NULL,           -- metadata | attempt_log | notifications | failed_row_samples | alert_events
    cutoff             timestamptz NOT NULL,    -- what was older than this was removed
    rows_affected      bigint,                  -- NULL when the step does not count (airflow db clean)
    outcome            text NOT NULL CHECK (outcome IN ('success', 'failed', 'dry_run')),
    detail             text,
    actor              text NOT NULL,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX maintenance_run_step ON ops.maintenance_run (step, finished_at DESC);
