"""Errors of the retention steps (smartops.errors taxonomy)."""

from __future__ import annotations

from smartops.errors import ConfigError, SmartopsError


class MetadataConnectionMissing(ConfigError):
    """The maintenance DAG was given no connection to Airflow's metadata DB (tasks cannot reach it otherwise)."""

    def __init__(self, conn_id: str) -> None:
        super().__init__(
            f"connection {conn_id!r} is not defined: `airflow db clean` needs it to reach Airflow's metadata DB "
            f"(Airflow 3 blocks tasks from it). Set AIRFLOW_CONN_{conn_id.upper()} to the metadata DB's URI "
            "(docker-compose.yaml sets it), or change metadata.conn_id in include/config/retention.yaml.")


class MetadataCleanFailed(SmartopsError):
    """`airflow db clean` exited with an error (its last lines are in the message, credentials masked)."""

    def __init__(self, returncode: int, output: str) -> None:
        super().__init__(f"airflow db clean exited with {returncode}: {output}")
