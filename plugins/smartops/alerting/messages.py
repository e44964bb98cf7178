"""Short alert messages in Chinese (default) or English: a subject, chat Markdown and email HTML.

Every message links to the item on the ops console (运营中心) and to the Airflow run, and
@mentions the item owner's contacts where the channel supports it.
"""

from __future__ import annotations

from html import escape

from smartops.alerting.models import Alert, Decision
from smartops.config.alerting import AlertingConfig
from smartops.notify.message import Message

_DETAILS_LIMIT = 600

_WORDS = {
    "zh": {
        "severity": {"critical": "严重", "high": "高", "medium": "中", "low": "低"},
        "escalated": "【升级】", "resolved": "【已解决】", "category": "类别", "owner": "负责人",
        "occurrence": "第 {n} 次出现", "hint": "优化建议", "run": "运行", "task": "任务", "item": "待办",
        "scenarios": "受影响场景", "none": "未指定", "took": "用时 {hours:.1f} 小时", "note": "说明",
    },
    "en": {
        "severity": {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
        "escalated": "[ESCALATED] ", "resolved": "[RESOLVED] ", "category": "Category", "owner": "Owner",
        "occurrence": "occurrence #{n}", "hint": "Hint", "run": "Run", "task": "Task", "item": "Backlog item",
        "scenarios": "Affected scenarios", "none": "unassigned", "took": "after {hours:.1f} h", "note": "Note",
    },
}


def item_url(config: AlertingConfig, item_id: int) -> str:
    """The item's page on the ops console."""
    return config.console_url("backlog", item=str(item_id))


def alert_message(alert: Alert, *, item_id: int, occurrences: int, decision: Decision,
                  config: AlertingConfig) -> Message:
    """Render `alert` as a short message; escalations are marked in the subject."""
    words = _WORDS[config.language.value]
    prefix = words["escalated"] if decision is Decision.ESCALATE else ""
    level = words["severity"][alert.severity.value]
    subject = f"{prefix}[{level}] {alert.stage} · {alert.object}: {alert.title}"
    facts = [
        f"{words['category']}: {alert.category.value}",
        f"{words['owner']}: {alert.owner or words['none']}",
        words["occurrence"].format(n=occurrences),
    ]
    details = alert.details if len(alert.details) <= _DETAILS_LIMIT else alert.details[:_DETAILS_LIMIT] + " …"
    extra = []
    if alert.scenarios:
        extra.append(f"{words['scenarios']}: {', '.join(alert.scenarios)}")
    if alert.hint:
        extra.append(f"{words['hint']}: {alert.hint}")
    links = [(words["item"], item_url(config, item_id)), (words["run"], alert.run_url),
             (words["task"], alert.task_url)]
    return _render(subject, facts, details, extra, links, config, alert.owner)


def resolved_message(item: dict, *, config: AlertingConfig) -> Message:
    """The one notice that closes an item's thread: what cleared, after how long, and why."""
    words = _WORDS[config.language.value]
    level = words["severity"][item["severity"]]
    subject = f"{words['resolved']}[{level}] {item['stage']} · {item['object_name']}: {item['title']}"
    facts = [f"{words['category']}: {item['category']}", f"{words['owner']}: {item['owner'] or words['none']}"]
    if item.get("resolve_seconds") is not None:
        facts.append(words["took"].format(hours=item["resolve_seconds"] / 3600))
    extra = [f"{words['note']}: {item['resolution_note']}"] if item.get("resolution_note") else []
    return _render(subject, facts, "", extra, [(words["item"], item_url(config, item["item_id"]))], config,
                   item["owner"])


def _render(subject: str, facts: list[str], details: str, extra: list[str], links: list[tuple[str, str | None]],
            config: AlertingConfig, owner: str | None) -> Message:
    lines = [f"**{subject}**", " · ".join(facts), *([details] if details else []), *extra]
    lines += [f"[{label}]({url})" for label, url in links if url]
    html_lines = [f"<p><b>{escape(subject)}</b></p>", f"<p>{escape(' · '.join(facts))}</p>"]
    if details:
        html_lines.append(f"<pre>{escape(details)}</pre>")
    html_lines += [f"<p>{escape(line)}</p>" for line in extra]
    html_lines += [f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for label, url in links if url]
    return Message(subject=subject, markdown="\n\n".join(lines), html="\n".join(html_lines),
                   mentions=config.mentions(owner))
