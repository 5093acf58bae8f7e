"""The filters of a query (`doc:`, attributes, `tag:`, `-tag:`) and what tags each kind of
result carries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.search.attribute_filters import documents_by_attributes
from reader.search.query import ParsedQuery
from reader.search.text import fold
from reader.search.vocabulary import allowed_edits, osa_distance

PRELOAD_HIGHLIGHTS = 3000  # tags on up to this many highlights are read at once


def sql_ids(values: Iterable[int]) -> str:
    """Integer ids as an SQL list (ids only ever come from the database as ints)."""
    return ", ".join(str(int(v)) for v in values)


@dataclass(frozen=True)
class Scope:
    """What the filters let through: documents (doc: and attribute filters), tags a result
    must carry (each tag: filter is a set of tag ids, one of which it must carry) and tags it
    must not (-tag:).

    A highlight carries its own tags; a document its own and its highlights'; a paragraph its
    document's own and those of the highlights touching it (see `TagCarriers`).
    """

    documents: frozenset[int] | None = None
    tag_filters: tuple[frozenset[int], ...] = ()
    excluded_tags: frozenset[int] = frozenset()

    @property
    def by_tags(self) -> bool:
        return bool(self.tag_filters or self.excluded_tags)

    @property
    def filtered(self) -> bool:
        return self.documents is not None or self.by_tags

    @property
    def empty(self) -> bool:
        return self.documents == frozenset() or any(not f for f in self.tag_filters)

    def allows_document(self, document_id: int) -> bool:
        return self.documents is None or document_id in self.documents

    def allows_tags(self, tag_ids: set[int]) -> bool:
        return all(f & tag_ids for f in self.tag_filters) and not self.excluded_tags & tag_ids

    @property
    def relevant_tags(self) -> frozenset[int]:
        """The tags the filters look at: only these need looking up on a result."""
        return self.excluded_tags.union(*self.tag_filters)


def resolve_tag(tags: Sequence[tuple[int, str, str]], value: str) -> frozenset[int]:
    """Tags a `tag:` filter names among (id, name, key) `tags`: the tag and those below it
    (`actor` → `actor/russia`); failing that, those starting with it (still being typed); or
    those spelled nearly so, with theirs below."""
    wanted = fold(" ".join(value.strip().lstrip("#").split()).casefold())
    keys = [(tag_id, fold(key)) for tag_id, _, key in tags]

    def under(roots: set[str]) -> frozenset[int]:
        return frozenset(
            i for i, key in keys if any(key == r or key.startswith(r + "/") for r in roots)
        )

    exact = under({wanted})
    if exact or not wanted:
        return exact
    started = frozenset(i for i, key in keys if key.startswith(wanted))
    if started:
        return started
    edits = allowed_edits(wanted)
    if not edits:
        return frozenset()
    return under({key for _, key in keys if osa_distance(wanted, key, edits) is not None})


def build_scope(
    conn: sqlite3.Connection, parsed: ParsedQuery, tags: Sequence[tuple[int, str, str]]
) -> Scope:
    documents = None
    if parsed.docs:
        wanted = [fold(value) for value in parsed.docs]
        # SQLite's lower() folds ASCII only: rows with other characters are checked here.
        maybe = " AND ".join(
            "(instr(lower(path), ?) OR instr(lower(coalesce(title, '')), ?) "
            "OR path GLOB '*[^ -~]*' OR title GLOB '*[^ -~]*')"
            for _ in wanted
        )
        rows = conn.execute(
            f"SELECT id, path, title FROM documents WHERE {maybe}",
            [w for w in wanted for _ in (0, 1)],
        )
        documents = frozenset(
            doc_id
            for doc_id, path, title in rows
            if all(w in fold(path) or w in fold(title or "") for w in wanted)
        )
    if parsed.attributes:
        by_attributes = documents_by_attributes(conn, parsed.attributes).documents
        documents = by_attributes if documents is None else documents & by_attributes
    excluded: frozenset[int] = frozenset()
    for value in parsed.excluded_tags:
        excluded |= resolve_tag(tags, value)
    return Scope(
        documents=documents,
        tag_filters=tuple(resolve_tag(tags, value) for value in parsed.tags),
        excluded_tags=excluded,
    )


class TagCarriers:
    """Which results carry the tags a query filters on.

    When those tags are on few highlights, they are all read at once and every question is
    answered from memory; otherwise each batch of candidates is looked up (a broad tag lets
    most candidates through, so few batches are needed).
    """

    def __init__(self, conn: sqlite3.Connection, relevant: frozenset[int]) -> None:
        self.conn = conn
        self.tags = sql_ids(relevant)
        self._documents: dict[int, set[int]] = {}
        for doc_id, tag_id in conn.execute(
            f"SELECT document_id, tag_id FROM document_tags WHERE tag_id IN ({self.tags})"
        ):
            self._documents.setdefault(doc_id, set()).add(tag_id)
        tagged = conn.execute(
            f"SELECT count(*) FROM annotation_tags WHERE tag_id IN ({self.tags})"
        ).fetchone()[0]
        self.preloaded = tagged <= PRELOAD_HIGHLIGHTS
        self._annotations: dict[int, set[int]] = {}
        self._spans: dict[int, list[tuple[int, int, int]]] = {}
        if self.preloaded:  # from the tags' side
            self._add_spans(
                "annotation_tags x CROSS JOIN annotations a", f"x.tag_id IN ({self.tags})"
            )

    def _add_spans(self, joined: str, where: str) -> None:
        for ann_id, tag_id, doc_id, start, end in self.conn.execute(
            f'SELECT x.annotation_id, x.tag_id, a.document_id, a.start, a."end" FROM {joined} '
            f"WHERE x.annotation_id = a.id AND {where}"
        ):
            self._annotations.setdefault(ann_id, set()).add(tag_id)
            self._spans.setdefault(doc_id, []).append((start, end, tag_id))

    def _load_documents(self, doc_ids: Iterable[int]) -> None:
        wanted = [d for d in doc_ids if d not in self._spans]
        if self.preloaded or not wanted:
            return
        self._spans.update({doc_id: [] for doc_id in wanted})
        self._add_spans(  # from the documents' side
            "annotations a CROSS JOIN annotation_tags x",
            f"a.document_id IN ({sql_ids(wanted)}) AND x.tag_id IN ({self.tags})",
        )

    def of_annotations(self, ann_ids: Sequence[int]) -> list[set[int]]:
        if not self.preloaded:
            self._annotations.update({ann_id: set() for ann_id in ann_ids})
            for ann_id, tag_id in self.conn.execute(
                "SELECT annotation_id, tag_id FROM annotation_tags "
                f"WHERE annotation_id IN ({sql_ids(ann_ids)}) AND tag_id IN ({self.tags})"
            ):
                self._annotations[ann_id].add(tag_id)
        return [self._annotations.get(a, set()) for a in ann_ids]

    def of_documents(self, doc_ids: Sequence[int]) -> list[set[int]]:
        """Each document's own tags and its highlights'."""
        self._load_documents(doc_ids)
        return [
            self._documents.get(d, set()) | {tag for _, _, tag in self._spans.get(d, ())}
            for d in doc_ids
        ]

    def of_passages(self, passages: Sequence[tuple[int, int, int]]) -> list[set[int]]:
        """For each (document, start, end): its document's own tags and those of the
        highlights touching it."""
        self._load_documents({doc_id for doc_id, _, _ in passages})
        return [
            self._documents.get(doc_id, set())
            | {tag for s, e, tag in self._spans.get(doc_id, ()) if s < end and e > start}
            for doc_id, start, end in passages
        ]
