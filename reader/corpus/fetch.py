"""Download one web page for `reader add`, with the standard library and hard bounds.

Only http and https are spoken, redirects included (a redirect to `file:` is refused, not
followed). Time is bounded twice: a socket timeout for each wait, and a total deadline that
closes the connection however slowly the server trickles bytes. The body is read in pieces and
given up past the size limit; a type reader cannot read (an image, a video) is refused before
its body is read. Every failure is a `FetchError`: one line a user can act on.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from reader import __version__
from reader.corpus.urls import normalise_url, request_url
from reader.errors import UsageError
from reader.text.decoding import binary_kind

USER_AGENT = f"reader/{__version__} (article reader; +https://pypi.org/project/reader/)"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUFFIX_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/pdf": ".pdf",
    "application/epub+zip": ".epub",
    DOCX_TYPE: ".docx",
}
_TYPE_BY_SUFFIX = {".htm": "text/html", ".html": "text/html", ".txt": "text/plain",
                   ".md": "text/markdown", ".pdf": "application/pdf",
                   ".epub": "application/epub+zip", ".docx": DOCX_TYPE}  # fmt: skip
_UNTYPED = {"application/octet-stream", "binary/octet-stream", "application/x-download"}
ACCEPT = (
    "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8,"
    f"application/pdf;q=0.8,application/epub+zip;q=0.8,{DOCX_TYPE};q=0.8,*/*;q=0.1"
)
REDIRECT_CODES = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one download may take; tests pass tiny ones."""

    timeout: float = 15.0  # connecting, and each wait for the next bytes
    deadline: float = 120.0  # the whole download, redirects included
    max_bytes: int = 16 * 1024 * 1024
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchedPage:
    """What a server sent: the final address (after redirects), the body, its type (lower case,
    no parameters, e.g. `text/html`) and the charset if the server named one."""

    url: str
    data: bytes
    content_type: str
    charset: str | None = None

    @property
    def suffix(self) -> str:
        """The file extension the page is saved under, from its type."""
        if self.content_type not in SUFFIX_BY_TYPE:
            raise FetchError(f"{self.url}: {self.content_type} is not something reader reads")
        return SUFFIX_BY_TYPE[self.content_type]


Fetcher = Callable[[str], FetchedPage]


class FetchError(UsageError):
    """A page that cannot be fetched; the message says which address and why."""


class _Deadline:
    """Shuts the download's sockets when the total time is up: a socket timeout bounds each
    wait, not a server that sends one byte just before every timeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.capped = False
        self._ends = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def socket_timeout(self, timeout: float) -> float:
        """`timeout`, or what is left of the deadline when that is less (then a socket
        timeout means the deadline passed)."""
        remaining = max(0.001, self._ends - time.monotonic())
        self.capped = self.capped or remaining < timeout
        return min(timeout, remaining)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    """Wake a blocked read on `sock` from another thread (on the plain socket, under TLS)."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(
    connection_class: type[http.client.HTTPConnection], deadline: _Deadline
) -> Callable[..., http.client.HTTPConnection]:
    """A connection factory whose TCP sockets the deadline can close (before TLS wraps them)."""

    def connect(host: str, **kwargs: object) -> http.client.HTTPConnection:
        conn = connection_class(host, **kwargs)  # type: ignore[arg-type]
        create = conn._create_connection  # the one hook http.client gives to its socket

        def create_watched(*args: object, **kw: object) -> socket.socket:
            sock = create(*args, **kw)
            deadline.watch(sock)
            return sock

        conn._create_connection = create_watched  # type: ignore[method-assign]
        return conn

    return connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline
        self._tls = ssl.create_default_context()  # certificates and host names checked

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = _watched(http.client.HTTPSConnection, self._deadline)
        return self.do_open(factory, req, context=self._tls)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError, so that each target is checked before it is asked."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """Only the handlers a web page needs: no `file:`, `ftp:` or `data:` handler at all."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # the user's http_proxy / https_proxy, as curl does
        urllib.request.UnknownHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        _NoRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch_url(url: str, *, limits: FetchLimits = DEFAULT_LIMITS) -> FetchedPage:
    """Download `url` (http or https), following at most `limits.max_redirects` redirects."""
    current = request_url(url)
    seen = {normalise_url(current)}
    deadline = _Deadline(limits.deadline)
    try:
        opener = _opener(deadline)
        for _ in range(limits.max_redirects + 1):
            response, location = _open(opener, current, limits, deadline)
            if response is not None:
                with response:
                    return _read_page(current, response, limits, deadline)
            target = _redirect_target(current, location or "")
            if normalise_url(target) in seen:
                raise FetchError(f"{url}: redirect loop ({current} sends back to {target})")
            seen.add(normalise_url(target))
            current = target
        raise FetchError(f"{url}: more than {limits.max_redirects} redirects")
    finally:
        deadline.cancel()


