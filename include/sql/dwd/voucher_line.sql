-- dwd.voucher_line: posted voucher lines denormalised with voucher header, organisation and
-- account (凭证分录明细) — the ledger every GL aggregate reads.
-- Cleaning rules:
--   * only vouchers whose status maps to in_facts (posted); draft and voided vouchers are left out;
--   * vouchers dated after the business date are left out (they appear in later runs);
--   * lines and vouchers in dwd.reject are left out: orphan lines, unknown accounts or currencies,
--     unbalanced vouchers and vouchers with a rejected line (see dwd.reject);
--   * codes trimmed (account_code btrim, org_id btrim + upper-case), currency via dwd.std_currency;
--   * net_amount = debit_amount - credit_amount.
-- {scope}: the incremental build's key filter (TRUE in a full build).
SELECT l.line_id, g.voucher_id, btrim(g.voucher_no) AS voucher_no, o.org_id, o.org_name,
       btrim(g.period) AS period, g.voucher_date, lower(btrim(g.source_type)) AS source_type, g.source_doc_id,
       a.account_code, a.account_name, a.account_type, l.debit_amount, l.credit_amount,
       l.debit_amount - l.credit_amount AS net_amount, dwd.std_currency(l.currency) AS currency,
       btrim(l.summary) AS summary
FROM ods.gl_voucher_line l
JOIN ods.gl_voucher g ON g.voucher_id = l.voucher_id
JOIN dwd.status_map s ON s.domain = 'gl_voucher' AND s.source_status = lower(btrim(g.status)) AND s.in_facts
JOIN dwd.org_unit o ON o.org_id = upper(btrim(g.org_id))
JOIN dwd.account a ON a.account_code = btrim(l.account_code)
WHERE {scope} AND l._deleted_at IS NULL AND g._deleted_at IS NULL AND g.voucher_date <= %(business_date)s::date
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                  WHERE r.source_table = 'gl_voucher_line' AND r.source_key = l.line_id::text)
  AND NOT EXISTS (SELECT 1 FROM dwd.reject r
                  WHERE r.source_table = 'gl_voucher' AND r.source_key = g.voucher_id::text)
