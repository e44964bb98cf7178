-- dws.ar_customer_balance: receivable balance (客户应收余额) per customer × organisation as of the
-- business date, from dwd.ar_invoice: invoiced = total incl. tax, received = receipts applied,
-- outstanding = invoiced - received, overdue_amount = outstanding on invoices past their due date.
SELECT customer_id, org_id, count(*) AS invoice_count, sum(total_amount) AS invoiced,
       sum(received_amount) AS received, sum(outstanding_amount) AS outstanding,
       coalesce(sum(outstanding_amount) FILTER (WHERE days_past_due > 0), 0.00) AS overdue_amount,
       max(days_past_due) AS max_days_past_due
FROM dwd.ar_invoice
GROUP BY customer_id, org_id
