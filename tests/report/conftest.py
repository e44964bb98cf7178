"""Report tests share the demo-data and delivery fixtures of the alerting tests."""

from tests.alerting.conftest import free_port, smtp_server, webhook_server  # noqa: F401 (fixtures)
from tests.alerting.demo_data import synced_warehouse  # noqa: F401 (fixture)
