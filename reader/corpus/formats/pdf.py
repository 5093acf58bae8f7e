"""A PDF's text layer as article text: lines placed by position, paragraphs rebuilt.

pypdf (pure Python, no system library) reports each piece of text with where it is drawn; we
group pieces into lines, drop running headers, footers and page numbers, then join lines into
paragraphs by line gaps, first-line indents and short sentence-ending lines, undoing the
hyphenation of words split at a line end. A PDF has no paragraphs, only positioned glyphs, so
this is a best guess tuned on ordinary articles and reports.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError
from pypdf.generic import DictionaryObject

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.docinfo import clean_author, clean_text, clean_title

SCANNED = "scanned PDF without a text layer (no text to read; run OCR first)"
EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be header or footer
EDGE_BAND = 0.12  # ... and only if they lie in this top or bottom fraction of the page
MIN_LETTERS_PER_PAGE = 10  # below this, with images on the pages, the PDF is a scan

_PAGE_NUMBER = re.compile(
    r"(?:page|p\.|seite|s\.)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?"
    r"\s*(?:(?:of|/|von)\s*\d{1,4})?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*$")
_LIST_START = re.compile(r"^(?:[•◦▪‣∙·*–-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_COMPOUND = re.compile(r"\b(\w+)[-‐](\w+)\b")
_HYPHENS = "-‐\u00ad"


@dataclass
class _Line:
    """One line of a page: its text and where its first piece is drawn (PDF points)."""

    text: str
    x: float
    y: float
    size: float
    page: int
    edge: str | None = None  # "top" or "bottom" when drawn in the page's margin bands


def extract_pdf(data: bytes) -> Extracted:
    """The article in a PDF, or `Unreadable` for scans, password-locked and damaged files."""
    reader = _open(data)
    warnings: list[str] = []
    try:
        pages = [_page_lines(page, number) for number, page in enumerate(reader.pages)]
    except MemoryError:
        raise
    except (RecursionError, Exception) as exc:  # pypdf raises many kinds on damaged files
        raise Unreadable(f"damaged PDF ({_describe(exc)})") from None
    if not reader.pages:
        raise Unreadable("damaged PDF (no pages)")
    letters = sum(ch.isalnum() for lines in pages for line in lines for ch in line.text)
    if letters == 0 or (
        letters < MIN_LETTERS_PER_PAGE * len(pages) and any(_has_images(p) for p in reader.pages)
    ):
        raise Unreadable(SCANNED)
    pages = _strip_page_furniture(pages)
    text = "\n\n".join(_paragraphs([line for lines in pages for line in lines]))
    title, author, date, description = _metadata(reader, warnings)
    return Extracted(
        text=text,
        title=title,
        author=author,
        date=date,
        description=description,
        warnings=warnings,
    )


def _open(data: bytes) -> PdfReader:
    """A reader with the file decrypted, or `Unreadable` saying why it cannot be opened."""
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("PDF is encrypted with a password")
        len(reader.pages)  # reads the page tree now, so a broken one fails here
    except DependencyError:
        raise Unreadable(
            "PDF uses AES encryption, which needs the 'cryptography' package"
        ) from None
    except Unreadable:
        raise
    except MemoryError:
        raise
    except (RecursionError, Exception) as exc:  # PdfReadError, and many others on damaged files
        raise Unreadable(f"damaged PDF ({_describe(exc)})") from None
    return reader


def _describe(exc: BaseException) -> str:
    """A short reason from a parser exception, for the user."""
    message = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    if isinstance(exc, PdfReadError) and message:
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _page_lines(page: Any, number: int) -> list[_Line]:
    """The page's text lines in drawing order, from pypdf's positioned text pieces."""
    lines: list[_Line] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        height = abs(size * scale) or 10.0
        for offset, part in enumerate(text.split("\n")):
            part_y = y - offset * height * 1.2
            if not part.strip():
                continue
            last = lines[-1] if lines else None
            if last is not None and abs(part_y - last.y) < 0.5 * max(height, last.size):
                glue = "" if last.text.endswith(" ") or part.startswith(" ") else " "
                last.text += glue + part
            else:
                lines.append(_Line(part, x, part_y, height, number))

    page.extract_text(visitor_text=visit)
    box = page.mediabox
    bottom, top = float(box.bottom), float(box.top)
    band = EDGE_BAND * abs(top - bottom)
    for line in lines:
        line.text = " ".join(line.text.split())
        line.edge = "top" if line.y > top - band else "bottom" if line.y < bottom + band else None
    return [line for line in lines if line.text]


def _has_images(page: Any) -> bool:
    """Whether the page draws an image (a scan is one image per page)."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        if not isinstance(xobjects, DictionaryObject):
            return False
        return any(obj.get_object().get("/Subtype") == "/Image" for obj in xobjects.values())
    except (AttributeError, KeyError, TypeError, ValueError, PdfReadError):
        return False


def _furniture_key(text: str) -> str:
    """A line with its numbers masked, so `Page 3` and `Page 4` count as the same header."""
    return re.sub(r"\d+", "#", text.casefold())