def _redirect_target(current: str, location: str) -> str:
    if not location.strip():
        raise FetchError(f"{current}: redirect without a Location")
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{current}: redirect to {target} refused (only http and https)")
    return request_url(target)


def _open(
    opener: urllib.request.OpenerDirector, url: str, limits: FetchLimits, deadline: _Deadline
) -> tuple[http.client.HTTPResponse | None, str | None]:
    """The response, or (None, Location) for a redirect; errors become FetchError."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    )
    try:
        response = opener.open(request, timeout=deadline.socket_timeout(limits.timeout))
    except urllib.error.HTTPError as exc:
        with exc:
            if exc.code in REDIRECT_CODES:
                return None, exc.headers.get("Location")
            reason = f" {exc.reason}" if exc.reason else ""
            raise FetchError(f"{url}: the server answered {exc.code}{reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise _network_error(url, exc, limits, deadline) from None
    return response, None


def _network_error(
    url: str, exc: BaseException, limits: FetchLimits, deadline: _Deadline
) -> FetchError:
    """One line for a failure below HTTP: DNS, refused, TLS, timeout, cut off."""
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if deadline.expired or (deadline.capped and isinstance(cause, TimeoutError)):
        return FetchError(
            f"{url}: gave up after {deadline.seconds:g} s (the download was too slow)"
        )
    host = urlsplit(url).netloc
    if isinstance(cause, socket.gaierror):
        return FetchError(
            f"{url}: cannot find the host {urlsplit(url).hostname} ({cause.strerror})"
        )
    if isinstance(cause, ConnectionRefusedError):
        return FetchError(f"{url}: {host} refused the connection")
    if isinstance(cause, ssl.SSLCertVerificationError):
        return FetchError(f"{url}: TLS certificate not trusted ({cause.verify_message})")
    if isinstance(cause, ssl.SSLError):
        return FetchError(f"{url}: TLS error ({cause.reason or cause})")
    if isinstance(cause, TimeoutError):
        return FetchError(f"{url}: no answer from {host} within {limits.timeout:g} s")
    if isinstance(cause, http.client.HTTPException):
        return FetchError(f"{url}: the connection broke off ({type(cause).__name__})")
    detail = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
    return FetchError(f"{url}: cannot connect ({detail})")


def _read_page(
    url: str, response: http.client.HTTPResponse, limits: FetchLimits, deadline: _Deadline
) -> FetchedPage:
    headers: Message = response.headers
    declared = headers.get_content_type() if headers.get("Content-Type") else None
    if declared is not None and declared not in SUFFIX_BY_TYPE and declared not in _UNTYPED:
        raise FetchError(
            f"{url}: {declared} is not something reader reads "
            "(web pages, text, PDF, EPUB and Word files)"
        )
    length = headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchError(
            f"{url}: {_size(int(length))} is over the limit of {_size(limits.max_bytes)}"
        )
    data = _read_body(url, response, limits, deadline)
    data = _decompressed(url, data, headers.get("Content-Encoding", ""), limits.max_bytes)
    content_type = _content_type(url, declared, data)
    return FetchedPage(url, data, content_type, headers.get_content_charset())


def _size(n: int) -> str:
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n:,} bytes"


def _read_body(
    url: str, response: http.client.HTTPResponse, limits: FetchLimits, deadline: _Deadline
) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        while chunk := response.read1(CHUNK_BYTES):  # returns whatever has arrived
            total += len(chunk)
            if total > limits.max_bytes:
                raise FetchError(f"{url}: larger than the limit of {_size(limits.max_bytes)}")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _network_error(url, exc, limits, deadline) from None
    if deadline.expired:  # the deadline shut the socket: what arrived is only a part
        raise _network_error(url, TimeoutError(), limits, deadline)
    return b"".join(chunks)


def _decompressed(url: str, data: bytes, encoding: str, max_bytes: int) -> bytes:
    """The body as served: gzip and deflate undone (bounded), though we asked for neither."""
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return data
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: the server compressed the page with {coding}, unreadable here")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, told apart
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"{url}: damaged {coding} data ({exc})") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise FetchError(f"{url}: larger than the limit of {_size(max_bytes)} unpacked")
    return out


def _content_type(url: str, declared: str | None, data: bytes) -> str:
    """The declared type, or for an untyped body the one its address or first bytes show."""
    if declared in SUFFIX_BY_TYPE:
        return declared
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    path = urlsplit(url).path.lower()
    by_suffix = next((t for s, t in _TYPE_BY_SUFFIX.items() if path.endswith(s)), None)
    if by_suffix is not None:
        return by_suffix
    kind = binary_kind(data[:8192])
    if kind is not None:
        raise FetchError(f"{url}: not an article (the body looks like: {kind})")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<!--", b"<head")):
        return "text/html"
    return "text/plain"
