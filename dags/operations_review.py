"""
### operations_review — 运营周报 / 月报: how the operation did, week by week and month by month

Mondays 08:40 the review of last week, the 1st of the month 08:50 the review of last month (Asia/Shanghai):
on-time rate, quality pass rate, anomalies the data pulse found, MTTR and backlog ageing by severity
and owner, the top recurring items, closed-period changes and schema changes — each against the
previous period. HTML, Markdown and JSON stored in `ops.operations_review`, shown on the console
(运营中心 → Reviews) and delivered to alerting.yaml's report channels.

**Owner:** platform-ops · **Manual:** choose the kind (week / month) and any date inside the period.

#### Triage (on call)
- *This DAG failed:* the warehouse is unreachable (retries by itself) or alerting.yaml's report
  channels name an unknown channel. Re-running for a period replaces that period's review.
- *A channel got nothing:* the daily report's *Notification delivery* section lists what waits.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param

from smartops.notify.language import Language
from smartops.operators.dag_defaults import START_DATE, Tag, crons, default_args
from smartops.operators.ops import OperationsReviewOperator

with DAG(
    dag_id="operations_review",
    description="运营周报 / 月报: the operation's figures by week and month, against the previous period",
    doc_md=__doc__,
    schedule=crons("40 8 * * 1", "50 8 1 * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=[Tag.OPS, Tag.REPORT],
    default_args=default_args("platform-ops"),
    params={
        "kind": Param(None, type=["null", "string"], enum=[None, "week", "month"], title="Kind",
                      description="Review this kind of period; empty = what the schedule is due for."),
        "period_date": Param(None, type=["null", "string"], format="date", title="A date in the period",
                             description="Any business date inside the week or month to review (YYYY-MM-DD)."),
        "language": Param(Language.ZH.value, type="string", enum=[lang.value for lang in Language], title="Language"),
        "deliver": Param(True, type="boolean", title="Deliver", description="Send to the report channels."),
    },
) as dag:
    OperationsReviewOperator(task_id="build_review", doc_md="Build, store and deliver the review(s).")
