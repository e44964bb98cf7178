-- dws.expense_monthly: recognised expenses (费用月度汇总) per organisation × department × category
-- × month: claims with conformed status approved (已审批) or paid (已支付); pending and rejected
-- claims are not expenses yet. paid_amount is the part already paid out.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT org_id, department, category, month, count(*) AS claim_count, sum(amount) AS amount,
       coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0.00) AS paid_amount
FROM dwd.expense_claim
WHERE {scope} AND status IN ('approved', 'paid')
GROUP BY org_id, department, category, month
