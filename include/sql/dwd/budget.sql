-- dwd.budget: budget lines (预算) with account names.
-- Cleaning rules: rows in dwd.reject (empty org/account/amount, unknown org or account, negative
-- amount, deleted) left out; org_id btrim + upper-case, account_code btrim, period btrim;
-- is_current marks the highest version of each org × department × account × period (older
-- versions are kept for history, budget-execution marts read is_current).
SELECT b.budget_id, upper(btrim(b.org_id)) AS org_id, coalesce(nullif(btrim(b.department), ''), '未分配部门') AS department,
       a.account_code, a.account_name, a.level1_account_code, btrim(b.period) AS period, b.budget_amount,
       b.version,
       b.version = max(b.version) OVER (PARTITION BY upper(btrim(b.org_id)), coalesce(nullif(btrim(b.department), ''), '未分配部门'),
                                        a.account_code, btrim(b.period)) AS is_current
FROM ods.budget b
JOIN dwd.account a ON a.account_code = btrim(b.account_code)
WHERE b._deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM dwd.reject j WHERE j.source_table = 'budget' AND j.source_key = b.budget_id::text)
