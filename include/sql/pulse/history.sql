-- Reads of the pulse detectors on the operations record: a table's daily volume and its newest cursor,
-- per business date, from ops.sync_ledger. Only committed syncs count (success, or mismatch: the rows
-- were loaded, only the reconciliation differed).

-- name: volume_series
-- Rows inserted / updated / deleted per business date of one table, summed over that date's syncs.
-- A date with an initial, full or rebuild load counts the whole table, not the day: it is left out.
SELECT business_date, sum(rows_inserted)::bigint AS rows_inserted, sum(rows_updated)::bigint AS rows_updated,
       sum(rows_deleted)::bigint AS rows_deleted
FROM ops.sync_ledger
WHERE table_name = %(table)s AND business_date BETWEEN %(first)s AND %(last)s
  AND status IN ('success', 'mismatch')
GROUP BY business_date
HAVING bool_and(mode = 'incremental')
ORDER BY business_date

-- name: volume_series_all
-- The same for every table at once (the daily judging run reads the whole inventory in one query).
SELECT table_name, business_date, sum(rows_inserted)::bigint AS rows_inserted,
       sum(rows_updated)::bigint AS rows_updated, sum(rows_deleted)::bigint AS rows_deleted
FROM ops.sync_ledger
WHERE business_date BETWEEN %(first)s AND %(last)s AND status IN ('success', 'mismatch')
GROUP BY table_name, business_date
HAVING bool_and(mode = 'incremental')
ORDER BY table_name, business_date

-- name: newest_cursors
-- The cursor each table had reached after its latest committed sync of a business date up to D:
-- what D's run knew, whatever ran later.
SELECT DISTINCT ON (table_name) table_name, watermark_after, business_date
FROM ops.sync_ledger
WHERE business_date <= %(day)s AND status IN ('success', 'mismatch') AND watermark_after IS NOT NULL
ORDER BY table_name, business_date DESC, ledger_id DESC
