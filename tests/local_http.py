"""A web server on 127.0.0.1 for the tests that fetch: no test reaches the internet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    """A quiet request handler with a one-call answer."""

    def answer(self, status: int, kind: str, body: bytes) -> None:
        """Answer with `body` of content type `kind`."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # the test output stays the test's


@contextmanager
def serving(handler: type[Handler]) -> Iterator[str]:
    """Serve with `handler` on a free port; yields the server's base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
