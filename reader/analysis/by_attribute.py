"""Every count by attribute: tag × attribute value (`reader stats --by KEY`), and the code matrix
(tag counts per document) the CSV export writes.

Counted documents are those `corpus_stats` counts (status 'ok', or any with highlights kept).
A tag counts its sub-tags, each highlight once, as in `corpus_stats`. A document counts for a tag
when one of its highlights carries it or a sub-tag, or when the document itself is tagged so (a
whole-document tag): once either way. Documents without the attribute are grouped under the
value None, shown as "(none)". Values are grouped ignoring case (as `documents_where` matches
them), under their first spelling in path order.

Three read-only queries (tags, documents, highlights grouped by document and set of tags in
SQLite) and the attribute's values, then Python: no co-occurrence, so well under the time of
`corpus_stats` (bench/attribute_stats_bench.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import NamedTuple

import sqlite_utils

from reader.analysis.records import AttributeStats, TagByValue, ValueTotals
from reader.corpus.attributes import DERIVED, clean_name, derived_values, site_of, value_kind
from reader.errors import UsageError

_COUNTED_DOCUMENTS = """
SELECT id, path, title, date, author, site, source, words FROM documents
WHERE status = 'ok' OR id IN (SELECT document_id FROM annotations) ORDER BY path
"""

# Highlights counted by (document, set of tag ids) in SQLite: a corpus has few distinct sets, so
# Python sees a few rows per document rather than one per highlight.
_HIGHLIGHTS_BY_TAG_SET = """
SELECT document_id, tag_ids, count(*) FROM (
    SELECT a.document_id, group_concat(x.tag_id) AS tag_ids
    FROM annotations a LEFT JOIN annotation_tags x ON x.annotation_id = a.id
    GROUP BY a.id
) GROUP BY document_id, tag_ids
"""


class TagPaths(NamedTuple):
    """Every tag path and implied parent, keyed by casefolded path (as `corpus_stats` makes)."""

    names: dict[str, str]  # path key -> path as first spelt
    levels: dict[str, int]  # path key -> number of segments
    colors: dict[str, str]  # path key -> colour, for paths a tag is called
    ancestors: dict[int, tuple[str, ...]]  # tag id -> the keys of its parents and its own

    def ordered(self, depth: int | None = None) -> list[str]:
        """Path keys with parents right before their children, at most `depth` segments."""
        keys = sorted(self.names, key=lambda key: tuple(self.names[key].casefold().split("/")))
        return [key for key in keys if depth is None or self.levels[key] <= depth]


def tag_paths(db: sqlite_utils.Database) -> TagPaths:
    paths = TagPaths({}, {}, {}, {})
    for tag_id, name, color in db.execute("SELECT id, name, color FROM tags ORDER BY key"):
        segments = [part for part in name.split("/") if part] or [name]
        keys = []
        for size in range(1, len(segments) + 1):
            prefix = "/".join(segments[:size])
            keys.append(prefix.casefold())
            paths.names.setdefault(keys[-1], prefix)
            paths.levels[keys[-1]] = size
        paths.colors.setdefault(keys[-1], color)
        paths.ancestors[tag_id] = tuple(keys)
    return paths


@dataclass(frozen=True)
class CountedDocument:
    """A counted document's metadata in effect, and its highlights however tagged."""

    id: int
    path: str
    title: str
    date: str | None
    author: str | None
    site: str | None  # as the page names it (the `site` attribute falls back on `source`)
    source: str | None
    words: int
    highlights: int = 0


def counted_documents(
    db: sqlite_utils.Database, wanted: set[int] | None
) -> dict[int, CountedDocument]:
    """The documents statistics count (in path order), restricted to `wanted`."""
    found = {}
    for doc_id, path, title, date, author, site, source, words in db.execute(_COUNTED_DOCUMENTS):
        if wanted is None or doc_id in wanted:
            title = title or PurePosixPath(path).stem
            found[doc_id] = CountedDocument(
                doc_id, path, title, date, author, site, source, words or 0
            )
    return found


