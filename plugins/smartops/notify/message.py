"""What a channel sends: one rendered message, with whom it mentions and what it attaches."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Attachment(BaseModel):
    """A text file attached to an email (e.g. the full HTML report)."""

    model_config = ConfigDict(frozen=True)

    filename: str
    content_type: str
    text: str


class Mentions(BaseModel):
    """Whom a chat message @mentions, per platform (from alerting.yaml `contacts`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mobiles: tuple[str, ...] = ()             # DingTalk
    dingtalk_user_ids: tuple[str, ...] = ()
    wecom_user_ids: tuple[str, ...] = ()
    feishu_user_ids: tuple[str, ...] = ()
    slack_user_ids: tuple[str, ...] = ()


class Message(BaseModel):
    """Subject line, Markdown body for chat, HTML body for email; mentions and attachments are optional."""

    model_config = ConfigDict(frozen=True)

    subject: str
    markdown: str
    html: str
    mentions: Mentions = Mentions()
    attachments: tuple[Attachment, ...] = ()
