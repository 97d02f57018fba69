"""Fetching a story's page or a lead image over the network, safe against hostile servers.

The one way reader fetches anything. What a server may not do to it:

- **Send it elsewhere.** Only http and https. The first URL and every redirect
  target are judged by `links.unsafe_reason`; redirects are followed here, one by
  one (relative ones resolved against the current URL), at most `max_redirects`,
  and a URL seen twice is a loop.
- **Hold it.** One deadline covers the whole fetch. httpx's timeouts hold for a
  single socket read, so a server that drips its headers one byte a second
  would keep a fetch for hours (httpcore takes up to 100 KB of headers); the
  sockets of `make_client`'s clients cut every wait (connect, TLS handshake,
  each read) to what is left, and look at `cancelled()` every quarter second
  while they wait, so Escape is felt at once even when a server says nothing.
- **Fill memory.** The body is decompressed here, 64 KB at most at a time, and
  counted against `max_bytes`: gzip inflates up to ~1000 times, so decoding a
  whole 64 KB network read at once (as httpx does) would hold ~64 MB before the
  count could stop it. A Content-Length over the cap is refused before the body.
- **Follow the user.** Cookies live for one fetch (a site that sets one and
  redirects works); a shared client keeps none from one fetch to the next.
- **Speak through reader.** No error message holds text from the server (its
  reason phrase, header values, the parser's quotes of what it sent).

Not bounded: looking up a host's name (`getaddrinfo` cannot be interrupted).
Proxies from the environment are not used by `make_client`'s clients.

Cost, on a shared 2-core machine: fetching a 50 KB page from a server on the same
machine takes ~1 ms with a shared client, ~25 ms with a client of its own (loading
the certificate authorities is most of that: share one). Importing this module takes
~0.15 s (httpx), so import it where a fetch is about to happen.
"""

from __future__ import annotations