def highlight_counts(
    db: sqlite_utils.Database, paths: TagPaths, wanted: Iterable[int]
) -> tuple[dict[str, dict[int, int]], dict[int, int]]:
    """Per path key, highlights per document (a parent counts its sub-tags, each highlight
    once); and every highlight per document, tagged or not. Only documents in `wanted`."""
    wanted = set(wanted)
    per_tag: dict[str, dict[int, int]] = defaultdict(dict)
    per_document: dict[int, int] = defaultdict(int)
    expanded: dict[str, frozenset[str]] = {}
    for doc_id, tag_ids, n in db.execute(_HIGHLIGHTS_BY_TAG_SET):
        if doc_id not in wanted:
            continue
        per_document[doc_id] += n
        if not tag_ids:
            continue
        keys = expanded.get(tag_ids)
        if keys is None:
            ids = (int(t) for t in str(tag_ids).split(","))
            keys = expanded[tag_ids] = frozenset(k for t in ids for k in paths.ancestors[t])
        for key in keys:
            counts = per_tag[key]
            counts[doc_id] = counts.get(doc_id, 0) + n
    return per_tag, per_document


def whole_document_tags(
    db: sqlite_utils.Database, paths: TagPaths, wanted: Iterable[int]
) -> dict[str, set[int]]:
    """Per path key, the documents tagged with it or a sub-tag as a whole."""
    wanted = set(wanted)
    tagged: dict[str, set[int]] = defaultdict(set)
    for doc_id, tag_id in db.execute("SELECT document_id, tag_id FROM document_tags"):
        if doc_id in wanted:
            for key in paths.ancestors[tag_id]:
                tagged[key].add(doc_id)
    return tagged


def attribute_values(
    db: sqlite_utils.Database, name: str, documents: dict[int, CountedDocument]
) -> dict[int, str]:
    """The value of attribute `name` of each document that has it (set ones win over derived),
    as `attributes_by_document` gives it, reading only that attribute."""
    values: dict[int, str] = {}
    if name in DERIVED:
        for doc_id, doc in documents.items():
            if name == "site":
                value = site_of(doc.site, doc.source)
            elif name == "author":
                value = doc.author
            else:
                value = derived_values(None, None, None, doc.date).get(name)
            if value:
                values[doc_id] = value
    for doc_id, value in db.execute(
        "SELECT document_id, value FROM document_attributes WHERE name = ?", [name]
    ):
        if doc_id in documents:
            values[doc_id] = value
    return values


def _value_key(kind: str, spelling: str) -> tuple[float, str]:
    """Numbers sort by size; dates (ISO) and text by their letters, ignoring case."""
    return (float(spelling), "") if kind == "number" else (0.0, spelling.casefold())


