"""Render report figures as self-contained HTML (inline SVG charts) and a short Markdown summary."""

from __future__ import annotations

from functools import cache
from typing import Any

from smartops.notify.language import Language
from smartops.paths import INCLUDE_DIR
from smartops.report.charts import band_chart, chart

TEMPLATE = "operations_report.html.j2"
MAIL_TEMPLATE = "operations_report_mail.html.j2"

LABELS: dict[Language, dict[str, str]] = {
    Language.ZH: {
        "title": "二级智慧运营中心 · 每日运营报告", "date": "业务日期", "as_of": "统计截至", "generated": "生成时间",
        "headline": "核心指标", "tables_on_time": "按时同步的表", "rows_moved": "回流行数", "reconciliation": "对账",
        "matched": "一致", "mismatches": "不一致", "quality_pass_rate": "质量检查通过率", "scenarios": "场景发布",
        "published": "已发布", "skipped": "已跳过", "open_items": "未关闭问题", "not_built": "该环节尚未建设",
        "trends": "14 天趋势", "trend_rows": "回流行数", "trend_pass": "质量通过率", "trend_open": "未关闭问题数",
        "trend_mttr": "平均解决时长（小时）", "sync": "各表同步状态与时效", "table": "表", "owner": "负责人",
        "runs": "运行次数", "failed": "失败", "status": "最近状态", "last_success": "最近成功", "age": "距今（小时）",
        "sla": "时效要求", "on_time": "按时", "late": "超时", "metric": "指标", "source": "一级", "ods": "ods",
        "scope": "对账范围", "scope_table": "整表", "scope_window": "本次窗口",
        "scan_scope": "检查范围", "scope_changes": "本次构建的变更行",
        "quality": "质量问题（含实测值）", "check": "检查", "outcome": "结果", "measured": "实测值",
        "threshold": "阈值", "severity": "级别", "no_problems": "无", "backlog": "优化待办",
        "new": "新增", "recurring": "反复出现", "resolved": "已解决", "item": "问题", "category": "类别",
        "events": "当日次数", "resolve_hours": "解决用时（小时）", "hint": "优化建议", "full_report": "完整报告",
        "mttr": "平均解决时长", "hours": "小时", "scenario": "场景", "none": "无", "rows": "行数", "reason": "原因",
        "attached": "完整报告（HTML）见附件", "notifications": "通知送达", "delivered": "已送达",
        "pending": "待重试", "expired": "已过期", "channel": "渠道", "attempts": "尝试次数", "error": "错误",
        "contract_changes": "数据契约变更", "contract_changed": "契约版本变更", "new_mart": "新数据集",
        "overrides": "人工干预（已审计）", "kind": "类型", "actor": "操作人", "at": "时间", "task": "任务",
        "pulse": "数据脉搏（按业务日历判断）", "pulse_findings": "数据脉搏异常", "finding": "发现", "observed": "实际",
        "expected": "预期", "band": "预期区间", "day_class": "日期类型", "no_findings": "未发现异常",
        "bands": "各表数据量与预期区间（30 天）", "sla_title": "SLA 达成（30 天）", "sla_tables": "按时同步的表",
        "sla_marts": "按时发布的数据集", "close": "月结视图", "close_day": "日期", "anomalies": "异常",
        "closed_period_changes": "已结账期间变更", "drift": "结构变更", "column": "列", "change": "变更",
        "action": "处理", "tables_judged": "已判断的表", "estimated": "日历为估算",
        "upstream": "一级协同", "mttr_ours": "我方解决用时", "mttr_upstream": "等待一级用时",
        "level1_owner": "一级负责人", "upstream_open": "待一级处理", "oldest_hours": "最久（小时）",
        "awaiting_hours": "等待一级（小时）",
    },
    Language.EN: {
        "title": "Level-2 Smart Operations Center · Daily operations report", "date": "Business date",
        "as_of": "As of", "generated": "Generated", "headline": "Headline", "tables_on_time": "Tables synced on time",
        "rows_moved": "Rows moved", "reconciliation": "Reconciliation", "matched": "matched",
        "mismatches": "mismatched", "quality_pass_rate": "Quality pass rate", "scenarios": "Scenarios",
        "published": "published", "skipped": "skipped", "open_items": "Open backlog items",
        "not_built": "stage not built yet", "trends": "14-day trends", "trend_rows": "Rows moved",
        "trend_pass": "Quality pass rate", "trend_open": "Open items", "trend_mttr": "Mean time to resolve (h)",
        "sync": "Sync status and freshness per table", "table": "Table", "owner": "Owner", "runs": "Runs",
        "failed": "Failed", "status": "Last status", "last_success": "Last success", "age": "Age (h)",
        "sla": "SLA", "on_time": "on time", "late": "late", "metric": "Metric", "source": "Level-1", "ods": "ods",
        "scope": "Scope", "scope_table": "whole table", "scope_window": "run's window",
        "scan_scope": "Scan scope", "scope_changes": "the build's changed rows",
        "quality": "Quality problems (measured values)", "check": "Check", "outcome": "Outcome",
        "measured": "Measured", "threshold": "Threshold", "severity": "Severity", "no_problems": "none",
        "backlog": "Optimization backlog", "new": "New", "recurring": "Recurring", "resolved": "Resolved",
        "item": "Item", "category": "Category", "events": "Events today", "resolve_hours": "Time to resolve (h)",
        "hint": "Hint", "full_report": "Full report", "mttr": "Mean time to resolve", "hours": "h",
        "scenario": "Scenario", "none": "none", "rows": "Rows", "reason": "Reason",
        "attached": "the full report (HTML) is attached", "notifications": "Notification delivery",
        "delivered": "delivered", "pending": "retrying", "expired": "expired", "channel": "Channel",
        "attempts": "Attempts", "error": "Error", "overrides": "Manual overrides (audited)", "kind": "Kind",
        "contract_changes": "Mart contract changes", "contract_changed": "contract version changed",
        "new_mart": "new mart", "upstream": "Level-1 coordination", "mttr_ours": "time to resolve, ours",
        "mttr_upstream": "time awaiting Level-1", "level1_owner": "Level-1 owner", "upstream_open": "awaiting Level-1",
        "oldest_hours": "Oldest (h)", "awaiting_hours": "Awaiting Level-1 (h)",
        "actor": "Who", "at": "When", "task": "Task",
        "pulse": "Data pulse (judged by the business calendar)", "pulse_findings": "Pulse findings",
        "finding": "Finding", "observed": "Observed", "expected": "Expected", "band": "Expected band",
        "day_class": "Kind of day", "no_findings": "no findings", "bands": "Volume against its band (30 days)",
        "sla_title": "SLA attainment (30 days)", "sla_tables": "Tables synced on time",
        "sla_marts": "Marts published by their deadline", "close": "Month-end close", "close_day": "Day",
        "anomalies": "Anomalies", "closed_period_changes": "Closed-period changes", "drift": "Schema changes",
        "column": "Column", "change": "Change", "action": "Action", "tables_judged": "Tables judged",
        "estimated": "estimated calendar",
    },
}


