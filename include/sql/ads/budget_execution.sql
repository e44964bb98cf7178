-- 预算执行 Budget execution: per organisation × account × period up to the business date, the
-- current budget (dwd.budget is_current, summed over departments) against the actual ledger
-- movement (dws.gl_balance: net for debit-side accounts, -net for credit-side ones), for every
-- account that has a budget anywhere.
--   execution_rate   = actual / budget (NULL when the budget is 0 or missing)
--   over_budget      = actual > budget (a missing budget counts as 0)
--   remaining_budget = budget - actual

-- name: budget_execution
WITH budget AS (
    SELECT org_id, account_code, period, sum(budget_amount) AS budget_amount
    FROM dwd.budget
    WHERE is_current AND period <= to_char(%(business_date)s::date, 'YYYY-MM')
    GROUP BY org_id, account_code, period
),
actual AS (
    SELECT g.org_id, g.account_code, g.period,
           CASE a.balance_direction WHEN 'credit' THEN -g.net ELSE g.net END AS actual_amount
    FROM dws.gl_balance g
    JOIN dwd.account a ON a.account_code = g.account_code
    WHERE g.account_code IN (SELECT account_code FROM budget)
),
cells AS (
    SELECT org_id, account_code, period FROM budget
    UNION
    SELECT org_id, account_code, period FROM actual
)
SELECT c.org_id, o.org_name, c.account_code, a.account_name, c.period,
       coalesce(b.budget_amount, 0.00) AS budget_amount, coalesce(x.actual_amount, 0.00) AS actual_amount,
       CASE WHEN b.budget_amount > 0 THEN round(coalesce(x.actual_amount, 0.00) / b.budget_amount, 4) END
           AS execution_rate,
       coalesce(x.actual_amount, 0.00) > coalesce(b.budget_amount, 0.00) AS over_budget,
       coalesce(b.budget_amount, 0.00) - coalesce(x.actual_amount, 0.00) AS remaining_budget,
       %(business_date)s::date AS as_of_date
FROM cells c
LEFT JOIN budget b ON b.org_id = c.org_id AND b.account_code = c.account_code AND b.period = c.period
LEFT JOIN actual x ON x.org_id = c.org_id AND x.account_code = c.account_code AND x.period = c.period
LEFT JOIN dwd.account a ON a.account_code = c.account_code
LEFT JOIN dwd.org_unit o ON o.org_id = c.org_id
