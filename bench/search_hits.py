"""Whether a search result is a planted query's right answer (bench/search_bench.py)."""

from __future__ import annotations

from search_corpus import PlantedQuery

from reader.search.results import SearchResult

Found = tuple[str, int, int, str, str]  # doc, start, end, kind, snippet text


def hit(query: PlantedQuery, found: Found) -> bool:
    """Whether a result is a planted answer: a highlight carrying one of the query's tags, one
    whose snippet holds the query's word, the planted highlight itself, or a span inside the
    planted paragraph."""
    doc, start, end, kind, snippet = found
    if query.tags:
        return kind == "tag" and start != end and snippet[1:].split(" ")[0] in query.tags
    if query.word:
        return query.word in snippet.casefold()
    if doc != query.doc:
        return False
    if query.highlight:
        return (start, end) == (query.start, query.end)
    return query.start <= start and end <= query.end


def first_hit(query: PlantedQuery, found: list[Found]) -> int | None:
    return next((i for i, f in enumerate(found[:10]) if hit(query, f)), None)


def spans(results: list[SearchResult] | list[dict]) -> list[Found]:
    out = []
    for r in results:
        if isinstance(r, dict):
            out.append((r["doc"], r["start"], r["end"], r["kind"], r["snippet"]))
        else:
            out.append((r.doc, r.start, r.end, r.kind, r.snippet_text))
    return out
