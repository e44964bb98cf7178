-- Warehouse layers and the operations record that backflow_sync writes.
CREATE SCHEMA IF NOT EXISTS ods;
CREATE SCHEMA IF NOT EXISTS dwd;
CREATE SCHEMA IF NOT EXISTS dws;
CREATE SCHEMA IF NOT EXISTS ads;
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per inventory table: where its incremental cursor stands.
CREATE TABLE ops.table_state (
    table_name        text PRIMARY KEY,
    cursor_column     text NOT NULL,
    watermark         text,                 -- cursor value, in the cursor column's text form
    last_run_id       text,
    last_status       text NOT NULL,
    last_success_at   timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- The load ledger: one row per table per run, written in the load's own transaction.
CREATE TABLE ops.sync_ledger (
    ledger_id         bigserial PRIMARY KEY,
    run_id            text NOT NULL,
    table_name        text NOT NULL,
    mode              text NOT NULL,        -- incremental | full | initial
    window_start      text,
    window_end        text,
    watermark_before  text,
    watermark_after   text,
    rows_read         bigint NOT NULL DEFAULT 0,
    rows_inserted     bigint NOT NULL DEFAULT 0,
    rows_updated      bigint NOT NULL DEFAULT 0,
    rows_deleted      bigint NOT NULL DEFAULT 0,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    duration_s        double precision NOT NULL,
    rows_per_second   double precision,
    status            text NOT NULL,        -- success | failed
    error             text
);
CREATE INDEX sync_ledger_table_started ON ops.sync_ledger (table_name, started_at DESC);
CREATE INDEX sync_ledger_run ON ops.sync_ledger (run_id);

-- Every column difference seen between Level-1 and ods, and what was done about it.
CREATE TABLE ops.schema_change (
    change_id         bigserial PRIMARY KEY,
    run_id            text NOT NULL,
    table_name        text NOT NULL,
    column_name       text NOT NULL,
    change            text NOT NULL,        -- added | dropped | retyped
    source_type       text,
    ods_type          text,
    action            text NOT NULL,        -- applied | refused
    detected_at       timestamptz NOT NULL DEFAULT now()
);

-- Source <-> ods reconciliation after each load (row counts and amount sums).
CREATE TABLE ops.reconciliation (
    reconciliation_id bigserial PRIMARY KEY,
    run_id            text NOT NULL,
    table_name        text NOT NULL,
    metric            text NOT NULL,        -- row_count | sum(<column>)
    source_value      numeric,
    ods_value         numeric,
    matched           boolean NOT NULL,
    checked_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_table_checked ON ops.reconciliation (table_name, checked_at DESC);
