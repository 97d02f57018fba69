"""reader.model.fetch against servers on 127.0.0.1 started here: well-behaved ones
(`http.server`) and misbehaving ones on raw sockets. Nothing reaches the internet.

Times are behaviour bounds with wide margins: a drip or a silent server must end
near `total_timeout` (2 s here), not in exactly that.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from reader import __version__
from reader.model.fetch import (
    HTML_TYPES,
    IMAGE_TYPES,
    USER_AGENT,
    FetchError,
    Limits,
    fetch,
    make_client,
)

PAGE = b"<!doctype html><title>A story</title><p>Hello.</p>"
QUICK = Limits(total_timeout=2)
QUICKER = Limits(total_timeout=1)


# -- A well-behaved server -----------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"}
    )
    body: bytes = PAGE


class Site:
    """An HTTP/1.1 server (keep-alive) answering from `routes`, recording each request."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Callable[[BaseHTTPRequestHandler], Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.client_ports: set[int] = set()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # or each answer waits ~40 ms for an ACK

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers.items())))
                site.client_ports.add(self.client_address[1])
                route = site.routes.get(urlsplit(self.path).path)
                if route is None:
                    reply = Reply(404, {"Content-Type": "text/plain"}, b"no such page")
                else:
                    reply = route(self) if callable(route) else route
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hangs up mid-answer, as fetch does when it refuses one

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes = PAGE, content_type: str | None = "text/html") -> str:
        headers = {} if content_type is None else {"Content-Type": content_type}
        self.routes[path] = Reply(200, headers, body)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Reply(status, {"Location": to}, b"")
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


# -- Misbehaving servers -------------------------------------------------------------

Behaviour = Callable[[socket.socket, threading.Event], None]


