-- The business date a sync run stands for (the day before its run, Asia/Shanghai), so the daily
-- report counts the loads of a business day wherever the wall clock stood. NULL for runs made
-- outside Airflow (tests, benchmarks): the report then falls back to when they finished.
ALTER TABLE ops.sync_ledger ADD COLUMN business_date date;
CREATE INDEX sync_ledger_business_date ON ops.sync_ledger (business_date);
