"""docker-compose.yaml: the full deployment is structurally sound (no Docker engine runs here)."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_should_run_every_airflow_component_with_celery():
    services = COMPOSE["services"]
    assert {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
            "airflow-worker", "airflow-init", "airflow-db", "redis"} <= set(services)
    assert services["airflow-worker"]["command"] == "celery worker"
    for name, service in services.items():
        if name.startswith("airflow-") and name != "airflow-db":
            assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name


def test_should_take_every_secret_from_the_environment():
    text = (ROOT / "docker-compose.yaml").read_text()
    variables = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", text))
    documented = {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
                  if line and not line.startswith("#")}
    assert variables <= documented, f"document {variables - documented} in .env.example"
    literal = re.search(r"(?im)^\s*\w*(password|secret|key)\w*:\s*(?!\$\{)\S", text)
    assert not literal, f"a literal secret is in docker-compose.yaml: {literal and literal.group(0)}"


def test_should_migrate_and_create_the_pool_before_components_start():
    services = COMPOSE["services"]
    init = services["airflow-init"]["command"]
    assert "airflow db migrate" in init and "pools set level1_source" in init and "smartops migrate" in init
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-worker"):
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
