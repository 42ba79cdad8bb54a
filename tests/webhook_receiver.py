"""A real HTTP receiver of webhooks on 127.0.0.1 (http.server, in a thread): what it received,
and which status it answers (the tests make it fail on purpose). The benchmark uses it too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)
    # Statuses to answer, in turn; 200 once they are used up.
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, received: Received) -> int:
        with self.lock:
            self.received.append(received)
            return self.statuses.pop(0) if self.statuses else 200


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real endpoint would
    # The answer in one segment, sent at once: headers and body written apart with Nagle's
    # algorithm on would wait for the client's delayed ACK (40 ms a request).
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if len(raw) < length:
            return  # the sender went away mid-request: nothing was delivered
        status = self.server.inbox.take(
            Received(path=self.path, headers=dict(self.headers.items()), body=raw.decode())
        )
        answer = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read the inbox, not a log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A deliverer opens WEBHOOK_CONCURRENCY connections at once; the default backlog of 5
    # would drop the rest's SYNs and make them retry a second later.
    request_queue_size = 256

    def __init__(self, inbox: Inbox) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.inbox = inbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a sender that goes away mid-request (the benchmark kills one) is no fault of
        the receiver's, and what it did receive is in the inbox."""


class WebhookReceiver:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self._server = _Server(self.inbox)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    @property
    def received(self) -> list[Received]:
        with self.inbox.lock:
            return list(self.inbox.received)

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with `statuses`, then 200 again."""
        with self.inbox.lock:
            self.inbox.statuses.extend(statuses)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def running_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
