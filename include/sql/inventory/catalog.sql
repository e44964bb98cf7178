-- Statements of smartops.inventory: what Level-1's catalog says about one table. Every statement
-- reads pg_catalog only (readable by any role), so they work before the SELECT grant exists.

-- name: table
-- The table (or partitioned table) by exact schema and name: its oid, the planner's row estimate
-- (-1 when never analyzed), comment, grants of the current role, rows deleted since the
-- statistics were reset, and whether a BEFORE UPDATE row trigger exists (it may bump a cursor).
SELECT c.oid, c.reltuples::bigint AS reltuples, coalesce(obj_description(c.oid, 'pg_class'), '') AS comment,
       has_schema_privilege(n.oid, 'USAGE') AS schema_usage, has_table_privilege(c.oid, 'SELECT') AS can_select,
       current_user AS role, coalesce(s.n_tup_del, 0) AS deleted_rows,
       EXISTS (SELECT 1 FROM pg_trigger t
               WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                 AND t.tgtype::int & (1 | 2 | 16) = (1 | 2 | 16)) AS update_trigger
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE n.nspname = %(schema)s AND c.relname = %(table)s AND c.relkind IN ('r', 'p')

-- name: tables_in_schema
-- The other tables of the schema, for the message when a name is not found.
SELECT c.relname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')
ORDER BY c.relname
LIMIT 50

-- name: columns
-- Columns in attribute order: exact type, its base type name, NOT NULL, and whether the value comes
-- from a sequence or an identity (an increasing id).
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, t.typname AS base_type, a.attnotnull,
       a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%%' AS generated_id
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %(oid)s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum

-- name: indexes
-- Valid indexes on plain columns: name, primary / unique, partial, and the columns in index order
-- (NULL for an expression).
SELECT ic.relname AS name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
       i.indpred IS NOT NULL AS partial,
       array_agg(a.attname ORDER BY k.ord) AS columns
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
WHERE i.indrelid = %(oid)s AND i.indisvalid AND k.ord <= i.indnkeyatts
GROUP BY ic.relname, i.indisprimary, i.indisunique, i.indpred
ORDER BY NOT i.indisprimary, ic.relname

-- name: commit_timestamps
-- Whether the server records commit times (track_commit_timestamp), the only way to measure how
-- long after its cursor value a row becomes visible.
SELECT current_setting('track_commit_timestamp') = 'on'
