"""The launcher runs the deployed configuration: compose's common Airflow settings, local addresses only."""

from __future__ import annotations

import os
import stat

from workbench.cluster import LOCAL_SETTINGS, Cluster, ClusterSpec, Executor, deployed_settings

# What only a process-local topology sets (compose has no such setting, or sets it per service).
LOCAL_ONLY = {"AIRFLOW_HOME", "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT",
              "AIRFLOW__CELERY__WORKER_CONCURRENCY", "AIRFLOW__CORE__DAGS_FOLDER", "AIRFLOW__CORE__PLUGINS_FOLDER",
              "AIRFLOW__CORE__PARALLELISM", "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG"}


def _cluster(tmp_path, executor: Executor = Executor.CELERY) -> Cluster:
    spec = ClusterSpec(home=tmp_path / "home", metadata_uri="postgresql+psycopg2://u@127.0.0.1:1/meta",
                       executor=executor, broker_url="redis://127.0.0.1:1/0")
    base = {"AIRFLOW__CORE__EXECUTOR": "LocalExecutor", "AIRFLOW__CORE__DAGS_FOLDER": "/x/dags",
            "AIRFLOW_CONN_LEVEL1_SOURCE": "postgresql://r@h/l1", "AIRFLOW_CONN_LEVEL2_WAREHOUSE": "postgresql://e@h/wh"}
    return Cluster(base, spec)


def test_should_take_every_deployed_setting_from_compose_but_the_local_addresses(tmp_path):
    env = _cluster(tmp_path).env
    deployed = deployed_settings()
    drifted = {key: (value, env.get(key)) for key, value in deployed.items()
               if key not in LOCAL_SETTINGS and env.get(key) != value}
    assert not drifted, f"the launcher runs settings other than compose's: {drifted}"
    unknown = LOCAL_SETTINGS - set(deployed)
    assert not unknown, f"LOCAL_SETTINGS names settings compose lacks: {unknown}"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("FabAuthManager")
    assert env["AIRFLOW__CORE__HOSTNAME_CALLABLE"] == "smartops.operators.hostname.worker_hostname"


def test_should_set_no_airflow_setting_that_compose_does_not_know(tmp_path):
    env = _cluster(tmp_path).env
    launcher_only = {key for key in env if key.startswith(("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_HOME"))
                     and key not in deployed_settings() and key not in LOCAL_ONLY}
    assert not launcher_only, (f"{sorted(launcher_only)}: set in the launcher only; put them in compose's x-airflow "
                               "environment (the deployed configuration) or, if local by nature, in LOCAL_ONLY")


def test_should_keep_generated_secrets_private_from_their_creation(tmp_path):
    cluster = _cluster(tmp_path)
    for path in [cluster.passwords_file, *cluster.spec.home.glob(".*")]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert cluster.env["AIRFLOW__CORE__FERNET_KEY"] and cluster.env["AIRFLOW__API_AUTH__JWT_SECRET"]
    # the same secrets after a restart
    assert _cluster(tmp_path).env["AIRFLOW__CORE__FERNET_KEY"] == cluster.env["AIRFLOW__CORE__FERNET_KEY"]
