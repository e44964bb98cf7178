-- dwd.voucher_line incremental scope: the line_ids to recompute since the last build.
-- A voucher is recomputed whole (a changed line can unbalance it and so reject all its lines):
-- vouchers changed or soft-deleted in ods since the last build, vouchers of changed lines (their
-- new and their published voucher), and vouchers that entered the date window (previous, business].
-- Lines are taken both from ods (what the facts will be) and from dwd (what must be withdrawn).
-- name: keys
WITH changed_line AS (
    SELECT line_id, voucher_id FROM ods.gl_voucher_line
    WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
),
voucher AS (
    SELECT voucher_id FROM ods.gl_voucher
    WHERE _loaded_at > %(since)s OR _deleted_at > %(since)s
       OR (voucher_date > %(previous_date)s::date AND voucher_date <= %(business_date)s::date)
    UNION SELECT voucher_id FROM changed_line
    UNION SELECT d.voucher_id FROM dwd.voucher_line d JOIN changed_line c ON c.line_id = d.line_id
)
SELECT line_id FROM changed_line
UNION SELECT l.line_id FROM ods.gl_voucher_line l JOIN voucher v ON v.voucher_id = l.voucher_id
UNION SELECT d.line_id FROM dwd.voucher_line d JOIN voucher v ON v.voucher_id = d.voucher_id
