"""Delivery targets as configured in alerting.yaml: channel types, channels and the retry policy."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.fields import Duration, Identifier, parse_duration


class ChannelType(StrEnum):
    EMAIL = "email"
    DINGTALK = "dingtalk"
    WECOM = "wecom"
    FEISHU = "feishu"
    SLACK = "slack"

    @property
    def per_minute(self) -> int:
        """Messages a minute one endpoint takes before it throttles (the chat robots: about 20)."""
        return {ChannelType.DINGTALK: 20, ChannelType.WECOM: 20, ChannelType.FEISHU: 20,
                ChannelType.SLACK: 60, ChannelType.EMAIL: 30}[self]


class Channel(BaseModel):
    """A delivery target; `conn_id` names the Airflow connection holding URL/host and secrets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Identifier
    type: ChannelType
    conn_id: str = Field(min_length=1)
    to: list[str] = []

    @model_validator(mode="after")
    def _email_has_recipients(self) -> Channel:
        if self.type is ChannelType.EMAIL and not self.to:
            raise ValueError(f"channel {self.name!r} is of type email: list recipients in 'to'")
        return self


class DeliveryPolicy(BaseModel):
    """How hard delivery tries: attempts per call, their pause and timeout; the outbox's backoff and expiry.

    A notification not delivered by one call is retried by later calls (the next alert run or the
    watchdog) after `backoff`, doubling up to `max_backoff`, until delivered or `expire_after` has passed.
    More than `digest_after` due messages for one channel (or more than it takes this minute) are
    folded into one digest message.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=3, ge=1, le=10)
    retry_delay: Duration = "2s"
    timeout: Duration = "10s"
    backoff: Duration = "1m"
    max_backoff: Duration = "1h"
    expire_after: Duration = "24h"
    digest_after: int = Field(default=5, ge=1)

    def backoff_after(self, attempts: int) -> timedelta:
        """The pause before the next try of a notification that failed `attempts` times."""
        return min(parse_duration(self.backoff) * 2 ** max(attempts - 1, 0), parse_duration(self.max_backoff))

    @property
    def retry_delay_s(self) -> float:
        return parse_duration(self.retry_delay).total_seconds()

    @property
    def timeout_s(self) -> float:
        return parse_duration(self.timeout).total_seconds()
