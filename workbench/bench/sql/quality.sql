-- Statements of smartops.quality.bench.

-- name: gl_voucher_line_metrics
-- One pass over the live voucher lines computing what include/soda/ods/gl_voucher_line.yml measures.
SELECT count(*) AS row_count,
       count(l.line_id) - count(DISTINCT l.line_id) AS duplicate_line_id,
       count(*) FILTER (WHERE l.voucher_id IS NULL) AS missing_voucher_id,
       count(*) FILTER (WHERE l.account_code IS NULL) AS missing_account_code,
       count(*) FILTER (WHERE l.currency IS NOT NULL AND l.currency <> 'CNY') AS invalid_currency,
       count(*) FILTER (WHERE l.debit_amount <> 0 AND l.credit_amount <> 0) AS debit_and_credit,
       count(*) FILTER (WHERE v.voucher_id IS NULL) AS orphan_lines,
       count(*) FILTER (WHERE l.account_code IS NOT NULL AND a.account_code IS NULL) AS unknown_account,
       max(l._loaded_at) AS max_loaded_at
FROM ods.gl_voucher_line l
LEFT JOIN (SELECT DISTINCT voucher_id FROM ods.gl_voucher WHERE _deleted_at IS NULL) v
       ON v.voucher_id = l.voucher_id
LEFT JOIN (SELECT DISTINCT account_code FROM ods.account WHERE _deleted_at IS NULL) a
       ON a.account_code = l.account_code
WHERE l._deleted_at IS NULL
