"""docker-compose.yaml's real auth: the FAB auth manager on every Airflow service, an admin from .env."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT
from tests.support.console import FAB_AUTH_MANAGER

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_should_run_every_airflow_service_with_the_fab_auth_manager():
    services = {n: s for n, s in COMPOSE["services"].items() if n.startswith("airflow-") and n != "airflow-db"}
    assert services, "no Airflow service in docker-compose.yaml"
    for name, service in services.items():
        assert service["environment"]["AIRFLOW__CORE__AUTH_MANAGER"] == FAB_AUTH_MANAGER, name
    pins = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^apache-airflow-providers-fab==\S+$", pins, re.MULTILINE), "pin the FAB provider"


def test_should_create_the_admin_from_env_variables_documented_in_env_example():
    init = COMPOSE["services"]["airflow-init"]["command"]
    assert "airflow users create --role Admin" in init
    used = set(re.findall(r"\$\$\{(AIRFLOW_ADMIN_[A-Z]+)", init))
    documented = {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line}
    assert used == {"AIRFLOW_ADMIN_USERNAME", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_ADMIN_EMAIL"}
    assert used <= documented, f"document {used - documented} in .env.example"