class Raw:
    """Servers on raw sockets: each connection's request head is read, then
    `behaviour(conn, stop)` does as it likes; `stop` is set when the test ends."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.listeners: list[socket.socket] = []

    def serve(self, behaviour: Behaviour, wrap: ssl.SSLContext | None = None) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.1)
        self.listeners.append(listener)
        threading.Thread(target=self._accept, args=(listener, behaviour, wrap), daemon=True).start()
        scheme = "https" if wrap else "http"
        return f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/"

    def _accept(
        self, listener: socket.socket, behaviour: Behaviour, wrap: ssl.SSLContext | None
    ) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn, behaviour, wrap), daemon=True).start()

    def _handle(
        self, conn: socket.socket, behaviour: Behaviour, wrap: ssl.SSLContext | None
    ) -> None:
        try:
            conn.settimeout(5)
            if wrap is not None:
                conn = wrap.wrap_socket(conn, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            behaviour(conn, self.stop)
        except OSError:  # the client went away, or refused our certificate
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        for listener in self.listeners:
            listener.close()


@pytest.fixture
def raw() -> Iterator[Raw]:
    servers = Raw()
    yield servers
    servers.close()


def answer(data: bytes) -> Behaviour:
    """Send `data`, then close the connection."""

    def behaviour(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(data)

    return behaviour


def head(*lines: str) -> bytes:
    return ("\r\n".join(["HTTP/1.1 200 OK", *lines]) + "\r\n\r\n").encode("latin-1")


def chunked(*chunks: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def fails(url: str, **kwargs: Any) -> str:
    """The message of the FetchError that fetching `url` raises."""
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    return str(caught.value)


# -- A page ---------------------------------------------------------------------------


def test_a_page_with_its_type_charset_and_url(site: Site) -> None:
    site.routes["/story"] = Reply(headers={"Content-Type": "Text/HTML; Charset=UTF-8"})
    got = fetch(site.url("/story"))
    assert (got.url, got.content_type, got.charset, got.body) == (
        site.url("/story"),
        "text/html",
        "utf-8",
        PAGE,
    )
    assert 0 < got.seconds < 5


@pytest.mark.parametrize(
    ("header", "content_type", "charset"),
    [
        ("text/html", "text/html", None),
        ('text/html; charset="windows-1252"', "text/html", "windows-1252"),
        ("text/html;charset=iso-8859-1;foo=bar", "text/html", "iso-8859-1"),
        ("text/html; charset=<script>alert(1)</script>", "text/html", None),
        ("application/xhtml+xml", "application/xhtml+xml", None),
    ],
)
def test_content_type_and_charset_are_read_warily(
    site: Site, header: str, content_type: str, charset: str | None
) -> None:
    got = fetch(site.page("/p", content_type=header))
    assert (got.content_type, got.charset) == (content_type, charset)


def test_the_request_names_reader_and_what_it_accepts(site: Site) -> None:
    fetch(site.page("/p"))
    fetch(site.page("/i.png", b"\x89PNG", "image/png"), accept=IMAGE_TYPES)
    (_, page), (_, image) = site.requests
    assert page["User-Agent"] == USER_AGENT == f"reader/{__version__} (+terminal news reader)"
    assert page["Accept"] == "text/html, application/xhtml+xml"
    assert page["Accept-Encoding"] == "gzip, deflate"
    assert image["Accept"] == "image/*"


def test_progress_is_told_bytes_and_the_length(site: Site) -> None:
    calls: list[tuple[int, int | None]] = []
    fetch(site.page("/p"), progress=lambda got, total: calls.append((got, total)))
    assert calls[0] == (0, len(PAGE)) and calls[-1] == (len(PAGE), len(PAGE))


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "raw deflate"])
def test_compressed_pages_are_decoded_across_tiny_chunks(raw: Raw, encoding: str) -> None:
    """One byte a chunk: the inflater must not need whole headers or blocks at once."""
    body = PAGE * 50
    if encoding == "raw deflate":
        squeezer = zlib.compressobj(wbits=-15)
        data, encoding = squeezer.compress(body) + squeezer.flush(), "deflate"
    elif encoding == "deflate":
        data = zlib.compress(body)
    else:
        data = gzip.compress(body)
    pieces = [data[i : i + 1] for i in range(len(data))]
    url = raw.serve(
        answer(
            head(
                "Content-Type: text/html",
                f"Content-Encoding: {encoding}",
                "Transfer-Encoding: chunked",
            )
            + chunked(*pieces)
        )
    )
    assert fetch(url).body == body


# -- Redirects ------------------------------------------------------------------------


def test_a_chain_of_three_redirects_is_followed(site: Site) -> None:
    final = site.page("/end")
    site.redirect("/c", final, 307)
    site.redirect("/b", site.url("/c"), 301)
    start = site.redirect("/a", site.url("/b"), 302)
    got = fetch(start)
    assert got.url == final and got.body == PAGE
    assert [path for path, _ in site.requests] == ["/a", "/b", "/c", "/end"]


def test_relative_redirects_resolve_against_the_current_url(site: Site) -> None:
    final = site.page("/news/2024/story.html")
    site.redirect("/news/2024/old", "story.html?from=old")  # relative to /news/2024/
    site.redirect("/n", "/news/2024/old", 303)
    got = fetch(site.url("/n"))
    assert got.url == final + "?from=old"


@pytest.mark.parametrize(
    ("location", "scheme"),
    [
        ("javascript:alert(document.cookie)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("file:///etc/passwd", "file"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("ftp://127.0.0.1/x", "ftp"),
    ],
)
def test_a_redirect_to_another_scheme_is_refused(site: Site, location: str, scheme: str) -> None:
    start = site.redirect("/a", location)
    assert fails(start) == f"redirected to a {scheme}: link: refused"


def test_a_redirect_to_an_unsafe_http_link_is_refused(site: Site) -> None:
    start = site.redirect("/a", "http://good.example@127.0.0.1/")
    assert fails(start) == (
        "redirected to an unsafe link: the link hides its host behind a user name"
    )


def test_a_redirect_loop(site: Site) -> None:
    site.redirect("/a", "/b")
    start = site.redirect("/b", "/a")
    assert fails(start) == "a redirect loop at 127.0.0.1"
    assert fails(site.redirect("/self", "/self", 301)) == "a redirect loop at 127.0.0.1"


def test_five_redirects_are_followed_and_six_refused(site: Site) -> None:
    site.page("/6")
    for n in range(6):
        site.redirect(f"/{n}", f"/{n + 1}")
    assert fetch(site.url("/1")).url == site.url("/6")
    assert fails(site.url("/0")) == "more than 5 redirects"
    assert fails(site.url("/4"), limits=Limits(max_redirects=1)) == "more than 1 redirect"


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://[::1", "redirected to a malformed link"),
        ("http://127.0.0.1:99999/", "redirected to an unsafe link: the link is malformed"),
        ("http://exa mple.org/", "redirected to an unsafe link: the link contains spaces"),
        ("/\x80\xff", "redirected to an unsafe link: the link contains spaces"),
        ("http://999.1.1.1/", "redirected to a malformed link"),
        ("http://xn--/", "redirected to an unsafe link: the link's host is not a valid"),
        ("", "the server answered 302 Found without saying where to"),
    ],
)
def test_a_malformed_location(site: Site, location: str, message: str) -> None:
    start = site.redirect("/a", location)
    assert fails(start).startswith(message)


def test_cookies_last_for_one_fetch(site: Site) -> None:
    """A site that sets a cookie and redirects works; the next fetch carries nothing."""
    site.routes["/set"] = Reply(302, {"Location": "/need", "Set-Cookie": "seen=1; Path=/"}, b"")

    def need(handler: BaseHTTPRequestHandler) -> Reply:
        return Reply() if "seen=1" in handler.headers.get("Cookie", "") else Reply(403)

    site.routes["/need"] = need
    with make_client() as client:
        assert fetch(site.url("/set"), client=client).url == site.url("/need")
        assert fails(site.url("/need"), client=client) == "the server answered 403 Forbidden"


# -- Time -----------------------------------------------------------------------------


def drip_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(head("Content-Type: text/html", "Content-Length: 1000"))
    while not stop.wait(1.0):
        conn.sendall(b"x")


def drip_head(conn: socket.socket, stop: threading.Event) -> None:
    """Headers that never end: no chunk of body ever comes to be counted."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not stop.wait(0.5):
        conn.sendall(b"a")


