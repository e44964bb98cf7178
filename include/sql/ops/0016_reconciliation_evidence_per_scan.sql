-- Reconciliation evidence belongs to every scan that relies on it, not only to the first one:
-- a retried quality_scan carries the same verdict as the try before it (a mismatch stays red).
ALTER TABLE ops.quality_result DROP CONSTRAINT quality_result_reconciliation_id_key;
ALTER TABLE ops.quality_result ADD CONSTRAINT quality_result_scan_reconciliation UNIQUE (scan_id, reconciliation_id);