def stats_by_attribute(
    db: sqlite_utils.Database,
    name: str,
    depth: int | None = None,
    document_ids: Iterable[int] | None = None,
) -> AttributeStats:
    """Tag × value of attribute `name` over the counted documents (or those in `document_ids`):
    for each tag path (at most `depth` segments) and each value, highlights, documents with the
    tag, documents with the value, and highlights per 1,000 words of those documents. Every
    (tag, value) is a row, zeros included. A name no document has ever carried (other than
    `site`, `author`, `year`, `month`) is a `UsageError`: a typo would otherwise put every
    document under "(none)"."""
    if depth is not None and depth < 1:
        raise ValueError("depth is at least 1")
    name = clean_name(name)
    if name not in DERIVED and not db.execute(
        "SELECT 1 FROM document_attributes WHERE name = ? LIMIT 1", [name]
    ).fetchone():
        raise UsageError(f"no document has the attribute {name} (reader attr list shows them)")
    wanted = None if document_ids is None else set(document_ids)
    documents = counted_documents(db, wanted)
    values = attribute_values(db, name, documents)

    # Values grouped ignoring case, under their first spelling in path order.
    spelling: dict[str, str] = {}
    group_of: dict[int, str | None] = {}
    for doc_id in documents:
        value = values.get(doc_id)
        if value is None:
            group_of[doc_id] = None
            continue
        group = value.casefold()
        spelling.setdefault(group, value)
        group_of[doc_id] = group
    kind = value_kind(spelling.values())
    groups: list[str | None] = sorted(spelling, key=lambda g: _value_key(kind, spelling[g]))
    if None in group_of.values():
        groups.append(None)

    paths = tag_paths(db)
    per_tag, per_document = highlight_counts(db, paths, documents)
    tagged_whole = whole_document_tags(db, paths, documents)
    totals = {group: [0, 0, 0] for group in groups}  # documents, words, highlights
    for doc_id, document in documents.items():
        total = totals[group_of[doc_id]]
        total[0] += 1
        total[1] += document.words
        total[2] += per_document.get(doc_id, 0)

    value_totals = tuple(
        ValueTotals(None if g is None else spelling[g], *totals[g]) for g in groups
    )
    rows = []
    for key in paths.ordered(depth):
        highlights: dict[str | None, int] = defaultdict(int)
        with_tag: dict[str | None, set[int]] = defaultdict(set)
        for doc_id, n in per_tag.get(key, {}).items():
            highlights[group_of[doc_id]] += n
            with_tag[group_of[doc_id]].add(doc_id)
        for doc_id in tagged_whole.get(key, ()):
            with_tag[group_of[doc_id]].add(doc_id)
        for group, value in zip(groups, value_totals, strict=True):
            rows.append(
                TagByValue(
                    tag=paths.names[key],
                    level=paths.levels[key],
                    implied=key not in paths.colors,
                    color=paths.colors.get(key),
                    value=value.value,
                    highlights=highlights.get(group, 0),
                    documents=len(with_tag.get(group, ())),
                    documents_total=value.documents,
                    words=value.words,
                )
            )
    return AttributeStats(name, kind, depth, value_totals, tuple(rows))


@dataclass(frozen=True)
class CodeMatrix:
    """Tag counts per document: `documents` in path order, `tags` (paths) in tree order, and
    `counts[path][document id]` highlights (a parent counts its sub-tags, each highlight once),
    and each document's own (whole-document) tags by name."""

    documents: tuple[CountedDocument, ...]
    tags: tuple[str, ...]
    counts: dict[str, dict[int, int]]
    document_tags: dict[int, list[str]]

    def count(self, tag: str, document_id: int) -> int:
        return self.counts.get(tag, {}).get(document_id, 0)


def code_matrix(
    db: sqlite_utils.Database,
    document_ids: Iterable[int] | None = None,
    tag: str | None = None,
) -> CodeMatrix:
    """The code matrix over the counted documents (or those in `document_ids`), every tag path
    a column (or only `tag` and its sub-tags)."""
    wanted = None if document_ids is None else set(document_ids)
    documents = counted_documents(db, wanted)
    paths = tag_paths(db)
    per_tag, per_document = highlight_counts(db, paths, documents)
    keys = paths.ordered()
    if tag is not None:
        root = tag.strip().strip("/").casefold()
        keys = [k for k in keys if k == root or k.startswith(root + "/")]
    rows = tuple(
        replace(d, highlights=per_document.get(d.id, 0)) for d in documents.values()
    )
    tags = tuple(paths.names[k] for k in keys)
    own: dict[int, list[str]] = defaultdict(list)
    for doc_id, name in db.execute(
        "SELECT x.document_id, t.name FROM document_tags x JOIN tags t ON t.id = x.tag_id "
        "ORDER BY t.key"
    ):
        if doc_id in documents:
            own[doc_id].append(name)
    return CodeMatrix(rows, tags, {paths.names[k]: per_tag.get(k, {}) for k in keys}, dict(own))
