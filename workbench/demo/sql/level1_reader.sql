-- The read-only role the level1_source connection uses on the demo Level-1 database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'level1_reader') THEN
        CREATE ROLE level1_reader LOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA l1 TO level1_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA l1 TO level1_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA l1 GRANT SELECT ON TABLES TO level1_reader;
ALTER ROLE level1_reader SET default_transaction_read_only = on;
