"""Web addresses for `reader add`: which sources are URLs, one spelling per page, and the
browser's saved-from comment that records a saved page's address inside the file itself."""

from __future__ import annotations

import codecs
import re
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

from reader.errors import UsageError

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})
"""Query parameters (besides every `utm_*`) that say who linked, not which page: dropped."""

# Schemes a user might type that are addresses, not file names (`notes:draft.txt` is a file).
_KNOWN_SCHEMES = frozenset(
    {"http", "https", "file", "ftp", "ftps", "sftp", "data", "javascript", "mailto", "about"}
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Characters kept as they are when a path or query is re-quoted: the reserved ones and `%`,
# so an address already percent-encoded is not encoded twice.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
SAVED_FROM = re.compile(rb"<!-- saved from url=\((\d{4,})\)(\S+) -->\r?\n?")
_ASCII_BOMS = (codecs.BOM_UTF8,)
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def is_url(source: str) -> bool:
    """Whether `source` names a web address (or another scheme) rather than a file path.

    `C:\\notes.txt` (a drive letter) and `notes:draft.txt` (an unknown scheme) are paths."""
    match = _SCHEME.match(source.strip())
    if match is None or len(match.group(1)) == 1:
        return False
    return "://" in source or match.group(1).lower() in _KNOWN_SCHEMES


def request_url(url: str) -> str:
    """`url` as it is sent: http(s) only, host lower case (IDNA), default port, credentials and
    fragment dropped, non-ASCII percent-encoded. Anything else is a UsageError naming it."""
    parts = _split_web_url(url)
    return urlunsplit(parts._replace(query=_quoted_query(parts.query)))


def normalise_url(url: str) -> str:
    """One spelling per page, to recognise it when added again: `request_url` without the
    tracking parameters (`utm_*`, `fbclid`, `gclid` …)."""
    parts = _split_web_url(url)
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    return urlunsplit(parts._replace(query=_quoted_query("&".join(kept))))


def _split_web_url(url: str) -> SplitResult:
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"{text}: not a valid web address ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise UsageError(f"{text}: only http and https addresses can be added (not {shown})")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UsageError(f"{text}: the address has no host name")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        if not host.isascii():
            raise UsageError(f"{text}: {host!r} is not a valid host name") from None
    host = host.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    return SplitResult(scheme, host, path, parts.query, "")


def _quoted_query(query: str) -> str:
    return quote(query, safe=_QUERY_SAFE)


def _is_tracking(name: str) -> bool:
    key = unquote(name).lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def saved_from_comment(url: str) -> bytes:
    """The comment a browser writes at the top of a saved page, `<!-- saved from
    url=(0023)https://example.com/ -->`: the HTML extractor takes the page's address from it."""
    return f"<!-- saved from url=({len(url):04d}){url} -->\n".encode("ascii")


def with_saved_from(url: str, page: bytes) -> bytes:
    """`page` with its saved-from comment in front (after a UTF-8 byte order mark, which must
    stay first). A UTF-16 or UTF-32 page is kept as it is: an ASCII comment would garble it."""
    if page.startswith(_WIDE_BOMS):
        return page
    bom = next((b for b in _ASCII_BOMS if page.startswith(b)), b"")
    return bom + saved_from_comment(url) + page[len(bom) :]


def read_saved_from(head: bytes) -> tuple[str | None, int]:
    """The address a saved page's leading comment names (or None), and how many bytes the
    comment takes (with a byte order mark before it): what follows is the page as served."""
    bom = next((b for b in _ASCII_BOMS if head.startswith(b)), b"")
    match = SAVED_FROM.match(head, len(bom))
    if match is None:
        return None, 0
    url = match.group(2).decode("ascii", "replace")
    return url, match.end()


def page_body(data: bytes) -> bytes:
    """`data` without a leading saved-from comment: two files saved from different addresses
    but holding the same page compare equal by this."""
    _, end = read_saved_from(data[:4096])
    if not end:
        return data
    bom = next((b for b in _ASCII_BOMS if data.startswith(b)), b"")
    return bom + data[end:]


def url_file_stem(url: str) -> str:
    """A readable name for a page without a title: host and path, `example.com blog post`."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    last = path.rsplit("/", 1)[-1]
    if "." in last:
        path = path[: len(path) - len(last)] + last.rsplit(".", 1)[0]
    words = [parts.hostname or "", *path.split("/")]
    return " ".join(w for w in words if w)
