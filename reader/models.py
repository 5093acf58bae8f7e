"""Plain records the domain API hands to the CLI and the TUI."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocumentStatus = Literal["ok", "missing", "skipped"]
AnchorStatus = Literal["anchored", "moved", "fuzzy", "orphaned"]
ROW_ID_MAX = 2**63 - 1
"""The largest id a row can have (SQLite's integer): a larger number names nothing, and SQLite
cannot even be asked about it."""


@dataclass(frozen=True)
class Document:
    """A file in `corpus/` as the store knows it; `path` (relative to corpus/) is its handle."""

    id: int
    path: str
    status: DocumentStatus
    title: str
    author: str | None
    date: str | None
    source: str | None
    words: int
    reading_minutes: int
    annotations: int
    warning: str | None
    content_hash: str | None
    orphans: int = 0  # annotations whose text is gone from the current file
    site: str | None = None  # the outlet
    kind: str | None = None  # text, markdown, html, epub, pdf, docx
    description: str | None = None
    corrected: tuple[str, ...] = ()  # fields the user set over what the file says

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Annotation:
    """A highlight: code-point offsets into its document's canonical text, plus its context."""

    id: int
    uid: str
    document_id: int
    doc: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tags: list[str]
    note: str
    color: str | None
    status: AnchorStatus
    content_hash: str
    created: str
    updated: str
    creator: str | None = None  # who made it: the `[user] name` then, or the imported creator

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SyncReport:
    """What one sync of the corpus changed, and what the user should be told."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    reanchored: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # folders kept as they were, unread

    @property
    def touched(self) -> bool:
        return bool(
            self.added
            or self.changed
            or self.renamed
            or self.missing
            or self.skipped
            or self.unreadable
        )

    def summary(self) -> str:
        """`2 added, 1 changed`: what a person is told after a sync."""
        kinds = (
            (self.added, "added"),
            (self.changed, "changed"),
            (self.renamed, "renamed"),
            (self.missing, "missing"),
            (self.skipped, "skipped"),
            (self.unreadable, "unreadable"),
        )
        return ", ".join(f"{len(items):,} {label}" for items, label in kinds if items)


@dataclass(frozen=True)
class ImportRefusal:
    """One annotation of an imported file that did not come in (or, `kept`, came in without a
    part of it, such as a tag), and why: each is told, none skipped silently."""

    item: int  # its position in the file, from 1
    id: str | None  # the id the file gave it, when it gave one as text
    reason: str
    kept: bool = False

    @property
    def message(self) -> str:
        """One line for the user: `#3 (urn:uuid:…) refused: start is Infinity, …`."""
        who = f"#{self.item}" + (f" ({self.id})" if self.id else "")
        return f"{who} {'imported, but' if self.kept else 'refused:'} {self.reason}"


@dataclass
class ImportReport:
    """What an import did: counts by anchor status, annotations already there, and each one
    refused with its reason (`unmatched`: the sources no document matched)."""

    added: Counter[str] = field(default_factory=Counter)
    already_present: int = 0
    unmatched: list[str] = field(default_factory=list)
    refused: list[ImportRefusal] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_refused(self) -> int:
        """Annotations that did not come in at all."""
        return sum(1 for r in self.refused if not r.kept)


# Attributes every document has from its metadata; `site` and `author` set one corrects it.
DERIVED_ATTRIBUTES = frozenset({"author", "month", "site", "year"})


@dataclass(frozen=True)
class AttributeInfo:
    """One attribute name in use across the documents (`reader attr list` shows these)."""

    name: str
    kind: str  # text, number or date: number or date when every value parses as one
    documents: int  # documents that carry it
    values: int  # distinct values
    derived: bool  # comes from the metadata (site, author, year, month), set by nobody

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


AddOutcome = Literal["added", "already", "failed"]


@dataclass(frozen=True)
class AddResult:
    """What became of one source of `reader add`. `path` (relative to corpus/, `/`-separated)
    is the new file when added, the file holding it when already there; `reason` says why a
    source failed."""

    source: str
    outcome: AddOutcome
    path: str | None = None
    url: str | None = None  # a web page's address after redirects, normalised
    reason: str | None = None

    @property
    def message(self) -> str:
        """One line for the user."""
        if self.outcome == "added":
            return f"added as {self.path}"
        if self.outcome == "already":
            return f"already in the library as {self.path}"
        return self.reason or "failed"


@dataclass(frozen=True)
class TagNode:
    """One path of the tag tree: a tag of its own, or a parent implied by its sub-tags."""

    path: str
    key: str
    exists: bool  # False: nobody tagged with the parent itself; it only groups sub-tags
    color: str | None
    description: str
    favourite: int | None
    highlights: int  # distinct highlights carrying this tag or one of its sub-tags
    documents: int  # distinct documents with such a highlight
    own_highlights: int  # highlights carrying exactly this tag
    tagged_documents: int = 0  # documents carrying it (or a sub-tag) as a whole (`E`)

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def label(self) -> str:
        """The last segment: what a tree shows under the parent."""
        return self.path.rsplit("/", 1)[-1]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TagDeletion:
    """What deleting a tag takes away (for the confirmation) or took away."""

    tags: list[str]
    highlights: int  # highlights that lose a tag; they themselves stay
    documents: int
