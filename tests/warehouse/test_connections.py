"""Airflow connections reach every session with all their libpq parameters: engines, Level-1 reads and Soda."""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from smartops.backflow.exceptions import ReadOnlyConflict
from smartops.backflow.source import connect_source
from smartops.quality.model import CheckFile, Outcome
from smartops.quality.soda_scan import scan_file
from smartops.vocabulary import Severity
from smartops.warehouse.connections import conninfo, mask, with_options

# Every libpq extra a customer may set; the certificate files are never opened with sslmode=disable.
EXTRAS = {
    "sslmode": "disable", "sslcert": "/etc/ssl/smartops/client.crt", "sslkey": "/etc/ssl/smartops/client.key",
    "sslrootcert": "/etc/ssl/smartops/root.crt", "target_session_attrs": "read-write",
    "options": "-c statement_timeout=4321", "connect_timeout": "7", "keepalives_idle": "30",
    "application_name": "ops-team",
}


@pytest.fixture
def connection_id(monkeypatch: pytest.MonkeyPatch, warehouse: str) -> str:
    params = conninfo_to_dict(warehouse)
    monkeypatch.setenv("AIRFLOW_CONN_TEST_PG", json.dumps({
        "conn_type": "postgres", "host": params["host"], "port": int(params["port"]), "login": params["user"],
        "password": "s3cret-not-used", "schema": params["dbname"], "extra": EXTRAS}))
    return "test_pg"


def test_should_keep_every_libpq_extra_of_the_connection(connection_id, warehouse):
    params = conninfo_to_dict(conninfo(connection_id))

    assert {key: params.get(key) for key in EXTRAS} == EXTRAS
    expected = conninfo_to_dict(warehouse)
    assert (params["host"], params["port"], params["user"], params["dbname"], params["password"]) == (
        expected["host"], expected["port"], expected["user"], expected["dbname"], "s3cret-not-used")


def test_should_open_sessions_with_the_users_options(connection_id):
    with psycopg.connect(conninfo(connection_id)) as conn:
        assert conn.execute("SELECT current_setting('statement_timeout'), current_setting('application_name')"
                            ).fetchone() == ("4321ms", "ops-team")


def test_should_add_read_only_to_level1_sessions_without_dropping_the_users_options(connection_id):
    level1 = with_target(conninfo(connection_id), "prefer-standby")
    with connect_source(level1) as conn:
        assert conn.execute("SELECT current_setting('statement_timeout'), "
                            "current_setting('default_transaction_read_only')").fetchone() == ("4321ms", "on")


def test_should_refuse_a_level1_connection_that_asks_for_a_writable_server(connection_id):
    with pytest.raises(ReadOnlyConflict, match="target_session_attrs=read-write.*prefer-standby"):
        connect_source(conninfo(connection_id))


def with_target(conninfo_str: str, attrs: str) -> str:
    return make_conninfo(conninfo_str, target_session_attrs=attrs)


def test_should_give_soda_the_same_session_parameters(connection_id, warehouse, tmp_path):
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.probe (id int)")
    checks = tmp_path / "probe.yml"
    checks.write_text("""checks for probe:
  - failed rows:
      name: settings reach the session
      fail query: SELECT 1 AS bad WHERE current_setting('statement_timeout') <> '4321ms'
        OR current_setting('application_name') <> 'ops-team' OR current_setting('search_path') <> 'public'
  - failed rows:
      name: the query runs in that session
      fail query: SELECT 1 AS bad WHERE current_setting('statement_timeout') = '4321ms'
""")
    results = scan_file(CheckFile("public", "probe", checks), conninfo=conninfo(connection_id),
                        severity=Severity.LOW, blocking=False, variables={})

    outcomes = {r.check_name: r.outcome for r in results}
    assert outcomes == {"settings reach the session": Outcome.PASS, "the query runs in that session": Outcome.FAIL,
                        "scan": Outcome.PASS}


def test_should_append_settings_to_existing_options():
    params = conninfo_to_dict(with_options("dbname=x options='-c statement_timeout=5s'", "search_path=ods"))
    assert params["options"] == "-c statement_timeout=5s -c search_path=ods"
    assert conninfo_to_dict(with_options("dbname=x", "a=b"))["options"] == "-c a=b"


def test_should_mask_the_password():
    assert "s3cret" not in mask("host=h user=u password=s3cret dbname=d")
    assert conninfo_to_dict(mask("host=h user=u password=s3cret dbname=d"))["password"] == "***"


def test_should_mask_a_password_given_as_a_uri_parameter():
    masked = mask("postgresql://u@h:5432/db?password=s3cret&sslmode=require&sslpassword=k3y")
    assert "s3cret" not in masked and "k3y" not in masked
    assert "sslmode=require" in masked and masked.startswith("postgresql://u@h:5432/db?")
    assert "s3cret" not in mask("postgresql://u:s3cret@h/db")
