-- The migration bookkeeping of smartops.warehouse.migrate (the migrations are include/sql/ops/*.sql).

-- name: lock
SELECT pg_advisory_lock(%(key)s)

-- name: unlock
SELECT pg_advisory_unlock(%(key)s)

-- name: bootstrap
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.schema_migration (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())

-- name: applied
SELECT version, checksum FROM ops.schema_migration

-- name: record
INSERT INTO ops.schema_migration (version, name, checksum) VALUES (%(version)s, %(name)s, %(checksum)s)
