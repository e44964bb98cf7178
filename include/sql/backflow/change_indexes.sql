-- The change-column indexes of an incremental ods table (ops.index_change_columns, migration 0030),
-- `_loaded_at` for the rows loaded after this transaction's own (the full load's) now().
-- name: create_change_indexes
SELECT ops.index_change_columns(%(table)s, now())
