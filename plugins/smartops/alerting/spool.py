"""When the warehouse is down, a failed task's alert still reaches people — and is not lost or sent twice.

The failure callback cannot record anything in the backlog then. It delivers the alert directly to
the channels the file's `alerting.yaml` routes critical alerts to (bypassing the outbox, which lives
in the warehouse) and spools the alert, with the channels that took it, as a file on the worker. The
next alert run that reaches the warehouse (any callback, stage or watchdog run on that machine: every
`open_context`) drains the spool into the backlog — the item opened or counted, the event recorded as
`delivered_directly` — so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from smartops.alerting.messages import direct_message
from smartops.alerting.models import Alert
from smartops.config.alerting import AlertingConfig, load_alerting_config
from smartops.errors import ConfigError
from smartops.notify.delivery import deliver
from smartops.vocabulary import Severity

if TYPE_CHECKING:
    from smartops.alerting.context import AlertContext

log = logging.getLogger(__name__)

SPOOL_ENV = "SMARTOPS_ALERT_SPOOL"


def spool_dir() -> Path:
    """Where undeliverable-to-the-backlog alerts wait: $SMARTOPS_ALERT_SPOOL, else $AIRFLOW_HOME/smartops-spool."""
    default = Path(os.environ.get("AIRFLOW_HOME", "~/airflow")).expanduser() / "smartops-spool"
    return Path(os.environ.get(SPOOL_ENV) or default)


def offline_config() -> AlertingConfig:
    """alerting.yaml as the file says (no last-known-good copy: that lives in the warehouse); defaults if broken."""
    try:
        return load_alerting_config()
    except ConfigError as exc:
        log.error("alerting.yaml is broken and the warehouse is unreachable: no channel to alert: %s", exc)
        return AlertingConfig()


def send_and_spool(alerts: list[Alert], config: AlertingConfig, reason: str) -> list[str]:
    """Deliver `alerts` to the critical route directly and spool them for the backlog; return the channels reached."""
    reached: list[str] = []
    for alert in alerts:
        delivered = [channel.name for channel in config.route(Severity.CRITICAL, alert.owner)
                     if deliver(channel, direct_message(alert, reason, config), config.delivery).delivered]
        _write(alert, delivered)
        reached += delivered
        log.error("warehouse unreachable (%s): alert %s sent directly to %s and spooled in %s", reason,
                  alert.fingerprint, delivered or "no channel", spool_dir())
    return reached


def _write(alert: Alert, delivered: list[str]) -> None:
    folder = spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"alert": alert.model_dump(mode="json"), "delivered_to": delivered}))
    os.replace(tmp, path)  # the drainer never reads half a file


def drain(context: AlertContext) -> int:
    """Record every spooled alert in the backlog (as delivered directly); return how many were drained."""
    from smartops.alerting.service import raise_alert

    folder = spool_dir()
    drained = 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            spooled = json.loads(path.read_text())
            alert = Alert.model_validate(spooled["alert"])
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"{path}: a spooled alert cannot be read ({exc}); move it aside") from exc
        raise_alert(context, alert, delivered_directly=tuple(spooled["delivered_to"]))
        path.unlink()
        drained += 1
    if drained:
        log.info("drained %d spooled alert(s) from %s into the backlog", drained, folder)
    return drained
