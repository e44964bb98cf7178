"""
### backlog_triage — 优化待办处置: acknowledge, mute, resolve, hand to Level-1 or take back a backlog item

Manual trigger only. Fill the form: the **item id** (from the daily report or
`python -m smartops backlog list`), the **action**, a **note** saying why, and for *mute* the
date until which notifications stay silent. The change is audited in `ops.backlog_audit`
with the triggering user, the time and the note.

- *ack* — the team is on it: occurrences are still counted, no repeat notifications.
- *mute* — silence until a date (then the item notifies again if it still recurs).
- *resolve* — close by hand with a note; it reopens by itself if the problem comes back.
- *await_level1* — 一级协同: the cause is at Level-1; the item waits on their clock and goes in their
  daily digest. Items the rules tag upstream start here; for another item give the *Level-1 owner*.
- *resume* — take an item awaiting Level-1 back: our clock runs again.

Items also resolve automatically when their check passes or their task succeeds again.

**Owner:** platform-ops · **Schedule:** none (manual).

#### Triage (on call)
- *Failed with TriageError:* the log names the item and why (unknown id, already resolved,
  mute date in the past, empty note, an unknown Level-1 owner). Fix the form and trigger again —
  nothing was changed.
- Re-running the same request is safe: it records one more audit row with the same status.
"""

from __future__ import annotations

from airflow.sdk import DAG, Param

from smartops.alerting.models import TriageAction
from smartops.alerting.triage import BIGINT_MAX, MAX_MUTE_DAYS, MAX_NOTE_LENGTH
from smartops.operators.dag_defaults import START_DATE, Tag, default_args
from smartops.operators.ops import BacklogTriageOperator

with DAG(
    dag_id="backlog_triage",
    description="优化待办处置: acknowledge / mute / resolve / hand to Level-1 / resume a backlog item (audited)",
    doc_md=__doc__,
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    tags=[Tag.OPS, Tag.ALERTING],
    default_args=default_args("platform-ops", retries=1),
    params={
        "item_id": Param(1, type="integer", minimum=1, maximum=BIGINT_MAX, title="Item id",
                         description="ops.backlog_item.item_id"),
        "action": Param("ack", type="string", enum=[action.value for action in TriageAction], title="Action"),
        "note": Param("", type="string", minLength=1, maxLength=MAX_NOTE_LENGTH, title="Note",
                      description="Why, on one line (kept in the audit trail)."),
        "level1_owner": Param(None, type=["null", "string"], maxLength=100, title="Level-1 owner",
                              description="For await_level1 on an item the rules call ours: the Level-1 team "
                                          "to hand it to (an inventory level1_owner)."),
        "muted_until": Param(None, type=["null", "string"], format="date", title="Muted until",
                             description=f"For mute: silent until this date (Asia/Shanghai), at most {MAX_MUTE_DAYS} "
                                         "days ahead."),
    },
) as dag:
    BacklogTriageOperator(task_id="apply_triage", doc_md="Apply the form's change, audited with the triggering user.")
