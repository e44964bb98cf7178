-- The change-column indexes of an incremental ods table (ops.index_change_columns, migration 0030).
-- name: create_change_indexes
SELECT ops.index_change_columns(%(table)s)
