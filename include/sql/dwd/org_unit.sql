-- dwd.org_unit: the organisation hierarchy (组织机构) with parent name and level-2 unit.
-- Cleaning rules:
--   * org_id / parent_org_id / org_code: btrim + upper-case (the conformed key every fact joins on);
--   * rows deleted at Level-1 are left out (dwd.reject lists them as `source_deleted`);
--   * level2_org_id: the ancestor-or-self at org_level 2 (二级单位); the level-1 root (group HQ)
--     is its own level-2 unit so its documents are never lost from level-2 roll-ups;
--   * status mapped through dwd.status_map (unknown codes are kept with their raw code —
--     master data is never rejected, so the hierarchy stays complete).
WITH RECURSIVE org AS (
    SELECT upper(btrim(org_id)) AS org_id, upper(btrim(org_code)) AS org_code, btrim(org_name) AS org_name,
           upper(btrim(parent_org_id)) AS parent_org_id, org_level, btrim(region) AS region,
           lower(btrim(status)) AS status
    FROM ods.org_unit
    WHERE _deleted_at IS NULL
),
chain AS (
    SELECT org_id, org_id AS ancestor_id, 0 AS depth FROM org
    UNION ALL
    SELECT c.org_id, p.parent_org_id, c.depth + 1
    FROM chain c
    JOIN org p ON p.org_id = c.ancestor_id
    WHERE p.parent_org_id IS NOT NULL AND c.depth < 20
),
level2 AS (
    SELECT DISTINCT ON (c.org_id) c.org_id, a.org_id AS level2_org_id, a.org_name AS level2_org_name
    FROM chain c
    JOIN org a ON a.org_id = c.ancestor_id
    WHERE a.org_level <= 2
    ORDER BY c.org_id, a.org_level DESC
)
SELECT o.org_id, o.org_code, o.org_name, o.parent_org_id, p.org_name AS parent_org_name,
       o.org_level::smallint AS org_level, l.level2_org_id, l.level2_org_name, o.region,
       coalesce(s.status, o.status) AS status, s.status_label
FROM org o
LEFT JOIN org p ON p.org_id = o.parent_org_id
LEFT JOIN level2 l ON l.org_id = o.org_id
LEFT JOIN dwd.status_map s ON s.domain = 'org_unit' AND s.source_status = o.status
