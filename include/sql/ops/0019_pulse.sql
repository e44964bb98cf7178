-- The data's pulse: the verdicts of the calendar-aware detectors (volume against comparable days,
-- freshness in working days, changes to closed periods). One row per table, business date, category
-- and subject, normal or not, so the report and the console can chart a table's volume against its
-- expected band and list the findings. Re-judging a business date replaces its rows.
CREATE TABLE ops.pulse_verdict (
    verdict_id         bigserial PRIMARY KEY,
    run_id             text NOT NULL,
    business_date      date NOT NULL,
    table_name         text NOT NULL,        -- inventory name: ods.<table_name>
    category           text NOT NULL CHECK (category IN ('volume', 'freshness', 'integrity', 'drift')),
    subject            text NOT NULL,        -- volume: the metric; freshness: newest_activity; integrity: record[/line] id
    day_class          text CHECK (day_class IN ('working', 'close_window', 'non_working')),
    observed           numeric,              -- volume: rows; freshness: idle working days
    expected           numeric,              -- volume: median of the comparable days
    band_low           numeric,
    band_high          numeric,
    comparable_days    integer NOT NULL DEFAULT 0,
    finding            text,                 -- smartops.pulse.model.FindingKind; NULL: normal or not judged
    severity           text,                 -- integrity's own; NULL: the table's severity applies
    estimated_calendar boolean NOT NULL DEFAULT false,   -- judged on a year the calendar only estimates
    reason_zh          text NOT NULL,
    reason_en          text NOT NULL,
    evidence           jsonb NOT NULL DEFAULT '{}'::jsonb,
    judged_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (business_date, table_name, category, subject)
);
CREATE INDEX pulse_verdict_table ON ops.pulse_verdict (table_name, category, business_date);
CREATE INDEX pulse_verdict_findings ON ops.pulse_verdict (business_date) WHERE finding IS NOT NULL;
