-- Parts shared by the incremental scope queries (include/sql/aggregation/*_scope.sql), which use
-- them as placeholders of the same name.

-- name: changed_vouchers
-- CTEs changed_line (ods lines loaded or soft-deleted since the last build) and voucher (the
-- vouchers to recompute whole: changed or soft-deleted since the last build, vouchers of changed
-- lines, new and published, and vouchers that entered the date window (previous, business]).
changed_line AS (
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
