"""What a source file holds, read into one shape, and what importing it did."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

SOURCES = uuid.UUID("9d4c1a57-2b0e-4f7a-8c31-5e6f7a8b9c0d")
"""Namespace of the ids given to imported highlights: the same highlight of the same file is
the same id, so importing twice adds nothing."""


def stable_uid(*parts: str) -> str:
    """A uuid5 of `parts` (format, book, location, text …), as hex."""
    return uuid.uuid5(SOURCES, "\x1f".join(parts)).hex


@dataclass(frozen=True)
class SourceHighlight:
    """One highlight as another tool exported it: the quote and what tells where it belongs."""

    item: int  # position in the file, from 1
    uid: str
    quote: str
    title: str = ""
    author: str = ""
    url: str = ""
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    color: str = ""
    created: str | None = None
    location: str = ""


@dataclass(frozen=True)
class Unreadable:
    """An entry of the file that is no highlight reader can take (a page note, a bookmark with
    no text, a row with no quote), and why."""

    item: int
    title: str
    reason: str


@dataclass(frozen=True)
class NotPlaced:
    """A highlight that did not come in at its words: `kept` when it is stored as an orphan of
    its document (so its note and tags are not lost), else reported only."""

    item: int
    title: str
    quote: str
    reason: str
    kept: bool = False

    @property
    def message(self) -> str:
        """One line: `#3 "Bound to Russia" “The deepening relationship…”: no document …`."""
        start = " ".join(self.quote.split())
        start = start if len(start) <= 40 else start[:39] + "…"
        book = f' "{self.title}"' if self.title else ""
        quote = f" “{start}”" if start else ""
        verdict = "kept as an orphan" if self.kept else "not placed"
        return f"#{self.item}{book}{quote} {verdict}: {self.reason}"


@dataclass
class SourceImport:
    """What `reader import` did with one file."""

    format: str  # kindle, readwise, hypothesis, w3c, qdpx
    read: int = 0  # highlights the file held
    placed: Counter[str] = field(default_factory=Counter)  # by anchor status
    already_present: int = 0
    not_placed: list[NotPlaced] = field(default_factory=list)
    skipped: list[Unreadable] = field(default_factory=list)
    dry_run: bool = False
    other_orphans: int = 0  # orphans an importer reported by count only (W3C, QDPX)
    details: list[str] = field(default_factory=list)  # more to say (QDPX: codes, sources)

    @property
    def total_placed(self) -> int:
        return sum(self.placed.values())

    @property
    def orphaned(self) -> int:
        return self.other_orphans + sum(1 for n in self.not_placed if n.kept)

    @property
    def imported(self) -> int:
        """Highlights stored by this import (placed, or kept as orphans)."""
        return self.total_placed + self.orphaned

    def summary(self) -> str:
        """`imported 12 (kindle): 11 placed, 1 orphaned, 2 not placed` (orphans: stored, their
        document found, their words not)."""
        parts = [f"{self.total_placed} placed"]
        if self.orphaned:
            parts.append(f"{self.orphaned} orphaned")
        parts.append(f"{sum(1 for n in self.not_placed if not n.kept)} not placed")
        if self.already_present:
            parts.append(f"{self.already_present} already present")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        verb = "would import" if self.dry_run else "imported"
        return f"{verb} {self.imported} ({self.format}): " + ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "read": self.read,
            "imported": self.imported,
            "placed": dict(self.placed),
            "orphaned": self.orphaned,
            "already_present": self.already_present,
            "not_placed": [asdict(n) for n in self.not_placed],
            "skipped": [asdict(s) for s in self.skipped],
            "details": self.details,
        }
