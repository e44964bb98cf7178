-- dwd.voucher_line incremental scope: the line_ids to recompute since the last build.
-- A voucher is recomputed whole (a changed line can unbalance it and so reject all its lines);
-- which vouchers: scope_parts.sql changed_vouchers, the same rule as dwd.reject's scope. Lines are taken both from ods (what the facts will be) and from dwd (what must be withdrawn).
-- name: keys
WITH {changed_vouchers}
SELECT line_id FROM changed_line
UNION SELECT l.line_id FROM ods.gl_voucher_line l JOIN voucher v ON v.voucher_id = l.voucher_id
UNION SELECT d.line_id FROM dwd.voucher_line d JOIN voucher v ON v.voucher_id = d.voucher_id
