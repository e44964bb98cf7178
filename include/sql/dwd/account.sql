-- dwd.account: the chart of accounts (会计科目) with the level-1 account of each account.
-- Cleaning rules:
--   * account_code / parent_code: btrim (the conformed key voucher lines and budgets join on);
--   * account_type / balance_direction: lower(btrim(...));
--   * rows deleted at Level-1 are left out (dwd.reject lists them as `source_deleted`);
--   * level1_account_code: the root of the parent chain (一级科目); account_level counts from 1.
WITH RECURSIVE acct AS (
    SELECT btrim(account_code) AS account_code, btrim(account_name) AS account_name,
           lower(btrim(account_type)) AS account_type, nullif(btrim(parent_code), '') AS parent_code,
           lower(btrim(balance_direction)) AS balance_direction, is_leaf
    FROM ods.account
    WHERE _deleted_at IS NULL
),
chain AS (
    SELECT account_code, account_code AS root_code, parent_code, 1 AS account_level FROM acct
    UNION ALL
    SELECT c.account_code, p.account_code, p.parent_code, c.account_level + 1
    FROM chain c
    JOIN acct p ON p.account_code = c.parent_code
    WHERE c.account_level < 20
),
root AS (
    SELECT DISTINCT ON (account_code) account_code, root_code, account_level
    FROM chain
    ORDER BY account_code, account_level DESC
)
SELECT a.account_code, a.account_name, a.account_type, a.parent_code, a.balance_direction, a.is_leaf,
       r.account_level, r.root_code AS level1_account_code, l1.account_name AS level1_account_name
FROM acct a
JOIN root r ON r.account_code = a.account_code
JOIN acct l1 ON l1.account_code = r.root_code
