"""Corpus statistics: tag-by-document counts, tag co-occurrence and per-document totals.

Three read-only queries (documents, tags, highlights with their tag ids), then Python: fast
enough for 10,000 documents and 50,000 highlights (bench/stats_bench.py).

Counted documents are those with status 'ok', plus any missing or skipped (no longer readable)
file whose highlights are still kept, so no highlight is silently left out.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any, NamedTuple

import sqlite_utils

# The records the statistics are returned in, and the bar that draws a count, are importable from
# here too; they live in reader/analysis/records.py so the faces can take them without the queries.
from reader.analysis.records import BAR_EIGHTHS as BAR_EIGHTHS
from reader.analysis.records import CorpusStats, DocumentTotals, TagCounts, TagPair
from reader.analysis.records import text_bar as text_bar


class Highlight(NamedTuple):
    """What statistics need of one highlight: where it is, and its tags (already rolled up).
    A named tuple: tens of thousands are made per call."""

    document_id: int
    start: int
    end: int
    tags: frozenset[str]  # tag path keys (casefolded)
    orphaned: bool = False


def path_segments(name: str) -> tuple[str, ...]:
    """`actor/serbia/vucic` -> ("actor", "serbia", "vucic"); empty segments (`a//b`) are dropped."""
    return tuple(part for part in name.split("/") if part)


def _sort_key(path: str) -> tuple[str, ...]:
    """Casefolded segments: parents come right before their children (`actor`, `actor/x`,
    `actor-y`), which a plain string sort would not do (`-` sorts before `/`)."""
    return tuple(part.casefold() for part in path.split("/"))


def cooccurrence(highlights: Iterable[Highlight]) -> dict[tuple[str, str], int]:
    """Passages where two different tags both apply, for every pair of tags that meet.

    For tags A != B the count is the number of unordered pairs {h1, h2} of highlights in the same
    document whose ranges overlap, h1 and h2 possibly the same highlight, such that one carries A
    and the other carries B. A highlight carrying both A and B therefore counts once; two
    overlapping highlights, one tagged A and one tagged B, count once; if both carry A and B the
    pair still counts once. Ranges [s1, e1) and [s2, e2) overlap when s1 < e2 and s2 < e1, so
    adjacent highlights (e1 == s2) do not. Orphaned highlights only pair with themselves: their
    offsets point at text that is gone. Keys are (A, B) with A < B.

    A sort-and-sweep per document: highlights by start, the ones still open kept in a list; the
    cost grows with the number of overlapping pairs, not with the square of the highlights.
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    within = _cached(_pairs_within)
    between = _cached(_pairs_between)
    by_document: dict[int, list[Highlight]] = defaultdict(list)
    for highlight in highlights:
        if not highlight.tags:
            continue
        if len(highlight.tags) > 1:
            for pair in within(highlight.tags):
                counts[pair] += 1
        if not highlight.orphaned:
            by_document[highlight.document_id].append(highlight)
    for document_highlights in by_document.values():
        document_highlights.sort(key=lambda h: (h.start, h.end))
        open_highlights: list[Highlight] = []
        for highlight in document_highlights:
            open_highlights = [h for h in open_highlights if h.end > highlight.start]
            for other in open_highlights:
                if other.start < highlight.end:  # false only when `highlight` is empty at `start`
                    for pair in between(other.tags, highlight.tags):
                        counts[pair] += 1
            open_highlights.append(highlight)
    return dict(counts)


def _cached(
    pairs: Callable[..., frozenset[tuple[str, str]]],
) -> Callable[..., frozenset[tuple[str, str]]]:
    """`pairs` remembering its answers for this call: a corpus has few distinct sets of tags."""
    return functools.lru_cache(maxsize=4096)(pairs)


def _pairs_within(tags: frozenset[str]) -> frozenset[tuple[str, str]]:
    ordered = sorted(tags)
    return frozenset((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])


def _pairs_between(first: frozenset[str], second: frozenset[str]) -> frozenset[tuple[str, str]]:
    """Each unordered pair {a, b}, a != b, with a in one set and b in the other, once."""
    return frozenset((a, b) if a < b else (b, a) for a in first for b in second if a != b)


_HIGHLIGHTS_SQL = """
SELECT a.document_id, a.start, a."end", a.status,
       length(trim(a.note, ' ' || char(9, 10, 13))) > 0 AS has_note,
       group_concat(x.tag_id) AS tag_ids
FROM annotations a LEFT JOIN annotation_tags x ON x.annotation_id = a.id
GROUP BY a.id
"""


