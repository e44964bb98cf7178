-- Last-known-good config files (ops.config_snapshot).

-- name: remember
INSERT INTO ops.config_snapshot (name, content, checksum) VALUES (%(name)s, %(content)s, %(checksum)s)
ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content, checksum = EXCLUDED.checksum, validated_at = now()
WHERE ops.config_snapshot.checksum <> EXCLUDED.checksum

-- name: recall
SELECT content, validated_at FROM ops.config_snapshot WHERE name = %(name)s
