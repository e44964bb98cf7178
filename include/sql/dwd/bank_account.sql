-- dwd.bank_account: cleaned bank accounts (银行账户) with their organisation.
-- Cleaning rules: org_id btrim + upper-case, currency standardised by dwd.std_currency (so 'RMB'
-- becomes CNY), status mapped through dwd.status_map; rows in dwd.reject left out.
SELECT b.bank_account_id, o.org_id, o.org_name, o.level2_org_id, btrim(b.bank_name) AS bank_name,
       btrim(b.account_no) AS account_no, dwd.std_currency(b.currency) AS currency, b.opening_balance,
       b.opening_date, b.balance_floor, s.status, s.status_label
FROM ods.bank_account b
JOIN dwd.org_unit o ON o.org_id = upper(btrim(b.org_id))
JOIN dwd.status_map s ON s.domain = 'bank_account' AND s.source_status = lower(btrim(b.status))
WHERE b._deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                  WHERE r.source_table = 'bank_account' AND r.source_key = b.bank_account_id::text)
