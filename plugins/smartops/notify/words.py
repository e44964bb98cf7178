"""Every word the alert path shows people, in Chinese and English: one module, so a `zh` deployment reads
Chinese titles, hints and messages everywhere and an `en` one English.

Texts are templates filled from the facts a stage or detector found (`str.format` fields); the
facts themselves (table names, error messages, numbers) are data and stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smartops.notify.language import Language

MESSAGE = {
    Language.ZH: {
        "severity": {"critical": "严重", "high": "高", "medium": "中", "low": "低"},
        "escalated": "【升级】", "resolved": "【已解决】", "category": "类别", "owner": "负责人",
        "occurrence": "第 {n} 次出现", "hint": "优化建议", "run": "运行", "task": "任务", "item": "待办",
        "scenarios": "受影响场景", "none": "未指定", "took": "用时 {hours:.1f} 小时", "note": "说明",
    },
    Language.EN: {
        "severity": {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
        "escalated": "[ESCALATED] ", "resolved": "[RESOLVED] ", "category": "Category", "owner": "Owner",
        "occurrence": "occurrence #{n}", "hint": "Hint", "run": "Run", "task": "Task", "item": "Backlog item",
        "scenarios": "Affected scenarios", "none": "unassigned", "took": "after {hours:.1f} h", "note": "Note",
    },
}

_OUTCOME = {
    Language.ZH: {"fail": "未通过", "warn": "警告", "error": "无法执行", "pass": "通过"},
    Language.EN: {"fail": "fail", "warn": "warn", "error": "error", "pass": "pass"},
}

# (title, hint) of the alerts the stages raise themselves.
_STAGE = {
    "task_failed": {
        Language.ZH: ("{item} 任务失败: {error_class}", None),
        Language.EN: ("{item} task failed: {error_class}", None),
    },
    "deadline_missed": {
        Language.ZH: ("{dag_id} 未在截止时间 {deadline} 前完成",
                      "打开该运行的网格：找出卡住、排队或在等上游的任务；完成后在待办中解决此项。"),
        Language.EN: ("{dag_id} missed its deadline {deadline}",
                      "Open the run's grid: find the task that is stuck, queued or waiting on upstream; resolve "
                      "this item in the backlog once the run is done."),
    },
    "inventory_finding": {
        Language.ZH: ("清单条目 {table}：{check} 检查为{status}",
                      "按原因修改清单条目（backflow_tables.yaml）或请一级平台处理；"
                      "`python -m smartops inventory check` 复查。"),
        Language.EN: ("inventory entry {table}: {check} is {status}",
                      "Fix the entry (backflow_tables.yaml) or ask Level-1, as the reason says; re-check with "
                      "`python -m smartops inventory check`."),
    },
    "check": {
        Language.ZH: ("{table}: {check} {outcome}", None),
        Language.EN: ("{table}: {check} {outcome}", None),
    },
    "gate_refused": {
        Language.ZH: ("{title_zh}（{scenario}）未刷新：输入未通过质量门禁",
                      "上一版数据集仍在发布。修复未通过的输入检查，重新运行 quality_scan，然后清除该任务。"),
        Language.EN: ("{title_en} ({scenario}) not refreshed: inputs failed the quality gate",
                      "The previous mart is still published. Fix the failing input checks, re-run quality_scan, "
                      "then clear this task."),
    },
    "upstream_no_route": {
        Language.ZH: ("一级负责人 {owner} 有 {items} 条待协同问题，但 alerting.yaml 未配置其通道",
                      "在 alerting.yaml 的 upstream.owners 下为 {owner} 列出通道（邮件通道的 to 为对方团队）。"),
        Language.EN: ("Level-1 owner {owner} has {items} items to coordinate but no channel in alerting.yaml",
                      "List channels for {owner} under upstream.owners in alerting.yaml (an email channel's `to` "
                      "is their team)."),
    },
    "config_invalid": {
        Language.ZH: ("{name} 无效；告警改用{fallback}",
                      "修复 {name}（错误信息指明了条目和字段）；修复前告警使用{fallback}。"),
        Language.EN: ("{name} is invalid; alerting runs on {fallback}",
                      "Fix {name} (the message names the entry and field); until then the alert path uses "
                      "{fallback}."),
    },
    "pulse": {
        Language.ZH: ("{table} {day}：{finding}", None),
        Language.EN: ("{table} {day}: {finding}", None),
    },
    "drift_applied": {
        Language.ZH: ("{table} 结构变更已同步：{columns}", "一级平台新增了列；确认下游模型和报表是否需要使用它们。"),
        Language.EN: ("{table} schema change applied: {columns}",
                      "Level-1 added columns; check whether downstream models and reports should use them."),
    },
    "flapping": {
        Language.ZH: (None, "该检查反复通过/失败（已重新打开 {count} 次）：复核阈值或从源头修复数据"),
        Language.EN: (None, "flapping: reopened {count} times; review the threshold or fix the data at source"),
    },
    "repeated_skips": {
        Language.ZH: (None, "场景已连续 {count} 次被质量门禁跳过：优先修复其上游检查"),
        Language.EN: (None, "scenario skipped by its gate {count} times in a row; fix its upstream checks first"),
    },
}

# (title, details, hint) of the watchdog's findings; details are filled from the finding's facts.
_FINDING = {
    "missed_run": {
        Language.ZH: ("{dag_id} 未按计划启动（{schedule}）", "{reason}；启动宽限 {grace}，当前 {now}。",
                      "检查 DAG 是否暂停、调度器是否存活、资源池是否有空位；"
                      "资产触发的 DAG 请查看缺少的上游表为何未产出"),
        Language.EN: ("{dag_id} did not start on schedule ({schedule})", "{reason}; start grace {grace}, now {now}.",
                      "check that the DAG is unpaused, the scheduler is alive, the pool has slots and, for an "
                      "asset-triggered DAG, why the missing upstream tables were not produced"),
    },
    "stuck_run": {
        Language.ZH: ("{dag_id} 已运行 {minutes} 分钟",
                      "运行 {run_id} 于 {started} 开始，{elapsed}s 后仍在运行（上限 {limit}s，{usual}）。",
                      "查找卡在锁上的任务或失联的 worker；清除任务是安全的（任务幂等）。"),
        Language.EN: ("{dag_id} running for {minutes} min",
                      "run {run_id} started {started} and is still running after {elapsed}s (limit {limit}s, "
                      "{usual}).",
                      "Look for a task stuck on a lock or a dead worker; clearing the task is safe (tasks are "
                      "idempotent)."),
    },
    "failed_without_alert": {
        Language.ZH: ("{dag_id}.{task_id} 静默失败",
                      "运行 {run_id} 的任务 {task_id} 第 {try_number} 次尝试于 {ended} 失败，且没有记录该次失败的告警"
                      "（任务被杀死或其失败回调未执行）。", "阅读该任务日志。"),
        Language.EN: ("{dag_id}.{task_id} failed silently",
                      "task {task_id} of run {run_id} failed at {ended} (try {try_number}) and no failure alert of "
                      "that try was recorded (the task was killed or its failure callback did not run).",
                      "Read the task log."),
    },
    "freshness_sla": {
        Language.ZH: ("{table} 超过新鲜度时限 {sla}", "{table}：{age}；freshness_sla={sla}。",
                      "查看 backflow_sync 最近的运行。"),
        Language.EN: ("{table} past its freshness SLA {sla}", "{table}: {age}; freshness_sla={sla}.",
                      "Check backflow_sync's last runs."),
    },
    "import_error": {
        Language.ZH: ("DAG 文件 {filename} 无法导入", "{stacktrace}", "修复该文件；修复前其中的 DAG 不会运行。"),
        Language.EN: ("DAG file {filename} does not import", "{stacktrace}",
                      "Fix the file; its DAGs do not run until then."),
    },
    "throughput_drop": {
        Language.ZH: ("{table} 同步吞吐下降", "最近 {latest:.0f} 行/秒，前 {runs} 次平均 {trailing:.0f} 行/秒",
                      "检查一级平台负载、锁和回看窗口；考虑在低峰期全量重载"),
        Language.EN: ("{table} sync throughput dropped", "latest {latest:.0f} rows/s vs trailing mean "
                      "{trailing:.0f} rows/s over {runs} runs",
                      "check Level-1 load, locks and the lookback window; consider a full reload off-peak"),
    },
    "stale_build": {
        Language.ZH: ("{table} 已 {age} 未重建", "{table}：最近一次成功构建 {built}，早于 build_freshness={limit}。",
                      "查看 aggregation / scenario_refresh 的运行及其质量门禁（门禁拒绝时保留旧数据集）。"),
        Language.EN: ("{table} not rebuilt for {age}", "{table}: last successful build {built}, older than "
                      "build_freshness={limit}.",
                      "Check the aggregation / scenario_refresh runs and their quality gate (a refused gate keeps "
                      "the old mart)."),
    },
}

# Why a scheduled DAG is overdue (the {reason} of missed_run).
_OVERDUE = {
    "paused": {Language.ZH: "{dag_id} 已暂停，调度不会创建运行",
               Language.EN: "{dag_id} is paused, so its schedule creates no runs"},
    "waiting": {Language.ZH: "上游事件自 {since} 起等待；仍缺少的输入：{missing}",
                Language.EN: "upstream events have waited since {since}; inputs still missing: {missing}"},
    "never_created": {Language.ZH: "应于 {due} 运行的批次调度器从未创建",
                      Language.EN: "the run due at {due} was never created by the scheduler"},
    "not_started": {Language.ZH: "应于 {due} 运行的批次状态为 {state}，尚未开始",
                    Language.EN: "the run due at {due} is {state}, not started"},
}

# What the alert path runs on while a config file is broken (the {fallback} of config_invalid).
_FALLBACK = {
    "last_good": {Language.ZH: "上次验证通过的副本（{at}）", Language.EN: "the last known good copy validated at {at}"},
    "defaults": {Language.ZH: "内置默认配置（无通道）", Language.EN: "built-in defaults (no channels)"},
    "none": {Language.ZH: "无副本（从未验证通过）", Language.EN: "no copy (none was ever validated)"},
}

# The pulse's findings, as the title names them.
_PULSE_FINDING = {
    "zero_rows": {Language.ZH: "工作日无数据", Language.EN: "no rows on a working day"},
    "low_volume": {Language.ZH: "数据量明显偏低", Language.EN: "far fewer rows than comparable days"},
    "high_volume": {Language.ZH: "数据量明显偏高（疑似重复）",
                    Language.EN: "far more rows than comparable days (a day twice?)"},
    "stale": {Language.ZH: "连续工作日无新数据", Language.EN: "no new rows for working days"},
    "closed_period_change": {Language.ZH: "已结账期间数据被修改", Language.EN: "a closed period changed"},
    "reopened_period_change": {Language.ZH: "反结账期间内的调整", Language.EN: "an adjustment in a reopened period"},
}

_DIGEST = {Language.ZH: "【汇总】{count} 条通知", Language.EN: "[DIGEST] {count} notifications"}

# The 一级协同 digest to a Level-1 team (smartops.alerting.upstream_digest).
UPSTREAM = {
    Language.ZH: {
        "subject": "【一级协同】{owner}：{new} 条新问题，{still_open} 条仍未解决 — {day}",
        "intro": "以下问题经规则判定原因在一级平台（贵方数据）。证据明细见附件 CSV（敏感字段已脱敏）；"
                 "处理后请回复，我方复核后关闭。",
        "new": "新", "still_open": "仍未解决", "first_seen": "首次发现", "times": "{n} 次",
        "console": "运营中心一级协同页",
        "more": "… 另有 {n} 条，见附件",
    },
    Language.EN: {
        "subject": "[Level-1] {owner}: {new} new, {still_open} still open — {day}",
        "intro": "By rule, the cause of these problems is at Level-1 (your data). The evidence is in the attached CSV "
                 "(sensitive columns masked); please reply once handled, we check and close.",
        "new": "new", "still_open": "still open", "first_seen": "first seen", "times": "{n} times",
        "console": "Ops console, Level-1 page", "more": "… {n} more, see the attachment",
    },
}


@dataclass(frozen=True)
class Text:
    """What people read about one problem: a title, details and an optional hint."""

    title: str
    details: str = ""
    hint: str | None = None


def outcome(language: Language, value: str) -> str:
    """A check outcome (pass/warn/fail/error) in `language`."""
    return _OUTCOME[language].get(value, value)


def stage_text(kind: str, language: Language, **facts: Any) -> Text:
    """The title and hint of an alert a stage raises (`task_failed`, `check`, `gate_refused`, `config_invalid`)."""
    title, hint = _STAGE[kind][language]
    return Text(title.format(**facts) if title else "", "", hint.format(**facts) if hint else None)


def hint(kind: str, language: Language, **facts: Any) -> str:
    """An optimization hint from an item's history (`flapping`, `repeated_skips`)."""
    return _STAGE[kind][language][1].format(**facts)


def finding_text(kind: str, facts: Mapping[str, Any], language: Language) -> Text:
    """The title, details and hint of a watchdog finding of `kind`, filled from its facts."""
    title, details, hint_ = _FINDING[kind][language]
    values = dict(facts)
    if "reason" in values and isinstance(values["reason"], Mapping):  # a missed run's structured reason
        reason = values["reason"]
        values["reason"] = _OVERDUE[reason["kind"]][language].format(**reason)
    return Text(title.format(**values), details.format(**values), hint_.format(**values))


def pulse_finding(language: Language, kind: str) -> str:
    """A pulse finding kind (zero_rows, low_volume …) in words."""
    return _PULSE_FINDING[kind][language]


def fallback(language: Language, kind: str, validated_at: datetime | None) -> str:
    """What the alert path runs on while a config file is broken, in `language`."""
    return _FALLBACK[kind][language].format(at=f"{validated_at:%Y-%m-%d %H:%M:%S%z}" if validated_at else "-")


def digest_subject(language: Language, count: int) -> str:
    """The subject of one message folding `count` notifications."""
    return _DIGEST[language].format(count=count)
