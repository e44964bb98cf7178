-- The pulse verdicts (ops.pulse_verdict): written per table, business date and category, read back
-- by the report and the console.

-- name: delete_verdicts
DELETE FROM ops.pulse_verdict
WHERE business_date = %(business_date)s AND table_name = %(table)s AND category = %(category)s

-- name: copy_verdicts
-- The columns in VERDICT_COLUMNS' order (smartops.pulse.store), streamed after delete_verdicts cleared the slot.
COPY ops.pulse_verdict (run_id, business_date, table_name, category, subject, day_class, observed, expected,
    band_low, band_high, comparable_days, finding, severity, estimated_calendar, reason_zh, reason_en, evidence)
FROM STDIN

-- name: volume_band
-- One table's volume against its band, per business date: what the console's chart draws.
SELECT business_date, subject AS metric, day_class, observed, expected, band_low, band_high, finding,
       estimated_calendar
FROM ops.pulse_verdict
WHERE table_name = %(table)s AND category = 'volume' AND business_date BETWEEN %(first)s AND %(last)s
ORDER BY subject, business_date

-- name: findings_of_day
-- Every finding of a business date, most severe category first: what the report lists.
SELECT table_name, category, subject, finding, severity, estimated_calendar, reason_zh, reason_en, evidence
FROM ops.pulse_verdict
WHERE business_date = %(business_date)s AND finding IS NOT NULL
ORDER BY CASE category WHEN 'integrity' THEN 0 WHEN 'volume' THEN 1 ELSE 2 END, table_name, subject
