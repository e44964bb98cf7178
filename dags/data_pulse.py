"""
### data_pulse — 数据脉搏: what fails quietly, judged by the finance calendar

Every morning, after the night's syncs, judges the business date (the day before the run) for every
table of the backflow inventory, by China's working-day calendar (调休 included), the fiscal periods
and the month-end close window (`include/config/calendar.yaml`):

- **volume** — rows inserted against comparable days (working / close-window day N / non-working;
  median ± k·MAD on the √ scale): an empty working day, half a day, a day loaded twice;
- **freshness** — working days since the newest rows, for tables declared `changes_every_working_day`;
- **integrity** — rows of closed accounting periods that the day's syncs changed (critical; medium
  inside a reopen window);
- **drift** — columns Level-1 added that the syncs absorbed (a low notice to the table's owner).

Verdicts go to `ops.pulse_verdict` (the report and the console chart them); findings are backlog items
naming table and date, through the one alert path. Tuning per table: the inventory's `pulse:` field.

**Owner:** finance-data · **Schedule:** daily 05:30 Asia/Shanghai (after `backflow_sync`, before the report) ·
**Manual:** any business date from the form, or `python -m smartops pulse judge --date YYYY-MM-DD`.

#### Triage (on call)
- *A volume or freshness item:* compare the table's ledger (运营中心 → Table) with Level-1; a half or
  empty day is usually Level-1's extraction — ask the table's Level-1 owner. It resolves by itself
  once a date is judged normal.
- *A closed-period change:* the evidence lists voucher ids, amounts, the period and when it closed;
  confirm with Level-1 whether the period was reopened on purpose, then resolve the item with a note.
- *This DAG failed:* the warehouse is unreachable or `calendar.yaml` is invalid (the log names the
  field). Re-running for a date is safe: it replaces that date's verdicts.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from smartops.operators.dag_defaults import START_DATE, Tag, business_date_param, cron, default_args
from smartops.operators.pulse import PulseOperator

with DAG(
    dag_id="data_pulse",
    description="数据脉搏: volume, freshness, closed periods and drift, judged by the business calendar",
    doc_md=__doc__,
    schedule=cron("30 5 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.QUALITY, Tag.ODS, Tag.ALERTING],
    default_args=default_args("finance-data", execution_timeout=timedelta(minutes=30)),
    params=business_date_param(),
) as dag:
    PulseOperator(task_id="judge", doc_md="Judge the business date; returns the findings as `kind table` lines.")
