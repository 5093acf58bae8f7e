"""Which document a highlight from elsewhere belongs to, and where in it.

The document: by source address (normalised as `reader add` does), then by title (and author),
exactly or by a close match no other title rivals, then by content (the quote found in exactly
one document). The place: the quote (with the prefix and suffix Hypothesis keeps) through
reader's anchoring, on text where typography is made plain (curly quotes, dashes, runs of
whitespace), so a Kindle's `’` finds the article's `'`; offsets go back to the canonical text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from reader.annotate.anchoring import reanchor
from reader.corpus.urls import normalise_url
from reader.errors import UsageError
from reader.exchange.sources.records import SourceHighlight
from reader.models import AnchorStatus, Document

TITLE_MIN_SCORE = 92.0  # how alike two titles must be (0-100) when they are not equal
TITLE_RIVAL_MARGIN = 3.0  # a second title this close makes the match a tie: no match
_PLAIN = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    }
)  # fmt: skip


def plain(text: str) -> str:
    """`text` with typography made plain and whitespace runs one space (for comparing)."""
    return plain_with_map(text)[0]


def plain_with_map(text: str) -> tuple[str, list[int]]:
    """`plain(text)` and, for each of its characters, the offset in `text` it came from."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for at, char in enumerate(text):
        if char.isspace():
            if not in_space:
                out.append(" ")
                origin.append(at)
            in_space = True
            continue
        in_space = False
        mapped = char.translate(_PLAIN)
        if mapped == "…":
            mapped = "..."
        for piece in mapped:
            out.append(piece)
            origin.append(at)
    return "".join(out), origin


def title_key(title: str) -> str:
    """A title compared: NFKC, case-folded, punctuation dropped, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", plain(title)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


@dataclass(frozen=True)
class Placed:
    start: int
    end: int
    status: AnchorStatus


class DocumentIndex:
    """The workspace's documents, with their plain texts made once per import."""

    def __init__(self, documents: list[Document], texts: dict[int, str]) -> None:
        self.documents = [d for d in documents if d.id in texts]
        self.texts = texts
        self._plain: dict[int, tuple[str, list[int]]] = {}
        self.by_url: dict[str, list[Document]] = {}
        for document in self.documents:
            if key := _url_key(document.source or ""):
                self.by_url.setdefault(key, []).append(document)
        self.titles = [(title_key(d.title), d) for d in self.documents if title_key(d.title)]

    def plain_text(self, document: Document) -> tuple[str, list[int]]:
        if document.id not in self._plain:
            self._plain[document.id] = plain_with_map(self.texts[document.id])
        return self._plain[document.id]

    def match(self, highlight: SourceHighlight) -> tuple[Document | None, str]:
        """The highlight's document and how it was found, or None and why not."""
        if key := _url_key(highlight.url):
            found = self.by_url.get(key, [])
            if len(found) == 1:
                return found[0], "address"
        document, title_problem = self._by_title(highlight.title, highlight.author)
        if document is not None:
            return document, "title"
        document, why = self._by_content(highlight)
        return document, (why if document is not None or not title_problem else title_problem)

    def _by_title(self, title: str, author: str) -> tuple[Document | None, str]:
        """The one document with this title; else None and, on a tie, why."""
        wanted = title_key(title)
        if not wanted:
            return None, ""
        equal = [d for key, d in self.titles if key == wanted]
        if author and len(equal) > 1:
            equal = [d for d in equal if title_key(d.author or "") == title_key(author)]
        if len(equal) == 1:
            return equal[0], ""
        if len(equal) > 1:
            return None, f"{len(equal)} documents have this title"
        scored = sorted(
            ((fuzz.token_sort_ratio(wanted, key), d) for key, d in self.titles),
            key=lambda pair: -pair[0],
        )
        if not scored or scored[0][0] < TITLE_MIN_SCORE:
            return None, ""
        if len(scored) > 1 and scored[1][0] >= scored[0][0] - TITLE_RIVAL_MARGIN:
            return None, "two documents have a title this close"
        return scored[0][1], ""

    def _by_content(self, highlight: SourceHighlight) -> tuple[Document | None, str]:
        quote = plain(highlight.quote).strip()
        if len(quote) < 8:
            return None, "no document has this title or address"
        holders = [d for d in self.documents if quote in self.plain_text(d)[0]]
        if len(holders) == 1:
            return holders[0], "content"
        if len(holders) > 1:
            return None, f"the quote is in {len(holders)} documents and nothing tells which"
        return None, "no document has this title, address or quote"

    def place(self, document: Document, highlight: SourceHighlight) -> Placed | str:
        """Where the quote sits in the document's canonical text, or why it cannot be said."""
        text, origin = self.plain_text(document)
        quote = plain(highlight.quote).strip()
        if not quote:
            return "the quote is empty"
        prefix, suffix = plain(highlight.prefix), plain(highlight.suffix)
        count = text.count(quote)
        placed = reanchor(text, -1, -1, quote, prefix, suffix)
        if placed.status == "orphaned":
            if count > 1:
                return f"the quote occurs {count} times and nothing tells which"
            return "the quote is not in the document"
        start = origin[placed.start]
        end = origin[placed.end - 1] + 1
        return Placed(start, end, "fuzzy" if placed.status == "fuzzy" else "anchored")


def _url_key(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        return normalise_url(url).removesuffix("/")
    except UsageError:
        return ""
