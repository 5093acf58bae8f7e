"""Names for files `reader add` puts in corpus/: from a page's title or a file's own name, safe
on every system (no separators, control or bidi characters, reserved names or leading dots)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from html.parser import HTMLParser

MAX_STEM_CHARS = 80
MAX_STEM_BYTES = 180
"""UTF-8 bytes: file systems count bytes (255 a name), and four-byte letters add up fast."""
TITLE_SCAN_BYTES = 512 * 1024
_FORBIDDEN = set('<>:"/\\|?*')
_RESERVED = {
    "con", "prn", "aux", "nul", "conin$", "conout$",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def safe_file_stem(title: str, fallback: str = "document") -> str:
    """A file-name stem from `title`, letters of every script kept, at most MAX_STEM_CHARS
    characters and MAX_STEM_BYTES bytes, cut at a word; `fallback` when nothing is left."""
    chars = []
    for ch in unicodedata.normalize("NFC", title):
        kind = unicodedata.category(ch)
        if kind == "Cc" or kind[0] == "Z" or ch in _FORBIDDEN:
            chars.append(" ")
        elif kind[0] != "C":  # format (bidi, zero width), surrogate, private, unassigned: gone
            chars.append(ch)
    stem = " ".join("".join(chars).split()).strip(". ")
    if len(stem) > MAX_STEM_CHARS or len(stem.encode()) > MAX_STEM_BYTES:
        stem = _shortened(stem)
    if not stem:
        return safe_file_stem(fallback) if fallback else "document"
    if stem.split(".")[0].rstrip().casefold() in _RESERVED:
        stem = f"_{stem}"
    return stem


def _shortened(stem: str) -> str:
    cut = stem[:MAX_STEM_CHARS]
    while len(cut.encode()) > MAX_STEM_BYTES:
        cut = cut[:-1]
    if cut != stem and " " in cut[MAX_STEM_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]  # end on a whole word when one ends late enough
    return cut.strip(". ")


class _TitleParser(HTMLParser):
    """Collects `<title>` and `og:title` from a page's head; scripts are never run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.og_title: str | None = None
        self._in_title = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._done = True
        elif tag == "title" and not self.title and not self._done:
            self._in_title = True
        elif tag == "meta" and self.og_title is None:
            named = dict(attrs)
            if "og:title" in (named.get("property"), named.get("name")):
                self.og_title = (named.get("content") or "").strip() or None

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self._done = self._done or bool(self.title)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def html_title(page: bytes, charset: str | None = None) -> str | None:
    """The page's og:title, else its `<title>`, whitespace collapsed; None when it has neither.
    Decoded with `charset` (from the server), else the page's meta charset, else UTF-8."""
    head = page[:TITLE_SCAN_BYTES]
    parser = _TitleParser()
    parser.feed(head.decode(_codec(charset, head), "replace"))
    for candidate in (parser.og_title, "".join(parser.title)):
        text = " ".join((candidate or "").split())
        if text:
            return text
    return None


def _codec(charset: str | None, head: bytes) -> str:
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if head.startswith(bom):
            return name
    meta = _META_CHARSET.search(head[:4096])
    for name in (charset, meta.group(1).decode("ascii") if meta else None):
        if name:
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return "utf-8"
