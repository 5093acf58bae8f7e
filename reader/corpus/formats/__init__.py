"""Rich formats (HTML, EPUB, PDF, DOCX) turned into plain article text and metadata.

Each extractor takes a file's bytes and returns an `Extracted`, or raises `Unreadable` with a
reason a user can act on. Extractors never run page content (no scripts, no network) and bound
what they read (sizes, zip members, parse time), so one hostile file costs a skip, not a sync.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Unreadable(Exception):
    """The file cannot become an article; `str(exc)` is the reason shown to the user."""


@dataclass
class Extracted:
    """An article's body as plain text (paragraphs apart by a blank line; headings and list
    items on lines of their own) and what the file says about itself. Dates are ISO
    `YYYY-MM-DD` or None; every field may be None when the file does not say."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None  # the outlet: site name, or the publisher
    source: str | None = None  # the page's own URL (saved-from, canonical or og:url)
    description: str | None = None
    warnings: list[str] = field(default_factory=list)
    words: int | None = None  # counted where the text was made: a sync's workers share it
