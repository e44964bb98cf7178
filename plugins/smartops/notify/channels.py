"""Delivery targets as configured in alerting.yaml: channel types, channels and the retry policy."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from smartops.fields import Duration, Identifier, parse_duration


class ChannelType(StrEnum):
    EMAIL = "email"
    DINGTALK = "dingtalk"
    WECOM = "wecom"
    FEISHU = "feishu"
    SLACK = "slack"


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
    """How hard one delivery tries: attempts, the pause between them and the per-attempt timeout."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=3, ge=1, le=10)
    retry_delay: Duration = "2s"
    timeout: Duration = "10s"

    @property
    def retry_delay_s(self) -> float:
        return parse_duration(self.retry_delay).total_seconds()

    @property
    def timeout_s(self) -> float:
        return parse_duration(self.timeout).total_seconds()