import re
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from reader import __version__
from reader.model.links import unsafe_reason

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
#: A type ending with "/" accepts every type it begins.
IMAGE_TYPES: tuple[str, ...] = ("image/",)
USER_AGENT = f"reader/{__version__} (+terminal news reader)"
#: The encodings `_Inflater` undoes; brotli is never asked for.
ACCEPT_ENCODING = "gzip, deflate"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: The most decompressed bytes made at a time, and how often a silent wait looks at `cancelled`.
_PIECE = 64 * 1024
_POLL = 0.25
_TOKEN = re.compile(r"[a-z0-9!#$&^_.+-]{1,60}")
_MEDIA_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]{1,60}/[a-z0-9!#$&^_.+-]{1,60}")
_CHARSET = re.compile(r"[a-z0-9._:+-]{1,40}")
_E = TypeVar("_E", bound=BaseException)


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much a fetch may take."""

    connect_timeout: float = 5.0
    """Seconds to connect (and to finish a TLS handshake)."""
    total_timeout: float = 15.0
    """Seconds for the whole fetch, redirects and body included."""
    max_bytes: int = 5_000_000
    """The most body bytes, after decompression."""
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body and what the server said it is."""

    url: str
    """The final URL, after redirects."""
    content_type: str
    """e.g. "text/html": lower case, without parameters."""
    charset: str | None
    """From the Content-Type header (lower case), if it gives a plausible one."""
    body: bytes
    seconds: float
    """How long the fetch took."""


class FetchError(Exception):
    """Why a fetch failed, as one line for the user (str(err)), e.g. 'timed out after 15 s'."""


def fetch(
    url: str,
    *,
    accept: Sequence[str] = HTML_TYPES,
    limits: Limits = Limits(),
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int | None], object] = lambda got, total: None,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET `url`, following redirects, if its type is one of `accept`; raises FetchError only.

    `progress(got, total)` is told the bytes received so far off the wire and the
    Content-Length (None when not given), after the headers and after each chunk.
    `client` is best one from `make_client` (the deadline then holds inside every
    socket wait); without one, a client is made for this fetch and closed."""
    accept = (accept,) if isinstance(accept, str) else tuple(accept)
    start = time.monotonic()
    watch = _Watch(start + limits.total_timeout, cancelled)
    token = _WATCH.set(watch)
    trip = _Trip(accept, limits, watch, progress, start)
    own = client is None
    try:
        if client is None:
            client = make_client(limits)
        return trip.run(client, url)
    except FetchError:
        raise
    except _Cancelled:
        raise FetchError("cancelled") from None
    except (
        httpx.HTTPError,
        httpx.InvalidURL,
        httpx.StreamError,
        OSError,
        ValueError,
        zlib.error,
    ) as err:
        raise FetchError(_explain(err, trip)) from err
    finally:
        _WATCH.reset(token)
        if own and client is not None:
            client.close()


def make_client(limits: Limits = Limits()) -> httpx.Client:
    """A client for many fetches (its connections are kept and reused); the caller closes it.

    Safe to share between threads."""
    return httpx.Client(
        transport=_Transport(),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=_timeout(limits, limits.total_timeout),
        follow_redirects=False,
        event_hooks={"response": [_hide_location]},
        # Cookies are kept per fetch by `_Trip`; the client itself takes none.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        trust_env=False,
    )


#: Where `_hide_location` puts a redirect's Location values.
_LOCATION = "reader.location"


def _hide_location(response: httpx.Response) -> None:
    """Moves Location out of httpx's sight, for `_Trip` to judge: httpx reads it even
    when it does not follow it, and raises on one it cannot parse (a `javascript:` link
    among them), which would leave no answer to explain."""
    values = response.headers.get_list("location")
    if values:
        del response.headers["location"]
        response.extensions = {**response.extensions, _LOCATION: values}


class _Trip:
    """One fetch: its requests, one per redirect, and the body of the last."""

    def __init__(
        self,
        accept: tuple[str, ...],
        limits: Limits,
        watch: _Watch,
        progress: Callable[[int, int | None], object],
        start: float,
    ) -> None:
        self.accept = accept
        self.start = start
        self.limits = limits
        self.watch = watch
        self.progress = progress
        self.kind, self.noun = _kind(accept)
        self.url = ""
        """The URL being fetched: where an error happened."""
        self.redirected = False
        self.cookies = httpx.Cookies()

    def run(self, client: httpx.Client, url: str) -> Fetched:
        reason = unsafe_reason(url)
        if reason is not None:
            raise FetchError(reason)
        if client.is_closed:
            raise FetchError("the connection pool is closed")
        self.url = url
        seen = {url}
        while True:
            self.watch.check(self.limits)
            with self._get(client) as response:
                target = self._redirect_target(response, seen)
                if target is None:
                    return self._take(response)
            seen.add(target)
            self.url = target
            self.redirected = True

    @contextmanager
    def _get(self, client: httpx.Client) -> Iterator[httpx.Response]:
        left = self.watch.deadline - time.monotonic()
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": ", ".join(t + "*" if t.endswith("/") else t for t in self.accept),
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        request = client.build_request(
            "GET", self.url, headers=headers, timeout=_timeout(self.limits, left)
        )
        self.cookies.set_cookie_header(request)
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            self.cookies.extract_cookies(response)
            yield response
        finally:
            response.close()

    def _redirect_target(self, response: httpx.Response, seen: set[str]) -> str | None:
        """Where `response` sends the fetch, judged; None when it is not a redirect."""
        status = response.status_code
        if status not in _REDIRECTS:
            return None
        # Clients not made by make_client leave Location where it was.
        locations: list[str] = response.extensions.get(_LOCATION) or response.headers.get_list(
            "location"
        )
        if len(set(locations)) > 1:
            raise FetchError("redirected to two places at once: refused")
        location = locations[0] if locations else ""
        if not location:
            raise FetchError(f"the server answered {_status(status)} without saying where to")
        try:
            target = urljoin(self.url, location)
            scheme = urlsplit(target).scheme
        except ValueError:
            raise FetchError("redirected to a malformed link") from None
        if scheme not in ("http", "https"):
            shown = f"a {scheme}: link" if _TOKEN.fullmatch(scheme) else "a link"
            raise FetchError(f"redirected to {shown}: refused")
        reason = unsafe_reason(target)
        if reason is not None:
            raise FetchError(f"redirected to an unsafe link: {reason}")
        if target in seen:
            raise FetchError(f"a redirect loop at {urlsplit(target).hostname}")
        if len(seen) > self.limits.max_redirects:
            most = self.limits.max_redirects
            raise FetchError(f"more than {most} redirect{'' if most == 1 else 's'}")
        return target

    def _take(self, response: httpx.Response) -> Fetched:
        """The body of a final answer, if it is a success of an accepted type and size."""
        if not 200 <= response.status_code < 300:
            raise FetchError(f"the server answered {_status(response.status_code)}")
        content_type, charset = _content_type(response.headers.get_list("content-type"))
        if not any(
            content_type == t or (t.endswith("/") and content_type.startswith(t))
            for t in self.accept
        ):
            raise FetchError(f"not {self.kind} ({content_type})")
        length = _content_length(response.headers.get("content-length"))
        if length is not None and length > self.limits.max_bytes:
            raise self._too_big()
        body = self._read(response, length)
        return Fetched(self.url, content_type, charset, body, time.monotonic() - self.start)

    def _read(self, response: httpx.Response, length: int | None) -> bytes:
        inflater = _Inflater.for_encoding(response.headers.get("content-encoding", ""), self.noun)
        cap = self.limits.max_bytes
        body = bytearray()
        got = 0
        self.progress(0, length)
        for chunk in response.iter_raw():
            got += len(chunk)
            if got > cap:
                raise self._too_big()
            for piece in inflater.feed(chunk):
                body += piece
                if len(body) > cap:
                    raise self._too_big()
            self.progress(got, length)
            self.watch.check(self.limits)
        return bytes(body)

    def _too_big(self) -> FetchError:
        return FetchError(f"the {self.noun} is larger than {_size(self.limits.max_bytes)}")


class _Inflater:
    """Undoes a Content-Encoding (gzip or deflate) in pieces of at most `_PIECE` bytes."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._start = b""
        self._zlib: Any = None

    @classmethod
    def for_encoding(cls, header: str, noun: str) -> _Inflater:
        codings = [c.strip().lower() for c in header.split(",")]
        codings = [c for c in codings if c not in ("", "identity", "none")]
        if not codings:
            return cls("identity")
        if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
            return cls(codings[0])
        shown = codings[0] if len(codings) == 1 and _TOKEN.fullmatch(codings[0]) else "unknown"
        raise FetchError(f"the {noun} is compressed in a way reader cannot read ({shown})")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._encoding == "identity":
            yield data
            return
        if self._zlib is None:
            # "deflate" is meant to be zlib data, but some servers send it raw; two
            # bytes tell. 32 + 15 reads a zlib or a gzip header.
            self._start += data
            if len(self._start) < 2:
                return
            data, self._start = self._start, b""
            first, second = data[0], data[1]
            wrapped = self._encoding != "deflate" or (
                first & 0x0F == 8 and (first * 256 + second) % 31 == 0
            )
            self._zlib = zlib.decompressobj(32 + 15 if wrapped else -15)
        while not self._zlib.eof:
            piece = self._zlib.decompress(data, _PIECE)
            data = self._zlib.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < _PIECE:
                return


