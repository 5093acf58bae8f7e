"""Run one search: filters, FTS5 candidates for every kind, re-ranking, results.

For each kind of text (paragraphs, document metadata, highlight quotes, notes) FTS5 picks a
bounded pool of candidates with the tiers of reader/search/tiers.py. The `Matcher` then scores
each candidate's own text, so nothing but the candidates' text is ever read, and snippets are
made for the results kept (reader/search/found.py). Tags are few: their names are matched in
memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.errors import UsageError
from reader.search.folding import phrase_spellings
from reader.search.found import Found, rank, search_results
from reader.search.matcher import Matcher, TextMatch
from reader.search.query import KINDS, ParsedQuery, parse_query
from reader.search.results import SearchKind, SearchResult
from reader.search.scope import Scope, TagCarriers, build_scope, sql_ids
from reader.search.scoring import scored_highlights, scored_rows
from reader.search.text import TOKEN, fold
from reader.search.tiers import match_tiers
from reader.search.vocabulary import expand, expand_over

MAX_LIMIT = 1000
POOL = {"text": 100, "title": 20, "quote": 50, "note": 50}  # candidates scored, at least
FILTERED_READ = 10  # with filters, read this many times the pool and keep what is in scope
MAX_FILTERED_READ = 5000
DIRECT_ROWS = 2000  # a doc: filter leaving this few paragraphs (highlights) reads them all
TAG_SHARE = 5  # without kind:tag, at most limit / 5 (and at least 5) results are tag results


class Search:
    """One query against one connection; `run()` returns its results."""

    def __init__(
        self, conn: sqlite3.Connection, parsed: ParsedQuery, limit: int, kinds: set[str] | None
    ) -> None:
        self.conn = conn
        self.parsed = parsed
        self.limit = limit
        self.chosen_kinds = kinds is not None
        self.kinds = set(KINDS) if kinds is None else kinds
        self.tags: list[tuple[int, str, str]] = conn.execute(
            "SELECT id, name, key FROM tags"
        ).fetchall()
        self._carriers: TagCarriers | None = None

    def carriers(self, scope: Scope) -> TagCarriers:
        if self._carriers is None:
            self._carriers = TagCarriers(self.conn, scope.relevant_tags)
        return self._carriers

    def run(self) -> list[SearchResult]:
        scope = build_scope(self.conn, self.parsed, self.tags)
        if scope.empty:
            return []
        if not self.parsed.has_text:
            return search_results(self.conn, self.listing(scope))
        groups = expand(self.conn, self.parsed.terms, self.parsed.completing)
        paragraphs = int(  # ids are given in order: the largest is about how many there are
            self.conn.execute("SELECT coalesce(max(id), 0) FROM search_passages").fetchone()[0]
        )
        parsed = self.parsed
        spellings = phrase_spellings(self.conn, (*parsed.phrases, *parsed.excluded))
        tiers, complete = match_tiers(groups, parsed, paragraphs, spellings)
        matcher = Matcher(groups, parsed.phrases, parsed.excluded, parsed.open_phrase, spellings)
        found: list[Found] = []
        if tiers:
            if "text" in self.kinds:
                found += self.paragraphs(matcher, tiers, complete, scope)
            if "title" in self.kinds:
                found += self.titles(matcher, tiers, complete, scope)
            if "quote" in self.kinds:
                found += self.highlights("quote", matcher, tiers, complete, scope)
            if "note" in self.kinds:
                found += self.highlights("note", matcher, tiers, complete, scope)
                found += self.document_notes(matcher, tiers, complete, scope)
        found.sort(key=rank)
        if "tag" in self.kinds:
            found = sorted(found[: self.limit] + self.tagged(scope, found), key=rank)
        return search_results(self.conn, found[: self.limit])

    # Candidates

    def pool(self, kind: str, scope: Scope) -> tuple[int, int]:
        """How many candidates of `kind` to score, and how many to read to keep that many."""
        keep = max(POOL[kind], self.limit * (2 if kind == "text" else 1))
        if scope.filtered:
            return keep, max(keep, min(keep * FILTERED_READ, MAX_FILTERED_READ))
        return keep, keep

    def candidates(self, table: str, tiers: Sequence[str], complete: int, read: int) -> list[int]:
        """Up to `read` rowids of `table` matching the tiers, best tier first; past the tiers
        that need every word, only enough to fill the results (a few times `limit`)."""
        found: dict[int, None] = {}
        wanted = read
        for n, tier in enumerate(tiers):
            if n == complete:  # from here on only to fill up: a fixed number more
                wanted = min(read, len(found) + 2 * self.limit + 10)
            if len(found) >= wanted:
                break
            try:
                rows = self.conn.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?",
                    (tier, wanted + len(found)),
                ).fetchall()
            except sqlite3.OperationalError as exc:
                # A query word FTS5 splits where Python does not (a letter of a script newer
                # than FTS5's Unicode tables) reads as a phrase, which detail=none refuses.
                if not str(exc).startswith("fts5:"):
                    raise
                continue
            found.update(dict.fromkeys(row[0] for row in rows))
        return list(found)[:wanted]

    def in_few_documents(self, scope: Scope, count_sql: str) -> bool:
        """Whether a doc: filter leaves so few rows (counted by `count_sql` over the ids in
        `{ids}`) that reading them all beats asking FTS5 and filtering."""
        if scope.documents is None:
            return False
        sql = count_sql.format(ids=sql_ids(scope.documents))
        return int(self.conn.execute(sql).fetchone()[0]) <= DIRECT_ROWS

    def in_rounds(
        self,
        ids: Sequence[int],
        keep: int,
        fetch: Callable[[Sequence[int]], list[tuple]],
        allowed: Callable[[list[tuple]], list[bool]],
    ) -> list[tuple]:
        """The rows of `ids` (by `fetch`, first column the id) that the filters allow, in the
        order of `ids`: read in batches growing fourfold until `keep` are allowed."""
        kept: list[tuple] = []
        at, size = 0, keep
        while at < len(ids) and len(kept) < keep:
            batch = ids[at : at + size]
            at, size = at + size, size * 4
            order = {rowid: i for i, rowid in enumerate(batch)}
            rows = sorted(fetch(batch), key=lambda row: order[row[0]])
            kept += [row for row, ok in zip(rows, allowed(rows), strict=True) if ok]
        return kept[:keep]

    def documents_allowed(self, scope: Scope, doc_ids: list[int]) -> list[bool]:
        allowed = [scope.allows_document(d) for d in doc_ids]
        if scope.by_tags:
            tags = self.carriers(scope).of_documents(doc_ids)
            allowed = [ok and scope.allows_tags(t) for ok, t in zip(allowed, tags, strict=True)]
        return allowed

    # Kinds

    def paragraphs(
        self, matcher: Matcher, tiers: list[str], complete: int, scope: Scope
    ) -> list[Found]:
        keep, read = self.pool("text", scope)
        select = (
            'SELECT p.id, p.document_id, p.start, p."end" FROM search_passages p '
            "JOIN documents d ON d.id = p.document_id AND d.status = 'ok' "
        )

        def allowed(rows: list[tuple]) -> list[bool]:
            ok = [scope.allows_document(r[1]) for r in rows]
            if scope.by_tags:
                tags = self.carriers(scope).of_passages([r[1:4] for r in rows])
                ok = [a and scope.allows_tags(t) for a, t in zip(ok, tags, strict=True)]
            return ok

        if self.in_few_documents(
            scope, "SELECT count(*) FROM search_passages WHERE document_id IN ({ids})"
        ):
            where = f"WHERE p.document_id IN ({sql_ids(scope.documents or ())})"
            rows = self.conn.execute(select + where).fetchall()
            rows = [row for row, ok in zip(rows, allowed(rows), strict=True) if ok]
        else:
            ids = self.candidates("search_text", tiers, complete, read)
            rows = self.in_rounds(
                ids,
                keep,
                lambda batch: self.conn.execute(
                    select + f"WHERE p.id IN ({sql_ids(batch)})"
                ).fetchall(),
                allowed,
            )
        bodies = dict(
            self.conn.execute(
                'SELECT p.id, coalesce(p.body, substr(t.text, p.start + 1, p."end" - p.start)) '
                "FROM search_passages p JOIN document_texts t ON t.document_id = p.document_id "
                f"WHERE p.id IN ({sql_ids(r[0] for r in rows)})"
            ).fetchall()
        )
        rows = [(*r, bodies[r[0]]) for r in rows if r[0] in bodies]
        return [
            Found("text", doc_id, score, body, match, start + match.span[0], start + match.span[1])
            for match, score, (_, doc_id, start, _, body) in scored_rows("text", matcher, rows)
        ]

    def by_document(
        self,
        kind: SearchKind,
        table: str,
        select: str,
        matcher: Matcher,
        tiers: list[str],
        complete: int,
        scope: Scope,
    ) -> list[tuple[TextMatch, float, tuple]]:
        """Scored (document id, text) rows of `select` (over the ids in `{ids}`) for a kind
        with one row per document: metadata lines and document notes."""
        keep, read = self.pool("title" if kind == "title" else "note", scope)
        if scope.documents is not None and len(scope.documents) <= DIRECT_ROWS:
            rows = self.conn.execute(select.format(ids=sql_ids(scope.documents))).fetchall()
            rows = [
                r
                for r, ok in zip(
                    rows, self.documents_allowed(scope, [r[0] for r in rows]), strict=True
                )
                if ok
            ]
        else:
            ids = self.candidates(table, tiers, complete, read)
            rows = self.in_rounds(
                ids,
                keep,
                lambda batch: self.conn.execute(select.format(ids=sql_ids(batch))).fetchall(),
                lambda rows: self.documents_allowed(scope, [r[0] for r in rows]),
            )
        return scored_rows(kind, matcher, rows)

    def titles(
        self, matcher: Matcher, tiers: list[str], complete: int, scope: Scope
    ) -> list[Found]:
        select = (
            "SELECT t.rowid, t.body FROM search_titles t JOIN documents d ON d.id = t.rowid "
            "WHERE t.rowid IN ({ids}) AND d.status = 'ok'"
        )
        scored = self.by_document("title", "search_titles", select, matcher, tiers, complete, scope)
        return [
            Found("title", doc_id, score, body, match, *match.span)
            for match, score, (doc_id, body) in scored
        ]

    def document_notes(
        self, matcher: Matcher, tiers: list[str], complete: int, scope: Scope
    ) -> list[Found]:
        select = "SELECT document_id, note FROM document_notes WHERE document_id IN ({ids})"
        table = "search_document_notes"
        scored = self.by_document("note", table, select, matcher, tiers, complete, scope)
        return [
            Found("note", doc_id, score, note, match, 0, 0)
            for match, score, (doc_id, note) in scored
        ]

    def highlights(
        self,
        kind: SearchKind,
        matcher: Matcher,
        tiers: list[str],
        complete: int,
        scope: Scope,
    ) -> list[Found]:
        """Highlights whose quote (kind `quote`) or note (kind `note`) matches."""
        table, column = ("search_quotes", "quote") if kind == "quote" else ("search_notes", "note")
        keep, read = self.pool(kind, scope)
        select = f'SELECT id, document_id, start, "end", {column} FROM annotations '

        def allowed(rows: list[tuple]) -> list[bool]:
            ok = [scope.allows_document(r[1]) for r in rows]
            if scope.by_tags:
                tags = self.carriers(scope).of_annotations([r[0] for r in rows])
                ok = [a and scope.allows_tags(t) for a, t in zip(ok, tags, strict=True)]
            return ok

        if self.in_few_documents(
            scope, "SELECT count(*) FROM annotations WHERE document_id IN ({ids})"
        ):
            where = f"WHERE document_id IN ({sql_ids(scope.documents or ())})"
            rows = self.conn.execute(select + where).fetchall()
            rows = [row for row, ok in zip(rows, allowed(rows), strict=True) if ok]
        else:
            ids = self.candidates(table, tiers, complete, read)
            rows = self.in_rounds(
                ids,
                keep,
                lambda batch: self.conn.execute(
                    select + f"WHERE id IN ({sql_ids(batch)})"
                ).fetchall(),
                allowed,
            )
        return [
            Found(kind, doc_id, score, text, match, start, end, ann_id)
            for match, score, (ann_id, doc_id, start, end, text) in scored_highlights(
                self.conn, kind, matcher, rows
            )
        ]

    def tagged(self, scope: Scope, found: Sequence[Found]) -> list[Found]:
        """Highlights and documents carrying a tag whose name matches the query words: only
        as many as could still make the results, and only from tags that score high enough."""
        words = sorted({w for _, name, _ in self.tags for w in TOKEN.findall(fold(name))})
        parsed = self.parsed
        matcher = Matcher(
            expand_over(words, parsed), parsed.phrases, parsed.excluded, parsed.open_phrase
        )
        matched = []
        for tag_id, name, _ in self.tags:
            match = matcher.match(name)
            if match is not None:
                matched.append((match.score(matcher.group_count, "tag"), tag_id, name, match))
        matched.sort(key=lambda m: -m[0])
        cap = self.limit if self.kinds == {"tag"} else max(5, self.limit // TAG_SHARE)
        bar = found[self.limit - 1].score if len(found) >= self.limit else -1.0
        items: list[Found] = []
        for score, tag_id, name, match in matched:
            if score < bar or len(items) >= cap:  # a tag ties with what it would follow
                break
            items += self.carrying(tag_id, name, match, score, scope, cap - len(items))
        return items

    def carrying(
        self,
        tag_id: int,
        name: str,
        match: TextMatch | None,
        score: float,
        scope: Scope,
        wanted: int,
    ) -> list[Found]:
        """Up to `wanted` highlights (the newest made first: the tag's own index gives that
        order, where sorting by the time of the last edit read every carrier, 150 ms for a tag
        on 80,000 highlights) then documents carrying tag `tag_id`."""
        read = wanted * FILTERED_READ if scope.filtered else wanted
        rows = self.conn.execute(
            'SELECT a.id, a.document_id, a.start, a."end", a.quote FROM annotation_tags x '
            "JOIN annotations a ON a.id = x.annotation_id WHERE x.tag_id = ? "
            "ORDER BY x.annotation_id DESC LIMIT ?",
            (tag_id, read),
        ).fetchall()
        rows = [r for r in rows if scope.allows_document(r[1])]
        if scope.by_tags:
            tags = self.carriers(scope).of_annotations([r[0] for r in rows])
            rows = [r for r, t in zip(rows, tags, strict=True) if scope.allows_tags(t)]
        found = [
            Found("tag", doc_id, score, name, match, start, end, ann_id, quote)
            for ann_id, doc_id, start, end, quote in rows[:wanted]
        ]
        if len(found) < wanted:
            docs = [
                r[0]
                for r in self.conn.execute(
                    "SELECT document_id FROM document_tags WHERE tag_id = ? "
                    "ORDER BY document_id LIMIT ?",
                    (tag_id, read),
                )
                if scope.allows_document(r[0])
            ]
            docs = [
                d for d, ok in zip(docs, self.documents_allowed(scope, docs), strict=True) if ok
            ]
            found += [Found("tag", d, score, name, match, 0, 0) for d in docs]
        return found[:wanted]

    def listing(self, scope: Scope) -> list[Found]:
        """A query of filters only lists what they let through: with `tag:`, what carries the
        tags (or, with kind:quote/note/title, those kinds); with `doc:` alone, the documents."""
        kinds = self.kinds
        if not self.chosen_kinds:
            kinds = {"tag"} if scope.tag_filters else {"title"}
        found: list[Found] = []
        if "tag" in kinds and scope.tag_filters:
            wanted = set().union(*scope.tag_filters)
            for tag_id, name, _ in self.tags:
                if tag_id in wanted and len(found) < self.limit:
                    found += self.carrying(tag_id, name, None, 1.0, scope, self.limit - len(found))
        if kinds & {"quote", "note"}:
            found += self.listed_highlights(kinds, scope)
        if "title" in kinds:
            found += self.listed_documents(scope)
        return sorted(found, key=rank)

    def listed_highlights(self, kinds: set[str], scope: Scope) -> list[Found]:
        where = ""
        if scope.documents is not None:
            where = f"WHERE document_id IN ({sql_ids(scope.documents)})"
        rows = self.conn.execute(
            f'SELECT id, document_id, start, "end", quote, note FROM annotations {where} '
            "ORDER BY document_id, start LIMIT ?",
            (MAX_FILTERED_READ,),
        ).fetchall()
        if scope.by_tags:
            tags = self.carriers(scope).of_annotations([r[0] for r in rows])
            rows = [r for r, t in zip(rows, tags, strict=True) if scope.allows_tags(t)]
        found = []
        for ann_id, doc_id, start, end, quote, note in rows[: self.limit]:
            if "quote" in kinds:
                found.append(Found("quote", doc_id, 1.0, quote, None, start, end, ann_id))
            if "note" in kinds and note.strip():
                found.append(Found("note", doc_id, 1.0, note, None, start, end, ann_id))
        return found

    def listed_documents(self, scope: Scope) -> list[Found]:
        where = "" if scope.documents is None else f"AND id IN ({sql_ids(scope.documents)}) "
        rows = self.conn.execute(
            f"SELECT id FROM documents WHERE status = 'ok' {where}ORDER BY path LIMIT ?",
            (MAX_FILTERED_READ,),
        ).fetchall()
        ids = [r[0] for r in rows]
        ids = [d for d, ok in zip(ids, self.documents_allowed(scope, ids), strict=True) if ok]
        return [Found("title", d, 1.0, "", None, 0, 0) for d in ids[: self.limit]]


def search(
    conn: sqlite3.Connection, query: str, limit: int = 50, kind: str | None = None
) -> list[SearchResult]:
    """Results for `query` (see reader.search.query for the language), best first.

    `kind` keeps one kind of result (as `kind:` in the query does). Never raises for any
    query text; an unknown `kind` argument is a UsageError.
    """
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}': choose from {', '.join(KINDS)}")
    parsed = parse_query(query)
    kinds = None if parsed.kinds is None else set(parsed.kinds)
    if kind is not None:
        kinds = {kind} & (kinds if kinds is not None else {kind})
    limit = max(0, min(int(limit), MAX_LIMIT))
    if parsed.is_empty or not limit or kinds == set():
        return []
    return Search(conn, parsed, limit, kinds).run()


def open_search_connection(database: Path) -> sqlite3.Connection:
    """A connection that only reads, for searching from another thread (a TUI worker) while the
    app's own connection writes: WAL lets readers and one writer work at once. A search running
    on it can be stopped from another thread with `connection.interrupt()`."""
    conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False, timeout=15.0)
    conn.execute("PRAGMA query_only = ON")
    return conn
