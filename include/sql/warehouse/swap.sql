-- Constraints of a just-swapped table still named after its staged name (`<staged>_pkey`).
-- name: staged_constraints
SELECT con.conname
FROM pg_constraint con
JOIN pg_class rel ON rel.oid = con.conrelid
JOIN pg_namespace nsp ON nsp.oid = rel.relnamespace
WHERE nsp.nspname = %(schema)s AND rel.relname = %(table)s
  AND left(con.conname, length(%(prefix)s)) = %(prefix)s
ORDER BY con.conname
