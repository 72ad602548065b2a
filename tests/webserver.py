"""A real HTTP server on 127.0.0.1 for the tests, serving routes we write.

Each route is a function of the request handler returning (status, headers, body) where the body
is bytes or an iterator of bytes (for slow drips and endless bodies). The server runs in a thread
for the test session; `requests` records what each path was asked, with its headers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = bytes | Iterator[bytes]
Route = Callable[["Handler"], tuple[int, dict[str, str], Body]]


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, *_args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(path)
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"no such fixture")
            return
        status, headers, body = route(self)
        self._send(status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: Body) -> None:
        self.send_response(status)
        chunked = not isinstance(body, bytes)
        for key, value in headers.items():
            self.send_header(key, value)
        if chunked:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if isinstance(body, bytes):
                self.wfile.write(body)
                return
            for piece in body:
                self.wfile.write(piece)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if chunked:
            self.close_connection = True


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()


def drip(pieces: int, pause: float, piece: bytes = b"x") -> Iterator[bytes]:
    """A body that arrives one small piece at a time."""
    for _ in range(pieces):
        yield piece
        time.sleep(pause)


def endless(piece: bytes = b"0" * 65536) -> Iterator[bytes]:
    """A body that never ends."""
    while True:
        yield piece