def silent(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(30)


@pytest.mark.parametrize("behaviour", [drip_body, drip_head, silent])
def test_slow_servers_end_at_the_deadline(raw: Raw, behaviour: Behaviour) -> None:
    url = raw.serve(behaviour)
    began = time.monotonic()
    assert fails(url, limits=QUICK) == "timed out after 2 s"
    assert 1.5 < time.monotonic() - began < QUICK.total_timeout + 3


def test_the_deadline_holds_over_a_shared_client_and_after(raw: Raw, site: Site) -> None:
    url = raw.serve(silent)
    with make_client() as client:
        began = time.monotonic()
        assert fails(url, limits=QUICKER, client=client) == "timed out after 1 s"
        assert time.monotonic() - began < QUICKER.total_timeout + 3
        # The deadline was this fetch's: the next one on the client has its own.
        assert fetch(site.page("/p"), client=client).body == PAGE


def test_connection_refused(unused_port: int) -> None:
    message = fails(f"http://127.0.0.1:{unused_port}/")
    assert message.startswith("cannot connect to 127.0.0.1: ") and "refused" in message


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose queue of connections to accept is full: the kernel drops new
    SYNs, so connecting hangs (Linux; skipped where connecting still succeeds)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    queued = []
    for _ in range(5):
        sock = socket.socket()
        sock.settimeout(0.2)
        try:
            sock.connect(("127.0.0.1", port))
        except TimeoutError:
            sock.close()
            break
        queued.append(sock)
    else:
        pytest.skip("this system's TCP accepts connections beyond the backlog")
    yield port
    for sock in [*queued, listener]:
        sock.close()


def test_connect_timeout_then_the_deadline(full_backlog: int) -> None:
    url = f"http://127.0.0.1:{full_backlog}/"
    limits = Limits(connect_timeout=0.5, total_timeout=5)
    assert fails(url, limits=limits) == "cannot connect to 127.0.0.1: no answer in 0.5 s"
    limits = Limits(connect_timeout=5, total_timeout=0.5)
    began = time.monotonic()
    assert fails(url, limits=limits) == "timed out after 0.5 s"
    assert time.monotonic() - began < 3


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- Answers that are not a page ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "the server answered 404 Not Found"),
        (500, "the server answered 500 Internal Server Error"),
        (304, "the server answered 304 Not Modified"),
        (599, "the server answered 599"),
    ],
)
def test_http_errors(site: Site, status: int, message: str) -> None:
    site.routes["/x"] = Reply(status)
    assert fails(site.url("/x")) == message