def _strip_page_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers and footers (repeated at a page edge) and bare page numbers."""
    edges: list[tuple[set[int], set[int]]] = []
    counts: Counter[tuple[str, str]] = Counter()
    for lines in pages:
        order = sorted(range(len(lines)), key=lambda i: -lines[i].y)
        top = {i for i in order[:EDGE_LINES] if lines[i].edge == "top"}
        bottom = {i for i in order[-EDGE_LINES:] if lines[i].edge == "bottom"}
        edges.append((top, bottom))
        keys = {("top", _furniture_key(lines[i].text)) for i in top}
        keys |= {("bottom", _furniture_key(lines[i].text)) for i in bottom}
        counts.update(keys)
    needed = max(2, math.ceil(0.4 * len(pages)))
    repeated = {key for key, count in counts.items() if count >= needed and len(key[1]) < 200}
    kept: list[list[_Line]] = []
    for lines, (top, bottom) in zip(pages, edges, strict=True):
        keep = []
        for index, line in enumerate(lines):
            zones = [z for z, s in (("top", top), ("bottom", bottom)) if index in s]
            key = _furniture_key(line.text)
            if zones and (
                any((zone, key) in repeated for zone in zones) or _PAGE_NUMBER.fullmatch(line.text)
            ):
                continue
            keep.append(line)
        kept.append(keep)
    return kept


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Lines joined into paragraphs, guessing breaks from gaps, indents and sentence ends."""
    if not lines:
        return []
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    body = sizes.most_common(1)[0][0]
    gaps = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and 0 < a.y - b.y < 3 * body and abs(a.size - b.size) < 0.1 * body
    ]
    spacing = statistics.median(gaps) if gaps else 1.2 * body
    lengths = sorted(len(line.text) for line in lines if abs(line.size - body) < 0.1 * body)
    full = lengths[int(0.75 * (len(lengths) - 1))] if lengths else 60
    compounds = {m.group(0).casefold() for line in lines for m in _COMPOUND.finditer(line.text)}
    paragraphs: list[str] = []
    current = lines[0].text
    for a, b in itertools.pairwise(lines):
        if _breaks(a, b, body=body, spacing=spacing, full=full):
            paragraphs.append(current)
            current = b.text
        else:
            current = _join(current, b.text, compounds)
    paragraphs.append(current)
    return paragraphs


def _breaks(a: _Line, b: _Line, *, body: float, spacing: float, full: int) -> bool:
    """Whether line `b` starts a new paragraph after line `a`."""
    if abs(a.size - b.size) > 0.15 * body or abs(b.size - body) > 0.15 * body:
        return True  # a heading, a caption or a footnote: a block of its own
    if a.page == b.page and a.y - b.y > 1.4 * spacing:
        return True
    if _LIST_START.match(b.text):
        return True
    indent = b.x - a.x
    if 0.6 * body < indent < 8 * body and not _LIST_START.match(a.text):
        return True  # a first-line indent
    short = len(a.text) < 0.8 * full
    if short and _SENTENCE_END.search(a.text):
        return True
    return (
        len(a.text) < 0.5 * full
        and b.text[:1].isupper()
        and not a.text.endswith((",", ";", *_HYPHENS))
    )


def _join(text: str, line: str, compounds: set[str]) -> str:
    """`text` continued by the next line, undoing a hyphen that only split a word."""
    if text[-1:] in _HYPHENS and len(text) > 1 and text[-2].isalnum() and line[:1].isalnum():
        head = text[:-1]
        if text.endswith("\u00ad"):
            return head + line
        last_word = re.search(r"\w+$", head)
        first_word = re.match(r"\w+", line)
        compound = (
            f"{last_word.group(0)}-{first_word.group(0)}".casefold()
            if (last_word and first_word)
            else ""
        )
        if line[0].islower() and compound not in compounds:
            return head + line
        return text + line  # Serbia- / Russia: a real compound, keep the hyphen
    return f"{text} {line}"


def _metadata(
    reader: PdfReader, warnings: list[str]
) -> tuple[str | None, str | None, str | None, str | None]:
    """Title, author, ISO creation date and subject from the document info, else from XMP."""
    title = author = date = description = None
    try:
        info = reader.metadata
        if info is not None:
            title = clean_title(info.get("/Title"))
            author = clean_author(info.get("/Author"))
            description = clean_text(info.get("/Subject"))
            date = _iso(info, "creation_date")
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError):
        warnings.append("the PDF's document information is damaged")
    if title and author and date:
        return title, author, date, description
    try:
        xmp = reader.xmp_metadata
        if xmp is not None:
            titles = xmp.dc_title or {}
            first = titles.get("x-default") or next(iter(titles.values()), None)
            title = title or clean_title(first)
            creators = xmp.dc_creator or []
            author = author or clean_author(", ".join(c for c in creators if c) or None)
            date = date or _iso(xmp, "xmp_create_date")
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        warnings.append("the PDF's XMP metadata is damaged")
    return title, author, date, description


def _iso(source: Any, attribute: str) -> str | None:
    """An ISO date from a pypdf date property, or None if missing or malformed."""
    try:
        value = getattr(source, attribute)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    return value.date().isoformat() if isinstance(value, datetime) else None
