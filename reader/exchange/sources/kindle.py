"""Kindle's `My Clippings.txt`: records split by `==========`, each a title line
(`Title (Author)`), a metadata line (`- Your Highlight on page 12 | Location 180-182 | Added on
…`, in the Kindle's language) and the text. Notes attach to the highlight whose location they
share; bookmarks carry no text and are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reader.exchange.sources.detect import KINDLE_SEPARATOR
from reader.exchange.sources.records import SourceHighlight, Unreadable, stable_uid

# The words a Kindle writes for each kind of clipping, in the languages it ships with.
_HIGHLIGHT = re.compile(
    r"highlight|markierung|surlignement|subrayado|evidenziazione|destaque|markering|"
    r"ハイライト|标注|выделение",
    re.IGNORECASE,
)
_NOTE = re.compile(r"\bnote?\b|notiz|\bnota\b|notitie|メモ|笔记|заметка", re.IGNORECASE)
_BOOKMARK = re.compile(
    r"bookmark|lesezeichen|signet|marcador|segnalibro|bladwijzer|ブックマーク|书签|закладка",
    re.IGNORECASE,
)
_LOCATION = re.compile(
    r"(?:location|loc\.|position|emplacement|posición|posizione|posição|locatie|位置No\.|"
    r"位置|позиция)\s*#?\s*(\d+)(?:\s*-\s*(\d+))?",
    re.IGNORECASE,
)
_PAGE = re.compile(r"(?:page|seite|página|pagina|стр\.|ページ|第)\s*(\d+)", re.IGNORECASE)
_AUTHOR = re.compile(r"^(.*\S)\s*\(([^()]*)\)\s*$")
_ENGLISH_DATE = re.compile(r"added on \w+, (.+)$", re.IGNORECASE)
_DATE_FORMATS = ("%B %d, %Y %I:%M:%S %p", "%d %B %Y %H:%M:%S", "%B %d, %Y %H:%M:%S")


@dataclass(frozen=True)
class _Clipping:
    number: int
    title: str
    author: str
    kind: str  # highlight, note, bookmark, unknown
    location: str
    last_location: int | None
    page: str
    created: str | None
    text: str


def read_kindle(text: str) -> tuple[list[SourceHighlight], list[Unreadable]]:
    """The highlights of a clippings file (notes attached), and the entries skipped."""
    clippings = [_clipping(n, record) for n, record in enumerate(_records(text), start=1)]
    highlights: list[SourceHighlight] = []
    skipped: list[Unreadable] = []
    notes: dict[tuple[str, int | None], list[str]] = {}
    for clip in clippings:
        if clip.kind == "note" and clip.text:
            notes.setdefault((clip.title, clip.last_location), []).append(clip.text)
    attached: set[tuple[str, int | None]] = set()
    for clip in clippings:
        if clip.kind == "bookmark":
            skipped.append(Unreadable(clip.number, clip.title, "a bookmark holds no text"))
        elif clip.kind == "unknown":
            skipped.append(Unreadable(clip.number, clip.title, "not a Kindle clipping record"))
        elif clip.kind == "highlight" and not clip.text.strip():
            skipped.append(Unreadable(clip.number, clip.title, "the highlight holds no text"))
        elif clip.kind == "highlight":
            key = (clip.title, clip.last_location)
            note = "\n\n".join(notes.get(key, []))
            if note:
                attached.add(key)
            highlights.append(
                SourceHighlight(
                    item=clip.number,
                    uid=stable_uid("kindle", clip.title, clip.location, clip.text),
                    quote=clip.text,
                    title=clip.title,
                    author=clip.author,
                    note=note,
                    created=clip.created,
                    location=clip.location or clip.page,
                )
            )
    for clip in clippings:
        if clip.kind == "note" and (clip.title, clip.last_location) not in attached:
            reason = "a note with no highlight at its location"
            skipped.append(Unreadable(clip.number, clip.title, reason))
    return highlights, skipped


def _records(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    records = [r.strip("\n\ufeff ") for r in text.split(KINDLE_SEPARATOR)]
    return [r for r in records if r.strip()]


def _clipping(number: int, record: str) -> _Clipping:
    lines = record.split("\n")
    title_line = lines[0].strip().removeprefix("\ufeff")
    meta = lines[1].strip() if len(lines) > 1 else ""
    body = "\n".join(lines[2:]).strip()
    match = _AUTHOR.match(title_line)
    title, author = (match.group(1), match.group(2).strip()) if match else (title_line, "")
    if not meta.startswith("-"):
        kind = "unknown"
    else:
        first_part = meta.split("|", 1)[0]
        kind = (
            "bookmark" if _BOOKMARK.search(first_part)
            else "highlight" if _HIGHLIGHT.search(first_part)
            else "note" if _NOTE.search(first_part)
            else "unknown"
        )  # fmt: skip
    location, last = "", None
    if found := _LOCATION.search(meta):
        first, end = found.group(1), found.group(2)
        location = f"{first}-{end}" if end else first
        last = _last_location(first, end)
    page = f"page {found.group(1)}" if (found := _PAGE.search(meta)) else ""
    return _Clipping(number, title, author, kind, location, last, page, _created(meta), body)


def _last_location(first: str, end: str | None) -> int:
    """The last location of a range, `180-82` (older Kindles shorten it) read as 182."""
    if not end:
        return int(first)
    if len(end) < len(first):
        end = first[: len(first) - len(end)] + end
    return int(end)


def _created(meta: str) -> str | None:
    """The English `Added on Sunday, January 12, 2025 10:01:02 AM` as ISO 8601; other
    languages' dates are left out (the highlight takes the time of import)."""
    last = meta.rsplit("|", 1)[-1].strip()
    found = _ENGLISH_DATE.search(last)
    if not found:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(found.group(1).strip(), fmt).isoformat()
        except ValueError:
            continue
    return None
