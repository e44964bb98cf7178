"""Deliver one message through one channel: retries per policy, a Delivery record, never an exception."""

from __future__ import annotations

import logging
import time

from pydantic import BaseModel, ConfigDict

from smartops.notify.channels import Channel, DeliveryPolicy
from smartops.notify.message import Message
from smartops.notify.notifiers import NOTIFIERS, describe_failure

log = logging.getLogger(__name__)


class Delivery(BaseModel):
    """The result of sending one message through one channel."""

    model_config = ConfigDict(frozen=True)

    channel: str
    channel_type: str
    delivered: bool
    attempts: int
    error: str | None = None


def _missing_connection(channel: Channel) -> str | None:
    """Explain a channel whose Airflow connection is not defined (retrying cannot help)."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        BaseHook.get_connection(channel.conn_id)
    except AirflowNotFoundException:
        return (f"channel={channel.name}: Airflow connection {channel.conn_id!r} is not defined; set "
                f"AIRFLOW_CONN_{channel.conn_id.upper()} or add it in the UI (see docs/alerting.md)")
    return None


def deliver(channel: Channel, message: Message, policy: DeliveryPolicy) -> Delivery:
    """Send `message` through `channel`, retrying per `policy`; log and return failures, never raise."""
    error = _missing_connection(channel)
    if error:
        log.error("%s", error)
        return Delivery(channel=channel.name, channel_type=channel.type.value, delivered=False, attempts=0,
                        error=error)
    notifier = NOTIFIERS[channel.type](channel=channel, message=message, timeout_s=policy.timeout_s)
    for attempt in range(1, policy.attempts + 1):
        try:
            notifier.notify({})
        except Exception as exc:  # any transport or endpoint failure: retry, then record it
            error = describe_failure(exc, notifier.host)
            log.warning("channel %s (%s): attempt %d/%d failed: %s", channel.name, channel.type.value,
                        attempt, policy.attempts, error)
            if attempt < policy.attempts:
                time.sleep(policy.retry_delay_s)
            continue
        log.info("channel %s (%s): delivered %r", channel.name, channel.type.value, message.subject)
        return Delivery(channel=channel.name, channel_type=channel.type.value, delivered=True, attempts=attempt)
    log.error("channel %s (%s): not delivered after %d attempts: %s", channel.name, channel.type.value,
              policy.attempts, error)
    return Delivery(channel=channel.name, channel_type=channel.type.value, delivered=False,
                    attempts=policy.attempts, error=error)
