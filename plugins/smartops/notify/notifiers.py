"""Channels as Airflow notifiers: email (smtp provider) and DingTalk/WeCom/Feishu/Slack webhooks.

Each notifier sends one message once and raises on failure (smartops.notify.delivery adds the
retries and the record). The Airflow connection named by the channel holds the endpoint and secrets:
email uses an `smtp` connection; a webhook connection has the full URL in `host` (or extra
`url`) and, for DingTalk/Feishu signed robots, the signing secret in `password`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from airflow.sdk import BaseNotifier

from smartops.notify.channels import Channel, ChannelType
from smartops.notify.markdown import for_channel
from smartops.notify.message import Message

if TYPE_CHECKING:
    from airflow.sdk import Context


class DeliveryError(RuntimeError):
    """A channel refused or could not take a message (the message names no secret)."""


def webhook_url(channel: Channel, conn_id: str, raw: str) -> str:
    """The connection's webhook URL, checked: an https URL on one line with a host, nothing stray in it.

    A URL pasted with a space or a control character would make http.client raise an error quoting
    the path and query — for DingTalk and WeCom the query *is* the robot's secret. Refuse it here,
    naming the channel and the host only.
    """
    url = raw.strip()
    parts = urllib.parse.urlsplit(url)
    stray = any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url)
    if "://" not in url or parts.scheme not in ("http", "https") or not parts.hostname or stray:
        raise DeliveryError(
            f"channel={channel.name}: connection {conn_id!r} does not hold a valid webhook URL (host "
            f"{parts.hostname or 'unknown'}{', contains a space or control character' if stray else ''}); put "
            "the full https:// URL on one line in the connection's host or in extra {\"url\": …}")
    return url


def describe_failure(error: BaseException, host: str | None) -> str:
    """What a failed delivery records: our own message, else the error's type, status and host — never a URL.

    Transport errors quote the request's URL (a webhook's secret) or its pieces; they are reduced to
    what an operator needs to act: which host, what kind of failure.
    """
    if isinstance(error, DeliveryError):
        return str(error)
    status = f" {error.code}" if isinstance(error, urllib.error.HTTPError) else ""
    return f"{type(error).__name__}{status} (host {host or 'unknown'})"


class ChannelNotifier(BaseNotifier):
    """Send one rendered message through one configured channel."""

    def __init__(self, *, channel: Channel, message: Message, timeout_s: float = 10.0) -> None:
        super().__init__()
        self.channel = channel
        self.message = message
        self.timeout_s = timeout_s
        self.host: str | None = None  # the endpoint's host, once the connection is read (for error records)

    def notify(self, context: Context) -> None:
        raise NotImplementedError


class EmailNotifier(ChannelNotifier):
    """HTML email through the smtp provider's hook (connection: host, port, login, extra from_email)."""

    def notify(self, context: Context) -> None:
        from airflow.providers.smtp.hooks.smtp import SmtpHook
        from airflow.sdk import BaseHook

        self.host = BaseHook.get_connection(self.channel.conn_id).host
        with tempfile.TemporaryDirectory(prefix="smartops-mail-") as folder, \
                SmtpHook(smtp_conn_id=self.channel.conn_id) as hook:
            files = []
            for attachment in self.message.attachments:  # the hook attaches files by path
                path = Path(folder) / attachment.filename
                path.write_text(attachment.text, encoding="utf-8")
                files.append(str(path))
            hook.send_email_smtp(
                to=self.channel.to, subject=self.message.subject, html_content=self.message.html,
                from_email=hook.from_email or "smartops@localhost", files=files or None,
            )


