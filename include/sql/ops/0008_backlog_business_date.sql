-- The business date an alert or an automatic resolution stands for (the run's, see
-- smartops.business_date), so the daily report attributes backlog activity to the business day
-- it concerns. NULL for events outside a dated run (watchdog, triage by hand): the report then
-- uses the Asia/Shanghai calendar day of the event.
ALTER TABLE ops.alert_event ADD COLUMN business_date date;
ALTER TABLE ops.backlog_audit ADD COLUMN business_date date;