def test_the_reason_phrase_is_never_the_servers(raw: Raw) -> None:
    url = raw.serve(answer(b"HTTP/1.1 404 [@click=app.quit]Click me\r\nContent-Length: 0\r\n\r\n"))
    assert fails(url) == "the server answered 404 Not Found"


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("application/pdf", "application/pdf"),
        (None, "application/octet-stream"),
        ("text/html<script>", "application/octet-stream"),
        ("image/png", "image/png"),
    ],
)
def test_a_wrong_content_type_is_named(site: Site, content_type: str | None, shown: str) -> None:
    assert fails(site.page("/f", b"%PDF-1.7", content_type)) == f"not a web page ({shown})"


def test_an_image_is_taken_with_image_types(site: Site) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    got = fetch(site.page("/lead.png", png, "image/png"), accept=IMAGE_TYPES)
    assert (got.content_type, got.charset, got.body) == ("image/png", None, png)
    assert fails(site.page("/p"), accept=IMAGE_TYPES) == "not an image (text/html)"
    assert fetch(site.page("/p"), accept=[*HTML_TYPES, "image/"]).content_type == "text/html"


def test_an_unknown_compression_is_refused(raw: Raw) -> None:
    url = raw.serve(
        answer(
            head("Content-Type: text/html", "Content-Encoding: br", "Content-Length: 4")
            + b"\x0b\x02\x80x"
        )
    )
    assert fails(url) == "the page is compressed in a way reader cannot read (br)"


# -- Size -----------------------------------------------------------------------------


def test_a_content_length_over_the_cap_is_refused_before_the_body(raw: Raw) -> None:
    """The server never sends the body it announces: reading it would time out."""

    def announce(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head("Content-Type: text/html", "Content-Length: 10000000"))
        stop.wait(30)

    began = time.monotonic()
    assert fails(raw.serve(announce), limits=Limits(max_bytes=1_000_000)) == (
        "the page is larger than 1 MB"
    )
    assert time.monotonic() - began < 1.5


def test_an_endless_chunked_body_stops_at_the_cap(raw: Raw) -> None:
    sent = [0]

    def endless(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head("Content-Type: text/html", "Transfer-Encoding: chunked"))
        chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
        while not stop.is_set():
            conn.sendall(chunk)
            sent[0] += 0x10000

    assert fails(raw.serve(endless), limits=Limits(max_bytes=1_000_000)) == (
        "the page is larger than 1 MB"
    )
    assert sent[0] < 20_000_000  # the client hung up soon after the cap


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """64 MB of zeros, gzipped to ~64 KB."""
    squeezer = zlib.compressobj(9, wbits=31)
    zeros = bytes(1 << 20)
    return b"".join(squeezer.compress(zeros) for _ in range(64)) + squeezer.flush()


def test_a_gzip_bomb_is_refused_without_inflating_it(raw: Raw, bomb: bytes) -> None:
    url = raw.serve(
        answer(
            head(
                "Content-Type: text/html", "Content-Encoding: gzip", f"Content-Length: {len(bomb)}"
            )
            + bomb
        )
    )
    tracemalloc.start()
    try:
        assert fails(url, limits=Limits(max_bytes=1_000_000)) == "the page is larger than 1 MB"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(bomb) < 100_000 and peak < 8_000_000  # a 64th of what it inflates to


