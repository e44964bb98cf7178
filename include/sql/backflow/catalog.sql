-- Columns of one table (or view) in attribute order, with their exact types.
-- A type that exists only at Level-1 is written as one ods can hold: an enum as text (COPY's text form
-- is its label), a domain as its base type.
-- name: table_columns
SELECT a.attname,
       CASE t.typtype WHEN 'e' THEN 'text'
                      WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                      ELSE format_type(a.atttypid, a.atttypmod) END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
WHERE n.nspname = %(schema)s AND c.relname = %(table)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
