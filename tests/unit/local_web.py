"""A web server on 127.0.0.1 for the `reader add` tests: pages, redirects, refusals, and
servers that stall until the test releases them (an event, never a clock)."""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reader.corpus.fetch import FetchLimits

PAGE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'>"
    b"<title>A Fine Article | The Site</title>"
    b"<meta property='og:title' content='A Fine Article'></head>"
    b"<body><article><h1>A Fine Article</h1>"
    + b"".join(
        b"<p>Reading is a conversation between the page and the one who reads it, paragraph "
        + str(n).encode()
        + b" of a short article, long enough for an extractor to take it for one.</p>"
        for n in range(1, 7)
    )
    + b"</article></body></html>"
)
CYRILLIC_PAGE = (  # no <meta charset>: only the server's header says windows-1251
    "<html><head><title>Нови мост преко Саве</title></head><body><article>"
    + "".join(f"<p>Градско веће је у уторак одобрило изградњу моста, део {n}.</p>"
              for n in range(1, 8))
    + "</article></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SIZE_LIMIT = 4096
LIMITS = FetchLimits(timeout=20, deadline=60, max_bytes=SIZE_LIMIT)


class _Handler(BaseHTTPRequestHandler):
    server: LocalWeb

    def log_message(self, format: str, *args: object) -> None:
        pass  # the test output stays readable

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requests.append((self.path, dict(self.headers)))
        routes = {
            "/page": lambda: self._send(200, "text/html; charset=utf-8", PAGE),
            "/same-page": lambda: self._send(200, "text/html; charset=utf-8", PAGE),
            "/hostile": lambda: self._send(
                200, "text/html", b"<title>../../etc/passwd</title><p>x</p>"
            ),
            "/untitled/notes.html": lambda: self._send(200, "text/html", b"<p>No title.</p>"),
            "/r1": lambda: self._redirect(302, "/r2"),
            "/r2": lambda: self._redirect(301, f"http://127.0.0.1:{self.server.port}/r3"),
            "/r3": lambda: self._redirect(307, "page"),
            "/loop-a": lambda: self._redirect(302, "/loop-b"),
            "/loop-b": lambda: self._redirect(302, "/loop-a"),
            "/to-file": lambda: self._redirect(302, "file:///etc/passwd"),
            "/missing": lambda: self._send(404, "text/html", b"gone"),
            "/broken": lambda: self._send(500, "text/html", b"oops"),
            "/image.png": lambda: self._send(200, "image/png", PNG),
            "/paper": lambda: self._send(200, "application/pdf", PDF),
            "/files/report.pdf": lambda: self._send(200, None, PDF),
            "/latin1": lambda: self._send(
                200, "text/plain; charset=iso-8859-1", b"caf\xe9 au lait"
            ),
            "/cp1251": lambda: self._send(
                200, "text/html; charset=windows-1251", CYRILLIC_PAGE.encode("cp1251")
            ),
            "/gzipped": self._gzipped,
            "/huge": lambda: self._send(200, "text/html", b"x" * (SIZE_LIMIT + 1), length=False),
            "/huge-declared": lambda: self._send(200, "text/html", b"x" * (SIZE_LIMIT + 1)),
            "/trickle-body": self._trickle_body,
            "/trickle-headers": self._trickle_headers,
            "/silent": self._silent,
        }
        if path.startswith("/hop/"):
            left = int(path.removeprefix("/hop/"))
            self._redirect(302, f"/hop/{left - 1}") if left else routes["/page"]()
            return
        routes.get(path, lambda: self._send(404, "text/plain", b"no route"))()

    def _send(
        self, code: int, content_type: str | None, body: bytes, *, length: bool = True
    ) -> None:
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, code: int, location: str) -> None:
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _gzipped(self) -> None:
        body = gzip.compress(PAGE.replace(b"A Fine Article", b"Packed"))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "4000")
        self.end_headers()
        while not self.server.release.wait(0.02):  # a byte now and then, never a timeout
            self.wfile.write(b"<")
            self.wfile.flush()

    def _trickle_headers(self) -> None:
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Ty")
        self.wfile.flush()
        self.server.release.wait()

    def _silent(self) -> None:
        self.server.release.wait()


class LocalWeb(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.port = self.server_address[1]
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested.split("?")[0] == path)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a stalled handler writing after the client gave up is expected


@contextlib.contextmanager
def serving() -> Iterator[LocalWeb]:
    """The server, answering from a thread until the block ends (stalled handlers released)."""
    httpd = LocalWeb()
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server is reached directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
