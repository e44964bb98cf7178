"""`airflow db clean` from a task: the granted connection only, what is older than the cutoff goes."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smartops.maintenance.exceptions import MetadataCleanFailed, MetadataConnectionMissing
from smartops.maintenance.ledger import Outcome
from smartops.maintenance.metadata import clean_metadata
from smartops.operators.maintenance import metadata_url
from tests.conftest import _AIRFLOW_HOME


@pytest.fixture
def metadata_copy(airflow_db, tmp_path) -> Path:
    """A copy of the migrated metadata DB with an audit-log row from 40 days ago and one from today."""
    path = tmp_path / "airflow.db"
    shutil.copyfile(Path(_AIRFLOW_HOME) / "airflow.db", path)
    now = datetime.now(UTC)
    with sqlite3.connect(path) as db:
        for age in (40, 0):
            db.execute("INSERT INTO log (dttm, event, owner) VALUES (?, ?, 'test')",
                       ((now - timedelta(days=age)).isoformat(sep=" "), f"aged_{age}"))
    return path


def test_should_clean_what_is_older_than_the_cutoff_in_a_child_blocked_from_the_tasks_db(metadata_copy, monkeypatch):
    # the task's own setting, as Airflow's supervisor leaves it: the child must not inherit it
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "airflow-db-not-allowed:///")
    cutoff = datetime.now(UTC) - timedelta(days=30)

    dry = clean_metadata(f"sqlite:///{metadata_copy}", cutoff=cutoff, dry_run=True)
    assert dry.outcome is Outcome.DRY_RUN and _events(metadata_copy) == ["aged_0", "aged_40"]

    done = clean_metadata(f"sqlite:///{metadata_copy}", cutoff=cutoff)
    assert done.outcome is Outcome.SUCCESS and done.cutoff == cutoff
    assert _events(metadata_copy) == ["aged_0"]


def test_should_name_the_connection_to_set_when_none_is_granted(monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_AIRFLOW_METADATA", raising=False)
    with pytest.raises(MetadataConnectionMissing, match="AIRFLOW_CONN_AIRFLOW_METADATA"):
        metadata_url("airflow_metadata")


def test_should_fail_with_the_clis_words_and_no_password(tmp_path):
    url = f"postgresql://maint:s3cret-pw@127.0.0.1:1/{tmp_path.name}?connect_timeout=1"
    with pytest.raises(MetadataCleanFailed) as failure:
        clean_metadata(url, cutoff=datetime.now(UTC) - timedelta(days=30))
    assert "s3cret-pw" not in str(failure.value) and "exited with" in str(failure.value)


def _events(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return sorted(row[0] for row in db.execute("SELECT event FROM log WHERE event LIKE 'aged_%'"))
