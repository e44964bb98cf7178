-- Incremental aggregation: each build records how it was made and what it changed.

-- mode: full | incremental; reason: why a full build was chosen (or 'changes since the last build');
-- sql_hash: the model's SQL and its upstream models' SQL, so a changed model rebuilds in full;
-- master_hash: the content of the ods master data the model denormalises (full-load tables are
-- reloaded every run, so their _loaded_at says nothing), so changed master data rebuilds in full.
ALTER TABLE ops.model_run
    ADD COLUMN mode        text,
    ADD COLUMN reason      text,
    ADD COLUMN sql_hash    text,
    ADD COLUMN master_hash text;
CREATE INDEX model_run_model_success ON ops.model_run (model, model_run_id DESC) WHERE status = 'success';

-- The rows an incremental build removed (old values) and wrote (new values): downstream
-- incremental models read them to find the keys they must recompute. Kept for a while, then pruned.
CREATE TABLE ops.model_delta (
    model_run_id  bigint NOT NULL REFERENCES ops.model_run ON DELETE CASCADE,
    model         text NOT NULL,
    row_data      jsonb NOT NULL
);
CREATE INDEX model_delta_model_run ON ops.model_delta (model, model_run_id);
