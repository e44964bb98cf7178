-- The change columns of the ods tables indexed: the incremental aggregation scopes and the quality
-- scans of a build's changes find a day's rows by `_loaded_at` (loaded or changed since) and
-- `_deleted_at` (soft-deleted since) instead of scanning the table. `_loaded_at` is indexed only for
-- the rows loaded after `loaded_after` (the table's full load, when every row got the same value): a
-- full load builds an empty index instead of sorting a column of one value, and the index holds
-- exactly the rows changed since, which is what the scopes look for (a scope reaching further back
-- reads the table). Backflow indexes a table when it loads it in full (smartops.backflow.engine);
-- this gives the tables loaded before the same indexes, from now on.
CREATE FUNCTION ops.index_change_columns(ods_table text, loaded_after timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON ods.%I (_loaded_at) WHERE _loaded_at > %L',
                   ods_table || '_loaded_at', ods_table, loaded_after);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON ods.%I (_deleted_at) WHERE _deleted_at IS NOT NULL',
                   ods_table || '_deleted_at', ods_table);
END
$$;

SELECT ops.index_change_columns(c.relname, now())
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'ods' AND c.relkind = 'r' AND c.relname NOT LIKE '%\_\_loading'
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_loaded_at' AND NOT a.attisdropped)
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_deleted_at' AND NOT a.attisdropped);
