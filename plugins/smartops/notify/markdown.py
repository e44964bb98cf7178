"""Text from data (titles, notes, error messages, Level-1 values) in chat messages: never live markup.

Messages are written in Markdown with data escaped (`escape`); each channel then gets the form it
renders (`for_channel`): DingTalk and WeCom render Markdown and take the escapes; Feishu's text
messages show text as it is; Slack's mrkdwn has no backslash escapes, only `&`, `<` and `>` are
control characters (its links are `<url|text>`, so `[x](url)` is no link there).
"""

from __future__ import annotations

import re

from smartops.notify.channels import ChannelType

_SPECIAL = re.compile(r"([\\`*\[\]()<>!])")
_ESCAPED = re.compile(r"\\([\\`*\[\]()<>!])")


def escape(text: str) -> str:
    """Backslash-escape every Markdown control character of `text` (a link or emphasis stays literal text)."""
    return _SPECIAL.sub(r"\\\1", text)


def for_channel(markdown: str, channel: ChannelType) -> str:
    """The message's Markdown as `channel` should receive it."""
    if channel in (ChannelType.DINGTALK, ChannelType.WECOM):
        return markdown
    plain = _ESCAPED.sub(r"\1", markdown)
    if channel is ChannelType.SLACK:
        return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return plain
