-- dwd.ar_invoice: receivable invoices (应收发票) with what was received and what is overdue,
-- as of the business date.
-- Cleaning rules:
--   * voided invoices left out (status_map in_facts = false); invoices dated after the business
--     date left out; rows in dwd.reject left out; currency via dwd.std_currency;
--   * total_amount = amount + tax_amount (amount is net of tax; empty tax counts as 0);
--   * received_amount = sum of dwd.ar_receipt for the invoice (receipts up to the business date);
--   * outstanding_amount = total_amount - received_amount;
--   * days_past_due = business_date - due_date when something is outstanding and the due date has
--     passed, else 0.
WITH received AS (
    SELECT invoice_id, sum(amount) AS received_amount FROM dwd.ar_receipt GROUP BY invoice_id
)
SELECT i.invoice_id, btrim(i.invoice_no) AS invoice_no, upper(btrim(i.org_id)) AS org_id, i.customer_id,
       c.customer_name, i.contract_id, i.invoice_date, i.due_date, i.amount,
       coalesce(i.tax_amount, 0.00) AS tax_amount, i.amount + coalesce(i.tax_amount, 0.00) AS total_amount,
       dwd.std_currency(i.currency) AS currency, s.status, s.status_label,
       coalesce(r.received_amount, 0.00) AS received_amount,
       i.amount + coalesce(i.tax_amount, 0.00) - coalesce(r.received_amount, 0.00) AS outstanding_amount,
       CASE WHEN i.amount + coalesce(i.tax_amount, 0.00) - coalesce(r.received_amount, 0.00) > 0
                 AND i.due_date < %(business_date)s::date
            THEN %(business_date)s::date - i.due_date ELSE 0 END AS days_past_due,
       %(business_date)s::date AS as_of_date
FROM ods.ar_invoice i
JOIN dwd.status_map s ON s.domain = 'ar_invoice' AND s.source_status = lower(btrim(i.status)) AND s.in_facts
LEFT JOIN dwd.customer c ON c.customer_id = i.customer_id
LEFT JOIN received r ON r.invoice_id = i.invoice_id
WHERE i._deleted_at IS NULL AND i.invoice_date <= %(business_date)s::date
  AND NOT EXISTS (SELECT 1 FROM dwd.reject j
                  WHERE j.source_table = 'ar_invoice' AND j.source_key = i.invoice_id::text)
