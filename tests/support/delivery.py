"""Local delivery endpoints for alert and report tests: an SMTP server and a chat-robot webhook server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from smartops.vocabulary import Severity
from workbench import ports


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    body: dict


@dataclass
class WebhookServer:
    """What the robot received; set `down` to make it answer 503 (a robot that is down) and count refusals."""

    url: str
    requests: list[Received] = field(default_factory=list)
    down: bool = False
    refused: int = 0


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    """An HTTP server that records every POSTed JSON body and answers like a robot ({"errcode": 0})."""
    server_state = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            length = int(self.headers["Content-Length"])
            parts = urlsplit(self.path)
            body = json.loads(self.rfile.read(length))
            if server_state.down:
                server_state.refused += 1
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            server_state.requests.append(Received(parts.path, parse_qs(parts.query), body))
            answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()


@dataclass
class SmtpServer:
    port: int
    messages: list[Message] = field(default_factory=list)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free local port keeping every message it receives."""
    from aiosmtpd.controller import Controller

    state = SmtpServer(port=ports.free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd naming)
            raw = envelope.original_content or envelope.content
            state.messages.append(message_from_bytes(raw, policy=policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=state.port)
    controller.start()
    yield state
    controller.stop()


@pytest.fixture
def free_port() -> int:
    """A local port with nothing listening (a channel that is down)."""
    return ports.free_port()


@pytest.fixture
def alerting_config_file(tmp_path, monkeypatch, free_port):
    """An alerting.yaml whose only channel is down (nothing listens on its port)."""
    path = tmp_path / "alerting.yaml"
    path.write_text(yaml.safe_dump({
        "delivery": {"attempts": 2, "retry_delay": "0s", "timeout": "2s"},
        "channels": [{"name": "ding", "type": "dingtalk", "conn_id": "test_ding"}],
        "routes": {"by_severity": {s.value: ["ding"] for s in Severity}},
    }))
    monkeypatch.setenv("SMARTOPS_ALERTING_CONFIG", str(path))
    monkeypatch.setenv("AIRFLOW_CONN_TEST_DING", f"http://127.0.0.1:{free_port}/down")
    return path

