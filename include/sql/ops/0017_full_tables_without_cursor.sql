-- Reference tables loaded in full (rates, code lists) need no cursor: their watermark is the load time.
ALTER TABLE ops.table_state ALTER COLUMN cursor_column DROP NOT NULL;
COMMENT ON COLUMN ops.table_state.watermark IS
    'incremental: the cursor value in the cursor column''s text form; full without cursor: the load time';
