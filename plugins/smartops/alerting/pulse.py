"""Turn a pulse judgement into backlog items: findings raise, what judges normal again resolves.

Volume and freshness items resolve by themselves on the first date the table is judged normal again;
a closed-period change is an event that needs a person (it stays open until triaged); an applied
schema change is a low-severity notice to the table's owner, resolved once a later date brings none.
Every item names the table and the business date it judged.
"""

from __future__ import annotations

from collections import defaultdict

from smartops.alerting.context import AlertContext
from smartops.alerting.models import Alert
from smartops.alerting.service import deliver_pending, raise_alert, resolve
from smartops.notify import words
from smartops.notify.language import Language
from smartops.pulse.judge import PulseReport
from smartops.pulse.model import CATEGORY, FindingKind
from smartops.vocabulary import Category, Severity

STAGE = "data_pulse"
DRIFT_CHECK = "schema_drift_applied"
# Findings that stay open until someone triages them: a closed period that changed does not un-change.
EVENTS = {FindingKind.CLOSED_PERIOD_CHANGE, FindingKind.REOPENED_PERIOD_CHANGE}
EVIDENCE_LINES = 20


def alert_pulse(context: AlertContext, report: PulseReport, *, run_id: str | None = None,
                dag_id: str | None = None) -> int:
    """Raise one item per table and finding kind, resolve the cleared ones; return how many findings."""
    language = context.config.language
    day = report.business_date
    grouped: dict[tuple[str, FindingKind], list] = defaultdict(list)
    for verdict in report.findings:
        grouped[(verdict.table, verdict.finding)].append(verdict)
    for (table, kind), verdicts in grouped.items():
        entry = context.inventory.by_name.get(table) if context.inventory else None
        severity = max((v.severity for v in verdicts if v.severity), key=list(Severity).index, default=None)
        raise_alert(context, Alert(
            stage=STAGE, object=f"ods.{table}", check=kind.value, category=CATEGORY[kind],
            severity=severity or (entry.severity if entry else Severity.HIGH), owner=entry.owner if entry else None,
            title=words.stage_text("pulse", language, table=f"ods.{table}", day=day.isoformat(),
                                   finding=words.pulse_finding(language, kind.value)).title,
            details=_details(verdicts, language), dag_id=dag_id, run_id=run_id, business_date=day,
        ), deliver=False)
    for drift_table, changes in _by_table(report.drift).items():
        entry = context.inventory.by_name.get(drift_table) if context.inventory else None
        text = words.stage_text("drift_applied", language, table=f"ods.{drift_table}",
                                columns=", ".join(c.column for c in changes))
        raise_alert(context, Alert(
            stage=STAGE, object=f"ods.{drift_table}", check=DRIFT_CHECK, category=Category.DRIFT,
            severity=Severity.LOW, owner=entry.owner if entry else None, title=text.title, hint=text.hint,
            details="\n".join(c.text_zh if language is Language.ZH else c.text_en for c in changes),
            dag_id=dag_id, run_id=run_id, business_date=day), deliver=False)
    cleared = [(f"ods.{table}", kind.value)
               for category, tables in report.judged.items() for table in tables
               for kind in FindingKind if CATEGORY[kind] is category and kind not in EVENTS
               and (table, kind) not in grouped]
    cleared += [(f"ods.{t}", DRIFT_CHECK) for t in report.judged.get(Category.DRIFT, [])
                if t not in _by_table(report.drift)]
    resolve(context, stage=STAGE, targets=cleared, note=f"judged normal for {day}", business_date=day)
    deliver_pending(context)
    return len(report.findings)


def _details(verdicts: list, language: Language) -> str:
    reasons = [v.reason_zh if language is Language.ZH else v.reason_en for v in verdicts]
    more = len(reasons) - EVIDENCE_LINES
    return "\n".join(reasons[:EVIDENCE_LINES] + ([f"… +{more}"] if more > 0 else []))


def _by_table(drift: list) -> dict[str, list]:
    tables: dict[str, list] = defaultdict(list)
    for change in drift:
        tables[change.table].append(change)
    return dict(tables)