class WebhookNotifier(ChannelNotifier):
    """POST a JSON payload to a chat robot's webhook; subclasses shape the payload."""

    # Robots answer HTTP 200 with an error code in the body; these keys carry it.
    error_keys: ClassVar[tuple[str, ...]] = ("errcode", "code", "StatusCode")

    def payload(self, secret: str | None) -> dict:
        raise NotImplementedError

    def url(self, base: str, secret: str | None) -> str:
        return base

    def notify(self, context: Context) -> None:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(self.channel.conn_id)
        base = webhook_url(self.channel, self.channel.conn_id, conn.extra_dejson.get("url") or conn.host or "")
        self.host = urllib.parse.urlsplit(base).hostname
        secret = conn.password or None
        request = urllib.request.Request(
            self.url(base, secret), data=json.dumps(self.payload(secret), ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            body = response.read().decode("utf-8", "replace")
        self._check(body)

    def _check(self, body: str) -> None:
        try:
            answer = json.loads(body)
        except ValueError:
            return
        if isinstance(answer, dict):
            for key in self.error_keys:
                if answer.get(key) not in (None, 0):
                    raise DeliveryError(
                        f"channel={self.channel.name}: endpoint answered {key}={answer[key]}: {body[:200]}")


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk robot signature: base64(HMAC-SHA256(key=secret, msg='<timestamp>\\n<secret>'))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_signature(secret: str, timestamp_s: int) -> str:
    """Feishu robot signature: base64(HMAC-SHA256(key='<timestamp>\\n<secret>', msg=''))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkNotifier(WebhookNotifier):
    """DingTalk custom robot, markdown message; signed with `timestamp` and `sign` query parameters."""

    def url(self, base: str, secret: str | None) -> str:
        if not secret:
            return base
        timestamp = int(time.time() * 1000)
        query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_signature(secret, timestamp)})
        return f"{base}{'&' if '?' in base else '?'}{query}"

    def payload(self, secret: str | None) -> dict:
        mentions = self.message.mentions
        tags = " ".join(f"@{m}" for m in (*mentions.mobiles, *mentions.dingtalk_user_ids))
        markdown = for_channel(self.message.markdown, ChannelType.DINGTALK)
        text = f"{markdown}\n\n{tags}" if tags else markdown
        return {"msgtype": "markdown", "markdown": {"title": self.message.subject, "text": text},
                "at": {"atMobiles": list(mentions.mobiles), "atUserIds": list(mentions.dingtalk_user_ids),
                       "isAtAll": False}}


class WeComNotifier(WebhookNotifier):
    """WeCom (企业微信) group robot, markdown message."""

    def payload(self, secret: str | None) -> dict:
        tags = " ".join(f"<@{user}>" for user in self.message.mentions.wecom_user_ids)
        markdown = for_channel(self.message.markdown, ChannelType.WECOM)
        return {"msgtype": "markdown", "markdown": {"content": f"{markdown}\n{tags}" if tags else markdown}}


class FeishuNotifier(WebhookNotifier):
    """Feishu (飞书) custom bot, text message; signed in the body when a secret is set."""

    def payload(self, secret: str | None) -> dict:
        tags = "".join(f'<at user_id="{user}"></at>' for user in self.message.mentions.feishu_user_ids)
        text = for_channel(self.message.markdown, ChannelType.FEISHU)
        body: dict = {"msg_type": "text", "content": {"text": f"{text}\n{tags}" if tags else text}}
        if secret:
            timestamp = int(time.time())
            body.update(timestamp=str(timestamp), sign=feishu_signature(secret, timestamp))
        return body


class SlackNotifier(WebhookNotifier):
    """Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat), mrkdwn text."""

    def payload(self, secret: str | None) -> dict:
        tags = " ".join(f"<@{user}>" for user in self.message.mentions.slack_user_ids)
        text = for_channel(self.message.markdown, ChannelType.SLACK)
        return {"text": f"{text}\n{tags}" if tags else text}


NOTIFIERS: dict[ChannelType, type[ChannelNotifier]] = {
    ChannelType.EMAIL: EmailNotifier,
    ChannelType.DINGTALK: DingTalkNotifier,
    ChannelType.WECOM: WeComNotifier,
    ChannelType.FEISHU: FeishuNotifier,
    ChannelType.SLACK: SlackNotifier,
}
