-- The weekly and monthly operations review (运营周报 / 月报): one row per kind, period and language.
CREATE TABLE ops.operations_review (
    kind          text NOT NULL CHECK (kind IN ('week', 'month')),
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    language      text NOT NULL,
    run_id        text,
    figures       jsonb NOT NULL,
    markdown      text NOT NULL,
    html          text NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, period_start, language)
);
