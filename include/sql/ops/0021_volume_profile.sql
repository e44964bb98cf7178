-- The cold-start profile of the pulse's volume detector: a table's rows per activity date (voucher_date,
-- claim_date …) before the product's own syncs began, counted once from ods and kept, so the history a
-- detector compares with never changes under a replay.
CREATE TABLE ops.volume_profile (
    table_name     text NOT NULL,
    business_date  date NOT NULL,
    rows_inserted  bigint NOT NULL,
    profiled_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, business_date)
);
