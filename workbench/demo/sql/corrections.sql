-- Level-1 corrects the dirty rows the day simulator injected once they are older than
-- %(before)s: what the data-resource team's feedback achieves at the group platform. Corrected
-- rows get updated_at = %(stamp)s so the next sync picks them up; orphans are hard-deleted
-- (their tables use delete_detection: key_compare). Used by `make demo` to show problems resolve.

-- name: fix_expense_claims
UPDATE l1.expense_claim
SET org_id = coalesce(org_id, (SELECT min(org_id) FROM l1.org_unit WHERE org_level = 3 AND status = 'active')),
    amount = abs(amount), currency = 'CNY', updated_at = %(stamp)s
WHERE updated_at < %(before)s AND (org_id IS NULL OR amount < 0 OR currency IS DISTINCT FROM 'CNY')

-- name: fix_customers
UPDATE l1.customer SET customer_name = '待补录客户' || customer_code, updated_at = %(stamp)s
WHERE customer_name IS NULL AND updated_at < %(before)s

-- name: fix_payment_orders
UPDATE l1.payment_order SET amount = abs(amount), updated_at = %(stamp)s
WHERE amount < 0 AND updated_at < %(before)s

-- name: balance_vouchers
-- The first credit line absorbs the difference (the booking clerk's correction), only while the
-- voucher's period was never closed: a closed period's lines are never changed in place.
UPDATE l1.gl_voucher_line AS l SET credit_amount = l.credit_amount + gap.amount, updated_at = %(stamp)s
FROM (
    SELECT DISTINCT ON (l.voucher_id) l.line_id, totals.amount
    FROM (SELECT voucher_id, sum(debit_amount) - sum(credit_amount) AS amount
          FROM l1.gl_voucher_line GROUP BY voucher_id HAVING sum(debit_amount) <> sum(credit_amount)) AS totals
    JOIN l1.gl_voucher AS v ON v.voucher_id = totals.voucher_id AND v.updated_at < %(before)s
         AND NOT EXISTS (SELECT 1 FROM l1.accounting_period_log AS g WHERE g.period = v.period AND g.action = 'close')
    JOIN l1.gl_voucher_line AS l ON l.voucher_id = totals.voucher_id AND l.credit_amount > 0
    ORDER BY l.voucher_id, l.line_no
) AS gap
WHERE l.line_id = gap.line_id

-- name: drop_orphan_voucher_lines
DELETE FROM l1.gl_voucher_line AS l
WHERE l.updated_at < %(before)s AND NOT EXISTS (SELECT 1 FROM l1.gl_voucher AS v WHERE v.voucher_id = l.voucher_id)

-- name: drop_orphan_receipts
DELETE FROM l1.ar_receipt AS r
WHERE r.updated_at < %(before)s AND NOT EXISTS (SELECT 1 FROM l1.ar_invoice AS i WHERE i.invoice_id = r.invoice_id)
