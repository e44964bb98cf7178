-- dws.bank_cash_flow_daily: daily cash flow (资金日流量) per bank account, one row for every day
-- from the account's first day (opening date or first transaction, whichever is earlier) to the
-- business date, so balances can be read for any day.
--   inflow / outflow: sums of 'in' / 'out' transactions of that Shanghai day (0 on quiet days);
--   closing_balance = bank_account.opening_balance + all flows up to and including the day;
--   opening_balance = closing_balance - net.
WITH flows AS (
    SELECT bank_account_id, txn_date AS day,
           sum(amount) FILTER (WHERE direction = 'in') AS inflow,
           sum(amount) FILTER (WHERE direction = 'out') AS outflow
    FROM dwd.bank_transaction
    GROUP BY bank_account_id, txn_date
),
days AS (
    SELECT a.bank_account_id, a.org_id, a.opening_balance, a.first_day + n AS day
    FROM (
        SELECT b.bank_account_id, b.org_id, b.opening_balance, least(b.opening_date, f.first_day) AS first_day
        FROM dwd.bank_account b
        LEFT JOIN (SELECT bank_account_id, min(day) AS first_day FROM flows GROUP BY bank_account_id) f
               ON f.bank_account_id = b.bank_account_id
    ) a
    CROSS JOIN LATERAL generate_series(0, %(business_date)s::date - a.first_day) AS n
),
daily AS (
    SELECT d.bank_account_id, d.org_id, d.day, d.opening_balance AS account_opening_balance,
           coalesce(f.inflow, 0.00) AS inflow, coalesce(f.outflow, 0.00) AS outflow,
           coalesce(f.inflow, 0.00) - coalesce(f.outflow, 0.00) AS net
    FROM days d
    LEFT JOIN flows f ON f.bank_account_id = d.bank_account_id AND f.day = d.day
)
SELECT bank_account_id, org_id, day, inflow, outflow, net,
       closing_balance - net AS opening_balance, closing_balance
FROM (
    SELECT *, account_opening_balance
              + sum(net) OVER (PARTITION BY bank_account_id ORDER BY day) AS closing_balance
    FROM daily
) balances
