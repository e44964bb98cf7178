-- 应收账龄 Receivables aging: per customer × organisation (same grain and totals as
-- dws.ar_customer_balance), outstanding amount by days past due as of the business date
-- (dwd.ar_invoice.days_past_due, 0 when not yet due). The buckets add up to outstanding:
--   aging_0_30 (0–30 days, includes not yet due; current_amount is that not-yet-due part),
--   aging_31_90, aging_91_180, aging_181_365, aging_over_365.
-- overdue_ratio = overdue_amount / outstanding (NULL when nothing is outstanding);
-- overdue_rank ranks an organisation's customers by overdue amount (NULL when nothing is overdue);
-- is_top_overdue marks the top top_overdue_customers of each organisation.

-- name: receivables_aging
WITH per_customer AS (
    SELECT customer_id, org_id, max(customer_name) AS customer_name,
           count(*) FILTER (WHERE outstanding_amount <> 0) AS open_invoices,
           sum(outstanding_amount) AS outstanding,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due = 0), 0.00) AS current_amount,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due BETWEEN 0 AND 30), 0.00) AS aging_0_30,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due BETWEEN 31 AND 90), 0.00) AS aging_31_90,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due BETWEEN 91 AND 180), 0.00) AS aging_91_180,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due BETWEEN 181 AND 365), 0.00) AS aging_181_365,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due > 365), 0.00) AS aging_over_365,
           coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due > 0), 0.00) AS overdue_amount,
           max(days_past_due) AS max_days_past_due
    FROM dwd.ar_invoice
    GROUP BY customer_id, org_id
),
ranked AS (
    SELECT *, CASE WHEN overdue_amount > 0
                   THEN rank() OVER (PARTITION BY org_id, overdue_amount > 0 ORDER BY overdue_amount DESC, customer_id)
              END AS overdue_rank
    FROM per_customer
)
SELECT customer_id, customer_name, org_id, open_invoices, outstanding, current_amount,
       aging_0_30, aging_31_90, aging_91_180, aging_181_365, aging_over_365, overdue_amount,
       CASE WHEN outstanding > 0 THEN round(overdue_amount / outstanding, 4) END AS overdue_ratio,
       max_days_past_due, overdue_rank,
       coalesce(overdue_rank <= %(top_overdue_customers)s::int, false) AS is_top_overdue,
       %(business_date)s::date AS as_of_date
FROM ranked
