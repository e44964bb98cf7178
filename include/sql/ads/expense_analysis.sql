-- 费用分析 Expense analysis: recognised expenses (dws.expense_monthly: approved + paid claims) per
-- organisation × department × category × month, next to the current budget of the category's
-- account (param category_accounts maps category -> account code).
--   avg_amount     = amount / claim_count (NULL without claims)
--   execution_rate = amount / budget_amount (NULL when the budget is missing or 0)
--   mom_change / yoy_change = (amount - previous) / previous, for the previous month / the same
--                    month a year earlier (NULL when the previous amount is missing or 0)
-- Cells with a budget but no claims are kept (amount 0), so under-spending shows.

-- name: expense_analysis
WITH category_account AS (
    SELECT key AS category, value AS account_code FROM jsonb_each_text(%(category_accounts)s::jsonb)
),
budget AS (
    SELECT b.org_id, b.department, c.category, b.period AS month, sum(b.budget_amount) AS budget_amount
    FROM dwd.budget b
    JOIN category_account c ON c.account_code = b.account_code
    WHERE b.is_current AND b.period <= to_char(%(business_date)s::date, 'YYYY-MM')
    GROUP BY b.org_id, b.department, c.category, b.period
),
cells AS (
    SELECT org_id, department, category, month FROM dws.expense_monthly
    UNION
    SELECT org_id, department, category, month FROM budget
)
SELECT k.org_id, o.org_name, k.department, k.category, k.month,
       coalesce(e.claim_count, 0) AS claim_count, coalesce(e.amount, 0.00) AS amount,
       CASE WHEN e.claim_count > 0 THEN round(e.amount / e.claim_count, 2) END AS avg_amount,
       b.budget_amount,
       CASE WHEN b.budget_amount > 0 THEN round(coalesce(e.amount, 0.00) / b.budget_amount, 4) END AS execution_rate,
       p.amount AS prev_month_amount,
       CASE WHEN p.amount > 0 THEN round((coalesce(e.amount, 0.00) - p.amount) / p.amount, 4) END AS mom_change,
       y.amount AS prev_year_amount,
       CASE WHEN y.amount > 0 THEN round((coalesce(e.amount, 0.00) - y.amount) / y.amount, 4) END AS yoy_change,
       %(business_date)s::date AS as_of_date
FROM cells k
LEFT JOIN dws.expense_monthly e
       ON e.org_id = k.org_id AND e.department = k.department AND e.category = k.category AND e.month = k.month
LEFT JOIN budget b
       ON b.org_id = k.org_id AND b.department = k.department AND b.category = k.category AND b.month = k.month
LEFT JOIN dws.expense_monthly p
       ON p.org_id = k.org_id AND p.department = k.department AND p.category = k.category
      AND p.month = to_char(to_date(k.month, 'YYYY-MM') - interval '1 month', 'YYYY-MM')
LEFT JOIN dws.expense_monthly y
       ON y.org_id = k.org_id AND y.department = k.department AND y.category = k.category
      AND y.month = to_char(to_date(k.month, 'YYYY-MM') - interval '1 year', 'YYYY-MM')
LEFT JOIN dwd.org_unit o ON o.org_id = k.org_id
