-- dws.bank_cash_flow_daily incremental scope: a day's closing balance carries every earlier flow of
-- its account, so an account is recomputed from the first day whose flows changed — the earliest
-- day of its transactions the dwd.bank_transaction builds since removed or wrote (ops.model_delta),
-- or the first new day (previous, business] — through the business date. A change of the bank
-- accounts themselves (opening balance, organisation, a new account) rebuilds in full.
-- name: keys
WITH changed AS (
    SELECT (row_data ->> 'bank_account_id')::bigint AS bank_account_id, (row_data ->> 'txn_date')::date AS day
    FROM ops.model_delta
    WHERE model = 'dwd.bank_transaction' AND model_run_id > %(since_run)s
    UNION ALL
    SELECT bank_account_id, %(previous_date)s::date + 1 FROM dwd.bank_account
),
start AS (
    SELECT bank_account_id, min(day) AS day FROM changed WHERE bank_account_id IS NOT NULL GROUP BY bank_account_id
)
SELECT s.bank_account_id, d::date AS day
FROM start s
CROSS JOIN LATERAL generate_series(s.day, %(business_date)s::date, interval '1 day') AS d

-- name: select
-- The scope's days, built on the balance of the day before them (kept in the table): the same rows
-- as include/sql/dws/bank_cash_flow_daily.sql gives for them. An account without that day (its
-- first day changed) is recomputed from its first day, as the full build does.
WITH scope AS (
    SELECT bank_account_id, min(day) AS start_day FROM pg_temp.model_scope GROUP BY bank_account_id
),
account AS (
    SELECT b.bank_account_id, b.org_id, p.closing_balance AS prior_closing, b.opening_balance,
           coalesce(p.day + 1, least(b.opening_date, (SELECT min(t.txn_date) FROM dwd.bank_transaction t
                                                      WHERE t.bank_account_id = b.bank_account_id))) AS first_day
    FROM scope s
    JOIN dwd.bank_account b ON b.bank_account_id = s.bank_account_id
    LEFT JOIN dws.bank_cash_flow_daily p ON p.bank_account_id = s.bank_account_id AND p.day = s.start_day - 1
),
flows AS (
    SELECT t.bank_account_id, t.txn_date AS day,
           sum(t.amount) FILTER (WHERE t.direction = 'in') AS inflow,
           sum(t.amount) FILTER (WHERE t.direction = 'out') AS outflow
    FROM account a
    JOIN dwd.bank_transaction t ON t.bank_account_id = a.bank_account_id AND t.txn_date >= a.first_day
    GROUP BY t.bank_account_id, t.txn_date
),
daily AS (
    SELECT a.bank_account_id, a.org_id, coalesce(a.prior_closing, a.opening_balance) AS balance_before,
           a.first_day + n AS day, coalesce(f.inflow, 0.00) AS inflow, coalesce(f.outflow, 0.00) AS outflow,
           coalesce(f.inflow, 0.00) - coalesce(f.outflow, 0.00) AS net
    FROM account a
    CROSS JOIN LATERAL generate_series(0, %(business_date)s::date - a.first_day) AS n
    LEFT JOIN flows f ON f.bank_account_id = a.bank_account_id AND f.day = a.first_day + n
)
SELECT bank_account_id, org_id, day, inflow, outflow, net,
       closing_balance - net AS opening_balance, closing_balance
FROM (
    SELECT *, balance_before + sum(net) OVER (PARTITION BY bank_account_id ORDER BY day) AS closing_balance
    FROM daily
) balances
