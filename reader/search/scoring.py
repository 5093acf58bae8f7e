"""Score candidate rows against the query, a highlight's tags counted with its quote and note.

A reader who tagged a highlight `topic/energy` and searches `energy flemin` means that highlight
when its quote says "flemin": the tag names count as words of the highlight, so it matches both
query words, while its snippet still marks only what its own text matched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from reader.search.matcher import Matcher, TextMatch
from reader.search.results import SearchKind
from reader.search.scope import sql_ids


def scored_rows(
    kind: SearchKind, matcher: Matcher, rows: Sequence[tuple]
) -> list[tuple[TextMatch, float, tuple]]:
    """(match, score, row) of the rows whose text (last column) matches."""
    scored = []
    for row in rows:
        match = matcher.match(row[-1])
        if match is not None:
            scored.append((match, match.score(matcher.group_count, kind), row))
    return scored


def tag_names_of(conn: sqlite3.Connection, annotation_ids: Sequence[int]) -> dict[int, str]:
    """Each tagged highlight's tag names, one a line."""
    if not annotation_ids:
        return {}
    rows = conn.execute(
        "SELECT x.annotation_id, group_concat(t.name, char(10)) FROM annotation_tags x "
        f"JOIN tags t ON t.id = x.tag_id WHERE x.annotation_id IN ({sql_ids(annotation_ids)}) "
        "GROUP BY x.annotation_id"
    ).fetchall()
    return dict(rows)


def scored_highlights(
    conn: sqlite3.Connection, kind: SearchKind, matcher: Matcher, rows: Sequence[tuple]
) -> list[tuple[TextMatch, float, tuple]]:
    """Like `scored_rows` over highlight rows (id first, quote or note last), each scored as
    the better of its text alone and its text with its tag names."""
    scored = scored_rows(kind, matcher, rows)
    if matcher.group_count < 2:
        return scored  # one word: the tag itself is a result of its own
    partial = [row[0] for match, _, row in scored if match.matched < matcher.group_count]
    names = tag_names_of(conn, partial)  # a text matching every word needs no tags
    better = []
    for match, score, row in scored:
        tags = names.get(row[0])
        if tags and match.matched < matcher.group_count:
            with_tags = matcher.match(row[-1] + "\n" + tags)
            if with_tags is not None:
                score = max(score, with_tags.score(matcher.group_count, kind))
        better.append((match, score, row))
    return better
