-- The try a task-failure alert stands for: the watchdog matches a failed try to its own failure alert,
-- not to any alert of the task (a check alert of a task that was then killed must not hide the kill).
ALTER TABLE ops.alert_event ADD COLUMN IF NOT EXISTS try_number integer;