@dataclass(frozen=True, slots=True)
class _Watch:
    """What every socket wait of a fetch keeps to."""

    deadline: float
    """`time.monotonic()` when the fetch must end."""
    cancelled: Callable[[], bool]

    def check(self, limits: Limits) -> None:
        if self.cancelled():
            raise FetchError("cancelled")
        if time.monotonic() >= self.deadline:
            raise FetchError(f"timed out after {limits.total_timeout:g} s")


#: The watch of the fetch running in this thread, seen by the sockets httpcore uses.
_WATCH: ContextVar[_Watch | None] = ContextVar("reader_fetch_watch", default=None)


class _Cancelled(Exception):
    """Raised inside a socket wait when the fetch is cancelled; `fetch` explains it."""


def _cut(timeout: float | None) -> float | None:
    """`timeout`, or less if the running fetch has less left."""
    watch = _WATCH.get()
    if watch is None:
        return timeout
    left = max(watch.deadline - time.monotonic(), 0.001)
    return left if timeout is None else min(timeout, left)


class _WatchedStream(httpcore.NetworkStream):
    """A socket whose waits end at the fetch's deadline or when it is cancelled."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        watch = _WATCH.get()
        if watch is None:
            return self._stream.read(max_bytes, timeout)
        end = watch.deadline if timeout is None else min(watch.deadline, time.monotonic() + timeout)
        while True:
            left = end - time.monotonic()
            try:
                # A recv that timed out took nothing (plain or TLS): it may wait again.
                return self._stream.read(max_bytes, max(min(left, _POLL), 0.001))
            except httpcore.ReadTimeout:
                if watch.cancelled():
                    raise _Cancelled from None
                if left <= _POLL:
                    raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _cut(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _WatchedStream(self._stream.start_tls(ssl_context, server_hostname, _cut(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _WatchedBackend(httpcore.NetworkBackend):
    """httpcore's sockets, watched."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, _cut(timeout), local_address, socket_options)
        return _WatchedStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _WatchedStream(
            self._backend.connect_unix_socket(path, _cut(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _Transport(httpx.HTTPTransport):
    """httpx's transport on watched sockets."""

    def __init__(self) -> None:
        context = httpx.create_ssl_context()  # honours SSL_CERT_FILE and SSL_CERT_DIR
        super().__init__(verify=context)
        # httpx cannot hand its pool a network backend: replace the pool it made.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_WatchedBackend(),
        )


def _timeout(limits: Limits, left: float) -> httpx.Timeout:
    """httpx's timeouts for a request with `left` seconds to go (for any client)."""
    left = max(left, 0.001)
    return httpx.Timeout(left, connect=min(limits.connect_timeout, left))


def _kind(accept: tuple[str, ...]) -> tuple[str, str]:
    """What `accept` asks for, as in "not a web page", and the noun for its body."""
    if accept and all(t.startswith("image/") for t in accept):
        return "an image", "image"
    if accept and all(t in HTML_TYPES for t in accept):
        return "a web page", "page"
    return "of an accepted type", "file"


def _content_type(values: list[str]) -> tuple[str, str | None]:
    """The media type and charset of the last Content-Type; application/octet-stream
    when there is none or it is malformed."""
    if not values:
        return "application/octet-stream", None
    media, *params = values[-1].lower().split(";")
    media = media.strip()
    if not _MEDIA_TYPE.fullmatch(media):
        return "application/octet-stream", None
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        value = value.strip().strip("\"'")
        if name.strip() == "charset" and _CHARSET.fullmatch(value):
            charset = value
    return media, charset


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def _status(code: int) -> str:
    """ "404 Not Found": the phrase is ours, never the server's."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f}".removesuffix(".0") + " KB"
    return f"{n} bytes"


def _explain(err: Exception, trip: _Trip) -> str:
    """`err` as one line for the user, with nothing in it from the server."""
    host = urlsplit(trip.url).hostname or "the server"
    if isinstance(err, httpx.TimeoutException):
        if time.monotonic() >= trip.watch.deadline - 0.05:
            return f"timed out after {trip.limits.total_timeout:g} s"
        if isinstance(err, httpx.ConnectTimeout):
            return f"cannot connect to {host}: no answer in {trip.limits.connect_timeout:g} s"
        return f"{host} stopped answering"
    tls = _cause(err, ssl.SSLError)
    if tls is not None:
        return f"a secure connection to {host} failed: {_tls_detail(tls)}"
    if isinstance(err, httpx.ConnectError):
        os_error = _cause(err, OSError)
        detail = os_error.strerror if os_error is not None and os_error.strerror else ""
        return f"cannot connect to {host}: {_one_line(detail) or 'the connection failed'}"
    if isinstance(err, httpx.RemoteProtocolError):
        if any(word in str(err).lower() for word in ("disconnected", "closed")):
            return f"{host} closed the connection too early"
        return f"{host} sent a malformed answer"
    if isinstance(err, (httpx.NetworkError, OSError)):
        return f"the connection to {host} broke off"
    if isinstance(err, zlib.error):
        return f"the {trip.noun}'s compression is broken"
    if isinstance(err, (httpx.InvalidURL, ValueError)):
        return "redirected to a malformed link" if trip.redirected else "the link is malformed"
    return f"fetching from {host} failed ({type(err).__name__})"


def _cause(err: BaseException, kind: type[_E]) -> _E | None:
    """The first exception of `kind` in the chain of causes of `err`, or None."""
    seen: BaseException | None = err
    for _ in range(10):
        if seen is None or isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _tls_detail(err: ssl.SSLError) -> str:
    if isinstance(err, ssl.SSLCertVerificationError) and err.verify_message:
        return _one_line(str(err.verify_message))
    if err.reason:
        return _one_line(str(err.reason).replace("_", " ").lower())
    return "the handshake failed"


def _one_line(text: str, limit: int = 80) -> str:
    shown = " ".join("".join(c if c.isprintable() and c.isascii() else " " for c in text).split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
