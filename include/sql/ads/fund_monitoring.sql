-- 资金监控 Fund monitoring: per bank account × day (the last history_days days up to the business
-- date) opening / closing balance, inflow and outflow from dws.bank_cash_flow_daily, plus:
--   large_txn_count / large_txn_amount: transactions of the day above large_transaction_threshold;
--   balance_floor: the account's own floor (bank_account.balance_floor), else default_balance_floor;
--   below_floor:   closing_balance < balance_floor.

-- name: fund_monitoring
WITH large AS (
    SELECT bank_account_id, txn_date AS day, count(*) AS large_txn_count, sum(amount) AS large_txn_amount
    FROM dwd.bank_transaction
    WHERE amount > %(large_transaction_threshold)s::numeric
      AND txn_date > %(business_date)s::date - %(history_days)s::int
    GROUP BY bank_account_id, txn_date
)
SELECT f.bank_account_id, a.bank_name, a.account_no, f.org_id, a.org_name, f.day,
       f.opening_balance, f.inflow, f.outflow, f.net, f.closing_balance,
       coalesce(l.large_txn_count, 0) AS large_txn_count, coalesce(l.large_txn_amount, 0.00) AS large_txn_amount,
       coalesce(a.balance_floor, %(default_balance_floor)s::numeric) AS balance_floor,
       f.closing_balance < coalesce(a.balance_floor, %(default_balance_floor)s::numeric) AS below_floor
FROM dws.bank_cash_flow_daily f
JOIN dwd.bank_account a ON a.bank_account_id = f.bank_account_id
LEFT JOIN large l ON l.bank_account_id = f.bank_account_id AND l.day = f.day
WHERE f.day > %(business_date)s::date - %(history_days)s::int AND f.day <= %(business_date)s::date