# -- Cancelling -----------------------------------------------------------------------


def test_cancelled_mid_body(raw: Raw) -> None:
    def slow(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head("Content-Type: text/html", "Content-Length: 100"))
        while not stop.wait(0.1):
            conn.sendall(b"0123456789")

    chunks = []
    message = fails(
        raw.serve(slow),
        progress=lambda got, total: chunks.append(got),
        cancelled=lambda: len(chunks) > 2,
    )
    assert message == "cancelled" and chunks[-1] < 100


def test_cancelled_while_the_server_says_nothing(raw: Raw) -> None:
    """Escape is felt within a poll, not at the deadline."""
    url = raw.serve(silent)
    began = time.monotonic()
    pressed = began + 0.3
    assert fails(url, cancelled=lambda: time.monotonic() > pressed) == "cancelled"
    assert time.monotonic() - began < 2


# -- Links that are never fetched -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "only http and https links are opened"),
        ("file:///etc/passwd", "only http and https links are opened"),
        ("data:text/html,<b>hi</b>", "only http and https links are opened"),
        ("ftp://example.org/", "only http and https links are opened"),
        ("", "there is no link"),
        ("http://good.example@evil.example/", "the link hides its host behind a user name"),
        ("http://example.org/a b", "the link contains spaces or control characters"),
    ],
)
def test_unsafe_links_are_refused_before_any_connection(url: str, message: str) -> None:
    asked: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(transport)) as client:
        assert fails(url, client=client) == message
    assert asked == []


# -- Broken answers: FetchError, one line, nothing from the server ----------------------

