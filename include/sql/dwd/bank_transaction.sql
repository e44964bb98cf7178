-- dwd.bank_transaction: bank transactions (银行流水) with their Shanghai business day.
-- Cleaning rules: transactions on days after the business date left out; rows in dwd.reject
-- (empty account or amount, unknown account, negative amount, direction not in/out, deleted) left
-- out; direction lower(btrim); txn_date = txn_time in Asia/Shanghai; signed_amount = +amount for
-- 'in', -amount for 'out'; org_id taken from the bank account when the transaction has none.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT t.txn_id, t.bank_account_id, coalesce(upper(btrim(t.org_id)), b.org_id) AS org_id, t.txn_time,
       (t.txn_time AT TIME ZONE 'Asia/Shanghai')::date AS txn_date, lower(btrim(t.direction)) AS direction,
       t.amount, CASE lower(btrim(t.direction)) WHEN 'in' THEN t.amount ELSE -t.amount END AS signed_amount,
       btrim(t.counterparty) AS counterparty, btrim(t.summary) AS summary,
       lower(btrim(t.ref_doc_type)) AS ref_doc_type, t.ref_doc_id
FROM ods.bank_transaction t
LEFT JOIN dwd.bank_account b ON b.bank_account_id = t.bank_account_id
WHERE {scope} AND t._deleted_at IS NULL AND (t.txn_time AT TIME ZONE 'Asia/Shanghai')::date <= %(business_date)s::date
  AND NOT EXISTS (SELECT 1 FROM dwd.reject j
                  WHERE j.source_table = 'bank_transaction' AND j.source_key = t.txn_id::text)
