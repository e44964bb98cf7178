-- The quality gate over builds: the current build of each table and the latest results of the
-- scans that checked exactly that build.

-- name: current_builds
SELECT t.table_name, coalesce(b.build_id, l.build_id, 'unbuilt') AS build_id,
       coalesce(b.built_for, l.built_for) AS built_for, coalesce(b.built_at, l.built_at) AS built_at
FROM unnest(%(tables)s::text[]) AS t(table_name)
LEFT JOIN ops.table_build b USING (table_name)
LEFT JOIN ops.table_load l USING (table_name)

-- name: record_scan_builds
INSERT INTO ops.quality_scan_build (scan_id, table_name, build_id)
SELECT %(scan_id)s, table_name, build_id FROM unnest(%(tables)s::text[], %(builds)s::text[]) AS b(table_name, build_id)
ON CONFLICT DO NOTHING

-- name: results_of_current_builds
SELECT DISTINCT ON (r.table_name, r.check_name)
       r.table_name, r.check_name, r.outcome, r.measured_value, r.threshold, r.message, r.checked_at
FROM ops.quality_result r
JOIN ops.quality_scan_build s ON s.scan_id = r.scan_id AND s.table_name = r.table_name
WHERE s.table_name = ANY(%(tables)s) AND s.build_id = ANY(%(builds)s)
  AND (s.table_name, s.build_id) IN (SELECT * FROM unnest(%(tables)s::text[], %(builds)s::text[]))
ORDER BY r.table_name, r.check_name, r.checked_at DESC, r.result_id DESC
