-- dwd.customer: cleaned customer master data (客户).
-- Cleaning rules: codes btrim + upper-case, names btrim, org_id btrim + upper-case; status mapped
-- through dwd.status_map; rows in dwd.reject (deleted at Level-1, empty name, unknown status) left out.
SELECT c.customer_id, upper(btrim(c.customer_code)) AS customer_code, btrim(c.customer_name) AS customer_name,
       upper(btrim(c.org_id)) AS org_id, btrim(c.industry) AS industry, c.credit_limit,
       s.status, s.status_label
FROM ods.customer c
JOIN dwd.status_map s ON s.domain = 'customer' AND s.source_status = lower(btrim(c.status))
WHERE c._deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r WHERE r.source_table = 'customer' AND r.source_key = c.customer_id::text)
