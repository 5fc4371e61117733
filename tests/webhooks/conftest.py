"""A real HTTP receiver on 127.0.0.1 for the webhooks' tests (#18).

It checks each delivery's signature with the reference implementation of Standard Webhooks
(the `standardwebhooks` package), not with the newsroom's own code, and records what it got.
Its answers are scripted: `receiver.answers = [500, 200]` fails once, then takes deliveries.
"""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.factories import AuthorFactory, EditorFactory, ReviewArticleFactory, SectionFactory


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    verified: bool
    payload: dict | None


@dataclass
class Receiver:
    secret: str = ""
    answers: list = field(default_factory=list)  # statuses to answer, in turn; then 200
    received: list = field(default_factory=list)
    hang: threading.Event | None = None  # when set up, the receiver never answers until set
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if receiver.hang is not None:
                receiver.hang.wait(10)
                return
            headers = dict(self.headers.items())
            try:
                payload = Webhook(receiver.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                payload, verified = None, False
            receiver.received.append(Received(self.path, headers, body, verified, payload))
            status = receiver.answers.pop(0) if receiver.answers else 200
            if not verified:
                status = 401
            answer = json.dumps({"ok": 200 <= status < 300, "verified": verified}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver(settings):
    """A receiver at 127.0.0.1, allowed by the settings as a loopback target must be."""
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    if receiver.hang is not None:
        receiver.hang.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (signals, jobs), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor(db):
    return EditorFactory(username="ed", first_name="Ed", last_name="Itor")


@pytest.fixture
def story(db):
    return ReviewArticleFactory(
        headline="Harbour tunnel opens",
        section=SectionFactory(name="City", slug="city"),
        authors=[AuthorFactory(name="Rita Okafor")],
    )
