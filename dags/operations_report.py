"""
### operations_report — 每日运营报告: the day's state and 14-day trends

Builds one report per business date from the `ops` tables: headline figures (tables synced
on time, rows moved, reconciliation, quality pass rate, scenarios published/skipped, open
backlog items by severity), per-table sync status and freshness, quality problems with
measured values, scenario status, new / recurring / resolved backlog items, and 14-day
trend charts. Writes a self-contained HTML file (inline SVG charts, printable), a short
Markdown summary and a JSON of the figures under `reports/<date>/`, stores them in
`ops.operations_report`, and delivers them to `report.channels` of `include/config/alerting.yaml`.
Beside it, `send_upstream_digest` sends each Level-1 team (inventory `level1_owner`) the 一级协同
digest of the open items their data caused — only when one is new or still open past
`upstream.resend_after` — with the evidence as CSV by mail (alerting.yaml `upstream.owners`).

**Owner:** platform-ops · **Schedule:** daily 08:00 Asia/Shanghai, reporting the previous day;
runs on its own cron so it reports even when upstream stages failed.

**Manual trigger:** any *report date* (empty = today so far), *language* zh/en, *deliver* on/off.

#### Triage (on call)
- *Failed:* the warehouse is unreachable or a report SQL failed — the log names it. Fix and re-run:
  re-running replaces that date's report (files and `ops.operations_report` row), nothing else changes.
- *Report says "stage not built yet":* that stage's ops table does not exist in this warehouse.
- *Deadline missed* (grid marks the run; a `deadline_missed` item): not done by alerting.yaml
  `deadlines.report` (08:30) — a stuck or queued task, or the warehouse slow; the item stays open until resolved.
- *Not received in chat/email:* delivery failures are logged and kept in the report row's `deliveries`.
- *Digest not received at Level-1:* the console's 一级协同 page shows each digest and whether it was
  delivered (the outbox retries it); an owner without channels opens an `upstream_digest:<owner>:no_route` item.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param

from smartops.config.alerting import load_alerting_config
from smartops.notify.language import Language
from smartops.operators.dag_defaults import START_DATE, Tag, business_date_param, cron, deadline_by, default_args
from smartops.operators.ops import OperationsReportOperator, UpstreamDigestOperator

# Validated at parse time: a broken alerting.yaml shows as this DAG's import error in the UI.
alerting = load_alerting_config()

with DAG(
    dag_id="operations_report",
    description="每日运营报告: daily operations report (HTML + Markdown + JSON), delivered to the report channels",
    doc_md=__doc__,
    schedule=cron("0 8 * * *"),
    deadline=deadline_by(alerting.deadlines.report, schedule_time="08:00"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.OPS, Tag.REPORT],
    default_args=default_args("platform-ops"),
    params={
        **business_date_param("report_date", meaning="the previous day (scheduled) or today (manual)"),
        "language": Param(alerting.language.value, type="string", enum=[lang.value for lang in Language],
                          title="Language"),
        "deliver": Param(True, type="boolean", title="Deliver", description="Send to the report channels."),
    },
) as dag:
    OperationsReportOperator(task_id="build_report",
                             doc_md="Generate, store, write and deliver the report; returns its paths and headline.")
    UpstreamDigestOperator(task_id="send_upstream_digest",
                           doc_md="一级协同: one digest per Level-1 owner with new or still-open items "
                                  "(CSV evidence by mail).")
