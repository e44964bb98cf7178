"""The console under the deployment's auth manager (FAB): Viewer reads the console, Op triages, both audited by name."""

from __future__ import annotations

from tests.support.helpers import query


def test_should_let_viewers_read_and_ops_triage(fab_server, console_data, new_item):
    item = new_item()
    triage = f"/api/backlog/{item}/triage"
    with fab_server.client() as anonymous:
        assert anonymous.get("/api/today").status_code == 401
    with fab_server.client("finance") as finance:
        assert finance.get("/api/today").status_code == 200
        assert finance.get("/reports").status_code == 200
        assert finance.get("/api/me").json() == {"name": "finance", "can_triage": False}
        assert finance.post(triage, json={"action": "ack", "note": "Viewer tries"}).status_code == 403
        assert "<form class=\"triage\"" not in finance.get("/backlog").text
    with fab_server.client("ops") as ops:
        assert ops.get("/api/me").json() == {"name": "ops", "can_triage": True}
        response = ops.post(triage, json={"action": "ack", "note": "Op on it"})
    assert response.status_code == 200, response.text
    assert query(console_data.warehouse, "SELECT action, actor, note FROM ops.backlog_audit WHERE item_id = %s "
                                         "ORDER BY audit_id", (item,))[1:] == [("acknowledged", "ops", "Op on it")]