MALFORMED = "127.0.0.1 sent a malformed answer"
CUT_SHORT = "127.0.0.1 closed the connection too early"
HTML = "Content-Type: text/html"
BROKEN = {
    "not http": (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", MALFORMED),
    "nothing": (b"", CUT_SHORT),
    "bad status line": (b"HTTP/1.1 OK\r\n\r\n", MALFORMED),
    "status 1000": (b"HTTP/1.1 1000 NoColonHere\r\n\r\n", MALFORMED),
    "header without a colon": (b"HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", MALFORMED),
    "huge header": (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n", MALFORMED),
    "bad content length": (head(HTML, "Content-Length: banana"), MALFORMED),
    "two content lengths": (head(HTML, "Content-Length: 3", "Content-Length: 9"), MALFORMED),
    "short body": (head(HTML, "Content-Length: 100") + b"short", CUT_SHORT),
    "bad chunk": (head(HTML, "Transfer-Encoding: chunked") + b"zz\r\nNoColonHere", MALFORMED),
    "bad gzip": (
        head(HTML, "Content-Encoding: gzip", "Content-Length: 11") + b"NoColonHere",
        "the page's compression is broken",
    ),
    "gzip of gzip": (
        head(HTML, "Content-Encoding: gzip, gzip", "Content-Length: 0"),
        "the page is compressed in a way reader cannot read (unknown)",
    ),
}


@pytest.mark.parametrize(("data", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_answers_are_explained_without_the_servers_words(
    raw: Raw, data: bytes, message: str
) -> None:
    assert fails(raw.serve(answer(data)), limits=QUICK) == message


def test_a_tls_handshake_with_a_plain_server_fails_in_one_line(site: Site) -> None:
    https = site.url("/").replace("http://", "https://")
    assert fails(https).startswith("a secure connection to 127.0.0.1 failed: ")


# -- TLS ------------------------------------------------------------------------------

#: A self-signed certificate for 127.0.0.1, valid 2000-2100 (EC P-256).
KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzm9194vV+NtIMKL/
vd0EXhQPHI6eWyyZxzXfXwmQPlmhRANCAATbRBAVDt8nYfWaK4DoFUpzpi72wSCO
UyfF13hKv3OxfLk4lQoWKvUaR5L+M4NtlwCdzTdkLWCD4AO1P1G7h2Pm
-----END PRIVATE KEY-----
"""
CERT = """-----BEGIN CERTIFICATE-----
MIIBqTCCAU6gAwIBAgIBATAKBggqhkjOPQQDAjAWMRQwEgYDVQQDDAtyZWFkZXIg
dGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowFjEUMBIGA1UE
AwwLcmVhZGVyIHRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATbRBAVDt8n
YfWaK4DoFUpzpi72wSCOUyfF13hKv3OxfLk4lQoWKvUaR5L+M4NtlwCdzTdkLWCD
4AO1P1G7h2Pmo4GKMIGHMA8GA1UdEwEB/wQFMAMBAf8wDwYDVR0RBAgwBocEfwAA
ATAOBgNVHQ8BAf8EBAMCAoQwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYE
FGPNfa0OkmmTgH0BnqQKIV5msUYQMB8GA1UdIwQYMBaAFGPNfa0OkmmTgH0BnqQK
IV5msUYQMAoGCCqGSM49BAMCA0kAMEYCIQDFR1gGyeIluT/zlWTdlrZFlOiH4l34
RczrY8qgVcoiPgIhALNn2oen4nwl2n5EFiwLr9trerZSOlOXOLNxcx8Udkk2
-----END CERTIFICATE-----
"""


@pytest.fixture
def tls(tmp_path: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with the certificate, and the certificate's file."""
    (tmp_path / "key.pem").write_text(KEY)
    (tmp_path / "cert.pem").write_text(CERT)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context, tmp_path / "cert.pem"


def slow_page(conn: socket.socket, stop: threading.Event) -> None:
    """The page in two pieces 0.4 s apart: longer than a poll, so reads wait again."""
    conn.sendall(head("Content-Type: text/html", f"Content-Length: {len(PAGE)}"))
    half = len(PAGE) // 2
    for piece in (PAGE[:half], PAGE[half:]):
        if stop.wait(0.4):
            return
        conn.sendall(piece)


def test_a_self_signed_certificate_is_refused(raw: Raw, tls: tuple[ssl.SSLContext, Path]) -> None:
    """Not trusted (no SSL_CERT_FILE here): verification is on in make_client's pool."""
    message = fails(raw.serve(answer(head("Content-Length: 0")), wrap=tls[0]))
    assert message.startswith("a secure connection to 127.0.0.1 failed: ")
    assert "certificate" in message  # "self-signed certificate" on OpenSSL 3


def test_a_trusted_https_page_read_in_slow_pieces(
    raw: Raw, tls: tuple[ssl.SSLContext, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[1]))  # make_client's context trusts it
    url = raw.serve(slow_page, wrap=tls[0])
    got = fetch(url, limits=Limits(total_timeout=5))
    assert got.body == PAGE and got.url == url


# -- Sharing a client -----------------------------------------------------------------


def test_a_shared_client_reuses_its_connection(site: Site) -> None:
    with make_client() as client:
        for _ in range(3):
            assert fetch(site.page("/p"), client=client).body == PAGE
    assert len(site.client_ports) == 1


def test_fetches_from_many_threads_share_a_client(site: Site, raw: Raw) -> None:
    """One slow fetch times out on its own; the others are not held by it."""
    pages = [site.page(f"/{n}", PAGE + str(n).encode()) for n in range(8)]
    slow_one = raw.serve(silent)
    with make_client() as client, ThreadPoolExecutor(4) as pool:

        def one(url: str) -> bytes | str:
            try:
                return fetch(url, limits=QUICKER, client=client).body
            except FetchError as err:
                return str(err)

        began = time.monotonic()
        results = list(pool.map(one, [slow_one, *pages]))
    assert results == ["timed out after 1 s", *(PAGE + str(n).encode() for n in range(8))]
    assert time.monotonic() - began < QUICKER.total_timeout + 3
