"""What a channel sends: one rendered message."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """Subject line, Markdown body for chat, HTML body for email."""

    model_config = ConfigDict(frozen=True)

    subject: str
    markdown: str
    html: str
