"""The embedded server of make run / make test belongs to one checkout: another one's is refused, never shared."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from workbench import embedded


def test_should_refuse_a_server_on_its_port_that_keeps_another_checkouts_data(pg_admin, tmp_path):
    port = int(conninfo_to_dict(pg_admin).get("port", 5432))  # the test server: its data lives elsewhere
    with pytest.raises(embedded.ForeignServer, match=rf"port {port} is taken by another embedded PostgreSQL "
                                                     r"whose data directory is .*this checkout's is .*other-checkout"):
        embedded.start(data_dir=tmp_path / "other-checkout", port=port)
    assert not (tmp_path / "other-checkout").exists(), "nothing initialised, nothing attached"
