-- The inventory's live health (smartops.inventory.health).

-- name: record
INSERT INTO ops.inventory_health (run_id, table_name, source, status, findings)
VALUES (%(run_id)s, %(table_name)s, %(source)s, %(status)s, %(findings)s);

-- name: latest
-- Each entry's newest check (entries removed from the inventory are filtered by the caller).
SELECT DISTINCT ON (table_name) table_name, source, status, findings, checked_at, run_id
FROM ops.inventory_health
ORDER BY table_name, checked_at DESC, health_id DESC;
