"""Build alerting configs and alerts for tests (channels point at the local test servers)."""

from __future__ import annotations

import json

import pytest

from smartops.alerting.models import Alert, Category
from smartops.config.alerting import AlertingConfig
from smartops.vocabulary import Severity


def webhook_connection(monkeypatch: pytest.MonkeyPatch, conn_id: str, url: str, secret: str | None = None) -> None:
    """Define Airflow connection `conn_id` (env var) holding a webhook URL and optional signing secret."""
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}",
                       json.dumps({"conn_type": "http", "host": url, "password": secret}))


def smtp_connection(monkeypatch: pytest.MonkeyPatch, conn_id: str, port: int) -> None:
    """Define an smtp connection to a local plain-text SMTP server."""
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": port,
        "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "smartops@example.com",
                  "retry_limit": 0, "timeout": 5},
    }))


def make_config(**overrides: object) -> AlertingConfig:
    """An alerting config with one DingTalk channel for every severity unless overridden."""
    data: dict = {
        "language": "zh", "suppression_interval": "1h",
        "delivery": {"attempts": 2, "retry_delay": "0s", "timeout": "2s"},
        "channels": [{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
        "routes": {"by_severity": {s.value: ["ding"] for s in Severity}},
        "escalation": {"after_occurrences": 5, "channels": []},
    }
    data.update(overrides)
    return AlertingConfig.model_validate(data)


def make_alert(**overrides: object) -> Alert:
    """A quality failure on ods.expense_claim unless overridden."""
    fields: dict = {
        "stage": "quality_scan", "object": "ods.expense_claim", "check": "amount_not_negative",
        "category": Category.QUALITY, "severity": Severity.HIGH, "title": "负数金额 2 行",
        "details": "amount < 0: 2 rows", "owner": "finance-data",
        "dag_id": "quality_scan", "run_id": "manual__2026-11-29", "task_id": "scan_ods",
        "run_url": "http://localhost:8080/dags/quality_scan/runs/manual__2026-11-29",
    }
    fields.update(overrides)
    return Alert(**fields)
