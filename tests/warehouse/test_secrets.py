"""Secrets stay secret: a password planted in the connections appears in no output, log, ops table or report."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import ROOT
from tests.support.helpers import parse_dag

PLANTED = "planted-S3cret-77"  # the embedded server trusts every login: any password connects


def uri(conninfo: str, *, user: str | None = None, port: int | None = None) -> str:
    p = conninfo_to_dict(conninfo)
    return f"postgresql://{user or p['user']}:{PLANTED}@{p['host']}:{port or p['port']}/{p['dbname']}"


def text_everywhere(warehouse: str) -> str:
    """Every text value of every ops table, concatenated."""
    with psycopg.connect(warehouse) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'ops' AND table_type = 'BASE TABLE'")]
        return "\n".join(str(row) for t in tables
                         for row in conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier("ops", t))))


@pytest.mark.slow
def test_should_never_show_a_connection_password(level1_reader, warehouse, airflow_db, tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", uri(level1_reader, user="level1_reader"))
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL2_WAREHOUSE", uri(warehouse))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}", "AIRFLOW_HOME": str(tmp_path / "airflow")}
    setup = subprocess.run([sys.executable, "-m", "workbench", "setup"], env=env, capture_output=True, text=True,
                           timeout=600)
    assert setup.returncode == 0, setup.stderr[-2000:]
    assert "Warehouse      : postgresql://postgres:***@" in setup.stdout

    # A failing run: Level-1 is unreachable (the same password, a closed port); errors reach logs, alerts, report.
    monkeypatch.setenv("AIRFLOW_CONN_LEVEL1_SOURCE", uri(level1_reader, user="level1_reader", port=1))
    dag = parse_dag("backflow_sync")
    for task in dag.tasks:
        monkeypatch.setattr(task, "retries", 0)
    dag.test(run_conf={"tables": ["account"]})
    report = parse_dag("operations_report").test(run_conf={"deliver": False, "language": "en"})
    assert report.get_task_instance("build_report").state == "success"

    outputs = {"setup stdout": setup.stdout, "setup stderr": setup.stderr, "run output": "".join(capfd.readouterr()),
               "ops tables": text_everywhere(warehouse)}
    assert "connection to server" in outputs["ops tables"], "the failure was recorded (so the check means something)"
    leaked = [name for name, text in outputs.items() if PLANTED in text]
    assert not leaked, f"the planted password appears in: {leaked}"
