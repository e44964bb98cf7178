-- dwd.payment: payment orders (付款) with organisation and conformed status.
-- Cleaning rules: voided payments left out (status_map in_facts = false); rows in dwd.reject left
-- out; currency via dwd.std_currency; org_id btrim + upper-case; source_doc_type lower(btrim).
-- Not date-limited: pay_date is the planned payment day, so pending orders paying after the
-- business date are kept (they are the cash plan).
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT p.payment_id, btrim(p.payment_no) AS payment_no, o.org_id, o.org_name, o.level2_org_id,
       p.bank_account_id, btrim(p.payee_name) AS payee_name, p.amount, dwd.std_currency(p.currency) AS currency,
       p.pay_date, lower(btrim(p.source_doc_type)) AS source_doc_type, p.source_doc_id, s.status, s.status_label
FROM ods.payment_order p
JOIN dwd.status_map s ON s.domain = 'payment_order' AND s.source_status = lower(btrim(p.status)) AND s.in_facts
JOIN dwd.org_unit o ON o.org_id = upper(btrim(p.org_id))
WHERE {scope} AND p._deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                  WHERE r.source_table = 'payment_order' AND r.source_key = p.payment_id::text)
