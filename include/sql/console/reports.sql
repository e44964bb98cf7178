-- The console's Reports pages: the daily reports stored by operations_report.

-- name: list
SELECT report_date, language, generated_at, run_id, figures -> 'headline' AS headline
FROM ops.operations_report ORDER BY report_date DESC, language LIMIT %(limit)s

-- name: of_date
SELECT report_date, language, generated_at, run_id, figures, markdown, html
FROM ops.operations_report WHERE report_date = %(day)s ORDER BY language