def corpus_stats(
    db: sqlite_utils.Database,
    depth: int | None = None,
    document_ids: Iterable[int] | None = None,
) -> CorpusStats:
    """Statistics over the whole corpus (or the documents in `document_ids`).

    `depth` rolls tags up to their first N path segments: the tag table keeps paths of at most
    N segments (each counting its sub-tags, as always) and co-occurrence pairs the rolled-up
    paths, so `actor/russia` and `actor/serbia` on one passage are both `actor` at depth 1 and
    make no pair. Per-document `distinct_tags` counts tags as applied, whatever the depth.
    """
    if depth is not None and depth < 1:
        raise ValueError("depth is at least 1")
    wanted = None if document_ids is None else set(document_ids)

    # Tags: every path and every implied parent, keyed by casefolded path.
    names: dict[str, str] = {}  # path key -> path as first spelt
    levels: dict[str, int] = {}  # path key -> number of segments
    colors: dict[str, str] = {}
    applied_key: dict[int, str] = {}  # tag id -> its path key (rolled up to `depth`)
    ancestors: dict[int, tuple[str, ...]] = {}  # tag id -> its path key and every parent's
    for tag_id, name, color in db.execute("SELECT id, name, color FROM tags ORDER BY key"):
        segments = path_segments(name) or (name,)  # a tag called "/" is one segment
        keys = []
        for size in range(1, len(segments) + 1):
            prefix = "/".join(segments[:size])
            keys.append(prefix.casefold())
            names.setdefault(keys[-1], prefix)
            levels[keys[-1]] = size
        colors.setdefault(keys[-1], color)
        ancestors[tag_id] = tuple(keys)
        applied_key[tag_id] = keys[-1] if depth is None else keys[:depth][-1]

    # Documents.
    totals: dict[int, dict[str, Any]] = {}
    for doc_id, path, status, title, source, words in db.execute(
        "SELECT id, path, status, title, source, words FROM documents "
        "WHERE status = 'ok' OR id IN (SELECT document_id FROM annotations) ORDER BY path"
    ):
        if wanted is not None and doc_id not in wanted:
            continue
        totals[doc_id] = {
            "id": doc_id,
            "path": path,
            "status": status,
            "title": title or PurePosixPath(path).stem,
            "source": source,
            "words": words,
            "highlights": 0,
            "tagged": 0,
            "notes": 0,
            "orphans": 0,
        }
    tags_in_document: dict[int, set[str]] = defaultdict(set)

    # Highlights: one pass fills the totals and the co-occurrence input, and counts highlights
    # by (set of tags, document); a corpus has few distinct sets, each expanded once.
    combos: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
    by_combo: dict[tuple[str, int], int] = defaultdict(int)
    highlights: list[Highlight] = []
    for doc_id, start, end, status, has_note, tag_ids in db.execute(_HIGHLIGHTS_SQL):
        total = totals.get(doc_id)
        if total is None:
            continue
        orphaned = status == "orphaned"
        total["highlights"] += 1
        total["notes"] += bool(has_note)
        total["orphans"] += orphaned
        if not tag_ids:
            continue
        total["tagged"] += 1
        combo = combos.get(tag_ids)
        if combo is None:
            ids = [int(t) for t in str(tag_ids).split(",")]
            combo = combos[tag_ids] = (
                frozenset(ancestors[t][-1] for t in ids),  # as applied
                frozenset(key for t in ids for key in ancestors[t]),  # with every parent
                frozenset(applied_key[t] for t in ids),  # rolled up to `depth`
            )
        by_combo[tag_ids, doc_id] += 1
        highlights.append(Highlight(doc_id, start, end, combo[2], orphaned))

    per_tag: dict[str, dict[int, int]] = defaultdict(dict)
    for (tag_ids, doc_id), n in by_combo.items():
        applied, with_parents, _ = combos[tag_ids]
        tags_in_document[doc_id].update(applied)
        for key in with_parents:
            per_tag[key][doc_id] = per_tag[key].get(doc_id, 0) + n

    tag_rows = [
        TagCounts(
            path=names[key],
            level=levels[key],
            color=colors.get(key),
            implied=key not in colors,
            highlights=sum(per_tag[key].values()),
            documents=len(per_tag[key]),
            per_document=dict(per_tag[key]),
        )
        for key in sorted(names, key=_sort_key)
        if depth is None or levels[key] <= depth
    ]
    pairs = [
        TagPair(names[a], names[b], n, colors.get(a), colors.get(b))
        for (a, b), n in cooccurrence(highlights).items()
    ]
    pairs.sort(key=lambda p: (-p.passages, _sort_key(p.a), _sort_key(p.b)))
    documents = tuple(
        DocumentTotals(**total, distinct_tags=len(tags_in_document[doc_id]))
        for doc_id, total in totals.items()
    )
    return CorpusStats(depth, documents, tuple(tag_rows), tuple(pairs))
