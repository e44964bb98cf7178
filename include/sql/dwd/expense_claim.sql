-- dwd.expense_claim: expense claims (费用报销) with organisation and conformed status.
-- Cleaning rules:
--   * voided claims left out (status_map in_facts = false); claims dated after the business date
--     left out; rows in dwd.reject (empty org or amount, unknown org, negative amount, currency
--     other than CNY after standardisation, unknown status, deleted at Level-1) left out;
--   * currency via dwd.std_currency ('RMB' -> 'CNY'); org_id btrim + upper-case;
--   * category lower(btrim); empty category -> 'uncategorized', empty department -> '未分配部门';
--   * month = claim_date as 'YYYY-MM'.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT c.claim_id, btrim(c.claim_no) AS claim_no, o.org_id, o.org_name, o.level2_org_id,
       coalesce(nullif(btrim(c.department), ''), '未分配部门') AS department,
       btrim(c.employee_name) AS employee_name,
       coalesce(nullif(lower(btrim(c.category)), ''), 'uncategorized') AS category,
       c.amount, dwd.std_currency(c.currency) AS currency, c.claim_date,
       to_char(c.claim_date, 'YYYY-MM') AS month, s.status, s.status_label
FROM ods.expense_claim c
JOIN dwd.status_map s ON s.domain = 'expense_claim' AND s.source_status = lower(btrim(c.status)) AND s.in_facts
JOIN dwd.org_unit o ON o.org_id = upper(btrim(c.org_id))
WHERE {scope} AND c._deleted_at IS NULL AND c.claim_date <= %(business_date)s::date
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                  WHERE r.source_table = 'expense_claim' AND r.source_key = c.claim_id::text)