def cny(value: float | None) -> str:
    """Format an amount as CNY: ¥1,234,567.89."""
    return "—" if value is None else f"¥{value:,.2f}"


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def metric_value(metric: str, value: float | None) -> str:
    """Reconciliation values: sums of amount columns as CNY, counts as integers."""
    return cny(value) if metric.startswith("sum(") else number(value)


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(INCLUDE_DIR / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    env.filters.update(cny=cny, number=number, percent=percent, metric_value=metric_value, fmt=review_value)
    return env


def charts(figures: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The four 14-day trend charts as inline SVG."""
    days = [t["day"] for t in figures["trend"]]

    def series(key: str) -> list:
        return [t[key] for t in figures["trend"]]

    return [
        chart(labels["trend_rows"], days, series("rows_moved"), kind="bar"),
        chart(labels["trend_pass"], days, series("quality_pass_rate"), fmt=percent),
        chart(labels["trend_open"], days, series("open_items"), kind="bar"),
        chart(labels["trend_mttr"], days, series("mttr_hours"), fmt=lambda v: f"{v:.1f}"),
    ]


def pulse_charts(figures: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """The pulse's charts: each chosen table's volume against its band, and the 30-day SLA attainment."""
    pulse = figures.get("pulse") or {}
    if not pulse.get("built"):
        return {"bands": [], "sla": []}
    bands = [band_chart(f"ods.{table}", [p["business_date"] for p in points], [p["observed"] for p in points],
                        [p["band_low"] for p in points], [p["band_high"] for p in points],
                        [p["finding"] is not None for p in points])
             for table, points in pulse["bands"].items()]
    days = [s["day"] for s in pulse["sla"]]
    sla = [chart(labels["sla_tables"], days, [s["tables_rate"] for s in pulse["sla"]], fmt=percent,
                 css_class="pulse-chart"),
           chart(labels["sla_marts"], days, [s["marts_rate"] for s in pulse["sla"]], fmt=percent,
                 css_class="pulse-chart")]
    return {"bands": bands, "sla": sla}


def render_html(figures: dict[str, Any], language: Language, generated_at: str) -> str:
    """The full report: one HTML file, CSS and charts inline, printable."""
    labels = LABELS[language]
    return _environment().get_template(TEMPLATE).render(
        f=figures, t=labels, lang=language.value, charts=charts(figures, labels), generated_at=generated_at,
        pulse_charts=pulse_charts(figures, labels))


def render_mail(figures: dict[str, Any], language: Language, link: str) -> str:
    """The report as email: headline and trend bars in plain tables (no SVG, no stylesheet), linking to it."""
    trend = figures["trend"]
    top_rows = max((t["rows_moved"] for t in trend), default=0) or 1
    top_open = max((t["open_items"] for t in trend), default=0) or 1
    bars = [{**t, "rows_pct": round(100 * t["rows_moved"] / top_rows),
             "open_pct": round(100 * t["open_items"] / top_open)} for t in trend]
    return _environment().get_template(MAIL_TEMPLATE).render(
        f=figures, t=LABELS[language], lang=language.value, bars=bars, link=link)


def _pulse_lines(figures: dict[str, Any], language: Language) -> list[str]:
    """The chat summary's pulse line: how many findings, the first ones named."""
    pulse = figures.get("pulse") or {}
    if not pulse.get("built"):
        return []
    t = LABELS[language]
    findings = pulse["findings"]
    named = "; ".join(f"ods.{v['table_name']} {v['finding']}" for v in findings[:3])
    return [f"- {t['pulse_findings']}: {len(findings)}" + (f" ({named})" if named else "")]


def render_markdown(figures: dict[str, Any], language: Language, link: str) -> str:
    """A short chat summary (a handful of lines) that links to the full report."""
    t, h = LABELS[language], figures["headline"]
    quality = percent(h["quality_pass_rate"]) if figures["quality"]["built"] else t["not_built"]
    scenarios = (f"{h['scenarios_published']} {t['published']} / {h['scenarios_skipped']} {t['skipped']}"
                 if figures["scenarios"]["built"] else t["not_built"])
    open_items = " · ".join(f"{s} {n}" for s, n in h["open_items"].items() if n) or "0"
    backlog = figures["backlog"]
    return "\n".join([
        f"**{t['title']} — {figures['report_date']}**",
        f"- {t['tables_on_time']}: {h['tables_on_time']}/{h['tables_total']} · "
        f"{t['rows_moved']}: {number(h['rows_moved'])}",
        f"- {t['reconciliation']}: {h['reconciliation_checks'] - h['reconciliation_mismatches']} {t['matched']}, "
        f"{h['reconciliation_mismatches']} {t['mismatches']}",
        f"- {t['quality_pass_rate']}: {quality} · {t['scenarios']}: {scenarios}",
        f"- {t['open_items']}: {h['open_items_total']} ({open_items}) · {t['new']} {len(backlog['new'])} · "
        f"{t['recurring']} {len(backlog['recurring'])} · {t['resolved']} {len(backlog['resolved'])}",
        *_pulse_lines(figures, language),
        *_upstream_lines(figures, language),
        *[f"- {t['contract_changed']}: {c['table']} {c['from'] or t['new_mart']} → {c['to']}"
          for c in (figures.get("contracts") or {}).get("changes", [])],
        f"[{t['full_report']}]({link})",
    ])


def _upstream_lines(figures: dict[str, Any], language: Language) -> list[str]:
    """One line: the time to resolve split into ours and Level-1's, and what each Level-1 owner still holds."""
    t, upstream = LABELS[language], figures.get("upstream")
    if not upstream or not (upstream["open"] or upstream["resolved"]):
        return []
    hours = "/".join("—" if v is None else f"{v:.1f}" for v in (upstream["ours_hours"], upstream["upstream_hours"]))
    owners = ", ".join(f"{o['owner']} {o['items']}" for o in upstream["open"]) or "0"
    return [f"- {t['upstream']}: {t['mttr_ours']}/{t['mttr_upstream']} {hours} {t['hours']} · "
            f"{t['upstream_open']}: {owners}"]


REVIEW_TEMPLATE = "operations_review.html.j2"
REVIEW_LABELS: dict[Language, dict[str, str]] = {
    Language.ZH: {
        "title_week": "二级智慧运营中心 · 运营周报", "title_month": "二级智慧运营中心 · 运营月报", "period": "统计期间",
        "previous": "上期", "on_time_rate": "按时率", "quality_pass_rate": "质量通过率", "anomalies": "发现的异常",
        "mttr_hours": "平均解决时长（小时）", "items_resolved": "已解决问题", "open_items_at_end": "期末未关闭问题",
        "mttr_ours_hours": "其中我方用时（小时）", "mttr_upstream_hours": "等待一级用时（小时）",
        "closed_period_changes": "已结账期间变更", "schema_changes": "结构变更", "mttr_by": "按级别与负责人的解决时长",
        "ageing": "期末未关闭问题账龄", "recurring": "反复出现最多的问题", "category": "类别", "finding": "发现",
        "count": "次数", "severity": "级别", "owner": "负责人", "item": "问题", "date": "业务日期", "table": "表",
        "record": "记录", "evidence": "证据（期间 · 结账时间 · 变更时间）", "column": "列", "change": "变更",
        "action": "处理", "none": "无", "full_review": "完整报告",
    },
    Language.EN: {
        "title_week": "Level-2 Smart Operations Center · Weekly operations review",
        "title_month": "Level-2 Smart Operations Center · Monthly operations review", "period": "Period",
        "previous": "previous", "on_time_rate": "On-time rate", "quality_pass_rate": "Quality pass rate",
        "anomalies": "Anomalies found", "mttr_hours": "Mean time to resolve (h)", "items_resolved": "Items resolved",
        "mttr_ours_hours": "… of it ours (h)", "mttr_upstream_hours": "Awaiting Level-1 (h)",
        "open_items_at_end": "Open items at the end", "closed_period_changes": "Closed-period changes",
        "schema_changes": "Schema changes", "mttr_by": "Time to resolve by severity and owner",
        "ageing": "Backlog ageing at the end of the period", "recurring": "Top recurring items",
        "category": "Category", "finding": "Finding", "count": "Count", "severity": "Severity", "owner": "Owner",
        "item": "Item", "date": "Business date", "table": "Table", "record": "Record",
        "evidence": "Evidence (period · closed at · changed at)", "column": "Column", "change": "Change",
        "action": "Action", "none": "none", "full_review": "Full review",
    },
}
_RATES = {"on_time_rate", "quality_pass_rate"}


def review_value(value: Any, key: str, signed: bool = False) -> str:
    """A review figure as people read it: rates as percentages, the rest as numbers."""
    if value is None:
        return "—"
    if key in _RATES:
        return f"{value * 100:+.1f} pp" if signed else percent(value)
    return f"{value:+,.1f}" if signed else f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def review_html(figures: dict[str, Any], language: Language) -> str:
    """The review as one self-contained HTML page."""
    labels = REVIEW_LABELS[language]
    return _environment().get_template(REVIEW_TEMPLATE).render(
        f=figures, lang=language.value, t={**labels, "title": labels[f"title_{figures['period']['kind']}"]})


def review_markdown(figures: dict[str, Any], language: Language, link: str) -> str:
    """The review's chat summary: the headline against the previous period, linking to the full review."""
    t, h = REVIEW_LABELS[language], figures["headline"]
    period = figures["period"]

    def line(key: str) -> str:
        item = h[key]
        delta = f" ({review_value(item['delta'], key, signed=True)})" if item["delta"] is not None else ""
        return f"{t[key]} {review_value(item['value'], key)}{delta}"

    return "\n".join([
        f"**{t['title_' + period['kind']]} — {period['start']} – {period['end']}**",
        f"- {line('on_time_rate')} · {line('quality_pass_rate')}",
        f"- {line('anomalies')} · {line('closed_period_changes')} · {line('schema_changes')}",
        f"- {line('mttr_hours')} · {line('items_resolved')} · {line('open_items_at_end')}",
        f"- {line('mttr_ours_hours')} · {line('mttr_upstream_hours')}",
        f"[{t['full_review']}]({link})",
    ])
