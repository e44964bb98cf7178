"""Short alert messages in Chinese (default) or English (words: smartops.notify.words): a subject, chat
Markdown and email HTML.

Every message links to the item on the ops console (运营中心) and to the Airflow run, and
@mentions the item owner's contacts where the channel supports it.
"""

from __future__ import annotations

from html import escape

from smartops.alerting.models import Alert, Decision
from smartops.config.alerting import AlertingConfig
from smartops.notify import markdown as md
from smartops.notify.message import Message
from smartops.notify.words import MESSAGE
from smartops.vocabulary import Severity

_DETAILS_LIMIT = 600


def item_url(config: AlertingConfig, item_id: int) -> str:
    """The item's page on the ops console."""
    return config.console_url("backlog", item=str(item_id))


def alert_message(alert: Alert, *, item_id: int, occurrences: int, decision: Decision,
                  config: AlertingConfig) -> Message:
    """Render `alert` as a short message; escalations are marked in the subject."""
    words = MESSAGE[config.language]
    prefix = words["escalated"] if decision is Decision.ESCALATE else ""
    level = words["severity"][alert.severity.value]
    tag = f"{prefix}[{level}] "  # our own tag: the rest of the subject is data
    subject = f"{tag}{alert.stage} · {alert.object}: {alert.title}"
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
    return _render(tag, subject, facts, details, extra, links, config, alert.owner)


def direct_message(alert: Alert, reason: str, config: AlertingConfig) -> Message:
    """The alert as sent while the warehouse is down: no backlog item to link to yet, the reason in front."""
    words = MESSAGE[config.language]
    tag = f"[{words['severity'][Severity.CRITICAL.value]}] "
    subject = f"{tag}{alert.stage} · {alert.object}: {alert.title}"
    facts = [f"{words['category']}: {alert.category.value}", f"{words['owner']}: {alert.owner or words['none']}"]
    links = [(words["run"], alert.run_url), (words["task"], alert.task_url)]
    return _render(tag, subject, facts, f"{reason}\n{alert.details}", [], links, config, alert.owner)


def resolved_message(item: dict, *, config: AlertingConfig) -> Message:
    """The one notice that closes an item's thread: what cleared, after how long, and why."""
    words = MESSAGE[config.language]
    level = words["severity"][item["severity"]]
    tag = f"{words['resolved']}[{level}] "
    subject = f"{tag}{item['stage']} · {item['object_name']}: {item['title']}"
    facts = [f"{words['category']}: {item['category']}", f"{words['owner']}: {item['owner'] or words['none']}"]
    if item.get("resolve_seconds") is not None:
        facts.append(words["took"].format(hours=item["resolve_seconds"] / 3600))
    extra = [f"{words['note']}: {item['resolution_note']}"] if item.get("resolution_note") else []
    return _render(tag, subject, facts, "", extra, [(words["item"], item_url(config, item["item_id"]))], config,
                   item["owner"])


def _render(tag: str, subject: str, facts: list[str], details: str, extra: list[str],
            links: list[tuple[str, str | None]], config: AlertingConfig, owner: str | None) -> Message:
    # Everything after the tag is data (titles, notes, Level-1 values): escaped, never live Markdown.
    lines = [f"**{tag}{md.escape(subject[len(tag):])}**", md.escape(" · ".join(facts)),
             *([md.escape(details)] if details else []), *map(md.escape, extra)]
    lines += [f"[{label}]({url})" for label, url in links if url]
    html_lines = [f"<p><b>{escape(subject)}</b></p>", f"<p>{escape(' · '.join(facts))}</p>"]
    if details:
        html_lines.append(f"<pre>{escape(details)}</pre>")
    html_lines += [f"<p>{escape(line)}</p>" for line in extra]
    html_lines += [f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for label, url in links if url]
    return Message(subject=subject, markdown="\n\n".join(lines), html="\n".join(html_lines),
                   mentions=config.mentions(owner))
