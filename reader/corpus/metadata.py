"""Title, author, date, word count read from messy plain-text copies of web articles.

General rules only: a dateline is a short line that is mostly a date; a byline is "By"/"Written
by" followed by a capitalised name; photo credits and web chrome are never titles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reader.corpus.dates import date_at_start, is_date_line
from reader.corpus.word_count import count_words as count_word_matches

HEADER_LINES = 12
MAX_TITLE_CHARS = 200
WORDS_PER_MINUTE = 230

_CREDIT = re.compile(
    r"^(?:photo|photograph|image|picture|credit|credits|source|caption|illustration|video)s?"
    r"(?:\s+credits?)?\s*:"
    r"|^(?:photo|photograph|image|picture|illustration|video)s?\s+(?:by|courtesy\s+of)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:written\s+by|words\s+by|story\s+by|by|author)\s*[:\-–]?\s+(?P<name>.+)$", re.I
)
_NAME_CONNECTORS = {
    "and",
    "&",
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "la",
    "le",
    "du",
    "del",
    "bin",
    "al",
    "el",
    "y",
    "dos",
    "ter",
}
_WEB_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|menu|search|subscribe|sign in|log ?in|advertisement|"
    r"share|share this|trending now|home|newsletter|accept cookies|read more|related|"
    r"most read|listen|print|comments?|close)$",
    re.I,
)
_LEADING_DATE_LABEL = re.compile(r"^(?:date|dated|published|posted|updated)\s*[:\-–]?\s*", re.I)


@dataclass
class TextMetadata:
    """What a plain-text article says about itself; None where no rule matched."""

    title: str | None
    author: str | None
    date: str | None
    words: int
    reading_minutes: int


def count_words(text: str) -> int:
    """Words as runs of letters and digits, keeping "Serbia’s" and "long-standing" whole
    (`\\w+(?:['’\\-]\\w+)*`, counted without the regex: see `word_count`)."""
    return count_word_matches(text)


def reading_minutes(words: int) -> int:
    """Minutes to read at an unhurried pace; at least one for any text."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


def _header_lines(text: str) -> list[str]:
    lines = []
    for raw in _lines(text):
        line = raw.strip().lstrip("#").strip()
        if line:
            lines.append(line)
        if len(lines) >= HEADER_LINES:
            break
    return lines


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one by one: the header rules stop after a dozen, so a long article
    is not split whole."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def byline_name(line: str) -> str | None:
    """The author's name if `line` is a byline ("By Jane Doe", "Written by Kathrine Frich")."""
    match = _BYLINE.match(line)
    if not match:
        return None
    name = re.split(r"\s+[|•·]\s+|\s+[-–—]\s+|,\s*(?=\d)|\s+(?:on|at)\s+", match.group("name"))[0]
    name = name.strip(" .,;:")
    words = name.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in name) or len(name) > 60:
        return None
    for word in words:
        if word.lower() in _NAME_CONNECTORS:
            continue
        if not word[0].isupper():
            return None
    return name


def _split_leading_date(line: str) -> tuple[str | None, str]:
    """`date 2025-01-12 Title` gives ("2025-01-12", "Title"); other lines come back whole."""
    labelled = _LEADING_DATE_LABEL.match(line)
    rest = line[labelled.end() :] if labelled else line
    found = date_at_start(rest)
    if found is None:
        return None, line
    if not labelled and not rest[found.end :].startswith((" ", ":", "-", "–", "|")):
        return None, line
    return found.iso, rest[found.end :].strip(" :-–|")


def _is_title_candidate(line: str) -> bool:
    return (
        3 <= len(line) <= MAX_TITLE_CHARS
        and not _CREDIT.match(line)
        and not _WEB_CHROME.match(line)
        and byline_name(line) is None
        and is_date_line(line) is None
        and any(ch.isalpha() for ch in line)
    )


def extract_metadata(text: str) -> TextMetadata:
    """Apply the header rules to the first lines of `text` and count its words."""
    title = author = date = None
    for line in _header_lines(text):
        leading_date, rest = _split_leading_date(line)
        if leading_date and date is None:
            date = leading_date
        if author is None and (name := byline_name(rest)):
            author = name
            continue
        if date is None and (dateline := is_date_line(rest)):
            date = dateline.iso
            continue
        if title is None and _is_title_candidate(rest):
            title = rest
    words = count_words(text)
    return TextMetadata(title, author, date, words, reading_minutes(words))
