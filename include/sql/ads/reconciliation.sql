-- 业财对账 Business–finance reconciliation: business documents matched to the posted vouchers
-- that reference them (gl_voucher.source_type / source_doc_id, as in dwd.voucher_line).
-- Documents: paid expense claims; paid payments (a payment of an expense claim is booked by the
-- claim's voucher, other payments by a payment_order voucher); AR invoices (not voided).
-- voucher_amount is the vouchers' total debit; amount_diff = voucher_amount - doc_amount.
-- match_status: matched | amount_diff | document_only (no voucher) | voucher_only (the voucher
-- references a document that is not among the documents).

-- name: reconciliation_detail
WITH documents AS (
    SELECT 'expense_claim' AS doc_type, claim_id AS doc_id, claim_no AS doc_no, org_id, claim_date AS doc_date,
           amount AS doc_amount, 'expense_claim' AS voucher_source_type, claim_id AS voucher_source_id
    FROM dwd.expense_claim
    WHERE status = 'paid'
    UNION ALL
    SELECT 'payment', payment_id, payment_no, org_id, pay_date, amount,
           CASE WHEN source_doc_type = 'expense_claim' THEN 'expense_claim' ELSE 'payment_order' END,
           CASE WHEN source_doc_type = 'expense_claim' THEN source_doc_id ELSE payment_id END
    FROM dwd.payment
    WHERE status = 'paid' AND pay_date <= %(business_date)s::date
    UNION ALL
    SELECT 'ar_invoice', invoice_id, invoice_no, org_id, invoice_date, total_amount, 'ar_invoice', invoice_id
    FROM dwd.ar_invoice
),
vouchers AS (
    SELECT source_type, source_doc_id, min(org_id) AS org_id, min(voucher_no) AS voucher_no,
           count(DISTINCT voucher_id) AS voucher_count, min(voucher_date) AS voucher_date,
           sum(debit_amount) AS voucher_amount
    FROM dwd.voucher_line
    WHERE source_type IN ('expense_claim', 'payment_order', 'ar_invoice') AND source_doc_id IS NOT NULL
    GROUP BY source_type, source_doc_id
)
SELECT coalesce(d.doc_type, CASE v.source_type WHEN 'payment_order' THEN 'payment' ELSE v.source_type END)
           AS doc_type,
       coalesce(d.doc_id, v.source_doc_id) AS doc_id, d.doc_no, coalesce(d.org_id, v.org_id) AS org_id,
       d.doc_date, d.doc_amount, v.voucher_no, coalesce(v.voucher_count, 0) AS voucher_count, v.voucher_date,
       v.voucher_amount, coalesce(v.voucher_amount, 0.00) - coalesce(d.doc_amount, 0.00) AS amount_diff,
       CASE WHEN v.source_doc_id IS NULL THEN 'document_only'
            WHEN d.doc_id IS NULL THEN 'voucher_only'
            WHEN v.voucher_amount = d.doc_amount THEN 'matched'
            ELSE 'amount_diff' END AS match_status,
       %(business_date)s::date AS as_of_date
FROM documents d
FULL JOIN vouchers v ON v.source_type = d.voucher_source_type AND v.source_doc_id = d.voucher_source_id

-- name: reconciliation_summary
-- Per organisation and document type, plus doc_type 'all' per organisation. Reads the detail
-- table built just before it in the same refresh (bare name: the build's staging schema).
-- match_rate = matched / documents (voucher_only rows are not documents; NULL without documents).
SELECT org_id, coalesce(doc_type, 'all') AS doc_type,
       count(*) FILTER (WHERE match_status <> 'voucher_only') AS documents,
       count(*) FILTER (WHERE match_status = 'matched') AS matched,
       count(*) FILTER (WHERE match_status = 'amount_diff') AS amount_diff_count,
       count(*) FILTER (WHERE match_status = 'document_only') AS document_only,
       count(*) FILTER (WHERE match_status = 'voucher_only') AS voucher_only,
       coalesce(sum(abs(amount_diff)) FILTER (WHERE match_status = 'amount_diff'), 0.00) AS amount_diff_total,
       CASE WHEN count(*) FILTER (WHERE match_status <> 'voucher_only') > 0
            THEN round(count(*) FILTER (WHERE match_status = 'matched')::numeric
                       / count(*) FILTER (WHERE match_status <> 'voucher_only'), 4) END AS match_rate,
       %(business_date)s::date AS as_of_date
FROM reconciliation_detail
GROUP BY GROUPING SETS ((org_id, doc_type), (org_id))
