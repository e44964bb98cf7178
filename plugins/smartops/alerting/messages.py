"""Short alert messages in Chinese (default) or English: a subject, chat Markdown and email HTML."""

from __future__ import annotations

from html import escape

from smartops.alerting.models import Alert, Decision
from smartops.notify.language import Language
from smartops.notify.message import Message

_DETAILS_LIMIT = 600

_WORDS = {
    Language.ZH: {
        "severity": {"critical": "严重", "high": "高", "medium": "中", "low": "低"},
        "escalated": "【升级】", "category": "类别", "owner": "负责人", "occurrence": "第 {n} 次出现",
        "hint": "优化建议", "run": "运行", "task": "任务", "scenarios": "受影响场景", "none": "未指定",
    },
    Language.EN: {
        "severity": {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
        "escalated": "[ESCALATED] ", "category": "Category", "owner": "Owner", "occurrence": "occurrence #{n}",
        "hint": "Hint", "run": "Run", "task": "Task", "scenarios": "Affected scenarios", "none": "unassigned",
    },
}


def alert_message(alert: Alert, *, occurrences: int, decision: Decision, language: Language) -> Message:
    """Render `alert` as a short message; escalations are marked in the subject."""
    words = _WORDS[language]
    prefix = words["escalated"] if decision is Decision.ESCALATE else ""
    level = words["severity"][alert.severity.value]
    subject = f"{prefix}[{level}] {alert.stage} · {alert.object}: {alert.title}"
    facts = [
        f"{words['category']}: {alert.category.value}",
        f"{words['owner']}: {alert.owner or words['none']}",
        words["occurrence"].format(n=occurrences),
    ]
    details = alert.details if len(alert.details) <= _DETAILS_LIMIT else alert.details[:_DETAILS_LIMIT] + " …"
    lines = [f"**{subject}**", " · ".join(facts)]
    if details:
        lines.append(details)
    if alert.scenarios:
        lines.append(f"{words['scenarios']}: {', '.join(alert.scenarios)}")
    if alert.hint:
        lines.append(f"{words['hint']}: {alert.hint}")
    links = [(words["run"], alert.run_url), (words["task"], alert.task_url)]
    lines += [f"[{label}]({url})" for label, url in links if url]
    html_lines = [f"<p><b>{escape(subject)}</b></p>", f"<p>{escape(' · '.join(facts))}</p>"]
    if details:
        html_lines.append(f"<pre>{escape(details)}</pre>")
    if alert.hint:
        html_lines.append(f"<p>{escape(words['hint'])}: {escape(alert.hint)}</p>")
    html_lines += [f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for label, url in links if url]
    return Message(subject=subject, markdown="\n\n".join(lines), html="\n".join(html_lines))
