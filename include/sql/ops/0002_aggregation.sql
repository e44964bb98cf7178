-- Aggregation (数据汇聚): the model run log and the shared cleaning function.

-- One row per model build: what was published for which business date, or why it failed.
CREATE TABLE ops.model_run (
    model_run_id      bigserial PRIMARY KEY,
    run_id            text NOT NULL,
    model             text NOT NULL,        -- dwd.<table> | dws.<table>
    business_date     date NOT NULL,
    status            text NOT NULL,        -- success | failed
    rows              bigint,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    duration_s        double precision NOT NULL,
    error             text
);
CREATE INDEX model_run_model_started ON ops.model_run (model, started_at DESC);
CREATE INDEX model_run_run ON ops.model_run (run_id);

-- Standardise a currency code: trim, upper-case, and map the synonyms of the functional
-- currency ('RMB', '人民币', 'cny ') to 'CNY'. Empty input gives NULL.
CREATE FUNCTION dwd.std_currency(raw text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE upper(btrim(raw))
           WHEN 'RMB' THEN 'CNY'
           WHEN '人民币' THEN 'CNY'
           ELSE nullif(upper(btrim(raw)), '')
       END;
