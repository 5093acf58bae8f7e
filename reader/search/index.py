"""Build and update the search index tables that migration v3 creates.

Paragraphs and document metadata are indexed from Python: FTS5 cannot split a text into
paragraphs. Sync queues each document whose text it stores (`index_document`) and indexes the
queue at the end of its transaction (`settle_search_index`), handing over those texts and their
paragraphs (split where each file was parsed), so that none is read back or split again.
Everything else is kept current by SQLite triggers in the same transaction as the change: a
document's old paragraphs leave the index when its text changes or goes (trigger on
document_texts), and highlights, highlight notes and document notes are indexed as they are
written (triggers on annotations and document_notes), whoever writes them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from reader.search.text import passage_spans
from reader.search.typos import SUFFIX_MIN_CHARS
from reader.text.paragraphs import unpack_spans

SEARCH_TABLES = (
    "search_passages",
    "search_text",
    "search_titles",
    "search_quotes",
    "search_notes",
    "search_document_notes",
    "search_terms",
    "search_suffixes",
    "search_pending",
    "search_scratch",
)
RECOUNT_DOCUMENTS = 500  # past this many queued documents (or a tenth), recount all words
# document id -> (text, its paragraphs packed by `pack_spans`, or None) of documents whose text
# the caller stored in this very transaction: the sync hands them over rather than have them
# read back from the store.
StoredTexts = dict[int, tuple[str, bytes | None]]


def _connection(db: Any) -> sqlite3.Connection:
    """The sqlite3 connection behind a `sqlite_utils.Database` (or the connection itself)."""
    return getattr(db, "conn", db)


def metadata_line(
    title: str | None,
    author: str | None,
    date: str | None,
    source: str | None,
    site: str | None = None,
) -> str:
    """What a document's `title` result is matched against: its metadata on one line."""
    return " · ".join(value for value in (title, author, site, date, source) if value)


class _Passages:
    """Rows for search_passages and search_text, gathered for one `executemany` each.

    SQLite's substr() stops at a NUL character, so for the rare text holding one the indexed
    body (NUL turned into a space) is stored, and the delete trigger uses it instead; other
    passages store no body (it is the text's substring).
    """

    def __init__(self, next_id: int) -> None:
        self.next_id = next_id
        self.rows: list[tuple[int, int, int, int, str | None]] = []  # search_passages
        self.bodies: list[tuple[int, str]] = []  # search_text: rowid, indexed body

    def __len__(self) -> int:
        return len(self.rows)

    def add(
        self, document_id: int, text: str, spans: Iterable[tuple[int, int]] | None = None
    ) -> list[tuple[int, str]]:
        """Each paragraph of `text` (`spans`: its `passage_spans`, when the caller has them);
        returns their (rowid, indexed body)."""
        spans = passage_spans(text) if spans is None else list(spans)
        ids = range(self.next_id, self.next_id + len(spans))
        self.next_id += len(spans)
        if "\x00" in text:
            bodies = [
                (i, text[start:end].replace("\x00", " "))
                for i, (start, end) in zip(ids, spans, strict=True)
            ]
            self.rows += [
                (i, document_id, start, end, body)
                for (i, body), (start, end) in zip(bodies, spans, strict=True)
            ]
        else:
            bodies = [(i, text[start:end]) for i, (start, end) in zip(ids, spans, strict=True)]
            self.rows += [
                (i, document_id, start, end, None)
                for i, (start, end) in zip(ids, spans, strict=True)
            ]
        self.bodies += bodies
        return bodies

    def insert(self, conn: sqlite3.Connection) -> None:
        """Write the rows gathered, and start gathering anew."""
        conn.executemany(
            'INSERT INTO search_passages (id, document_id, start, "end", body) '
            "VALUES (?, ?, ?, ?, ?)",
            self.rows,
        )
        conn.executemany("INSERT INTO search_text (rowid, body) VALUES (?, ?)", self.bodies)
        self.rows, self.bodies = [], []


def _next_passage_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM search_passages").fetchone()[0])


def index_document(db: Any, document_id: int) -> None:
    """Queue a document whose text sync has just stored (or removed) for `settle_search_index`.

    Indexing waits for the end of the sync: FTS5 writes out what it holds before every
    statement on another table, so indexing document by document between sync's own writes
    would leave thousands of tiny index segments to merge (3x slower on a first import).
    """
    _connection(db).execute("INSERT OR IGNORE INTO search_pending VALUES (?)", (document_id,))


VOCABULARY_STALE = "search.vocabulary_stale"
"""ui_state row a bulk sync sets in its first batch and clears once it has recounted the
vocabulary: a bulk sync stopped half-way leaves it, and the next sync recounts."""


def vocabulary_pending(conn: sqlite3.Connection) -> bool:
    """Whether a large sync is yet to count the words it stored (running, or stopped half-way
    until the next sync): until then a misspelt word does not find them."""
    return bool(
        conn.execute("SELECT 1 FROM ui_state WHERE name = ?", (VOCABULARY_STALE,)).fetchone()
    )


def settle_search_index(
    db: Any, incremental: bool = False, bulk: bool = False, stored: StoredTexts | None = None
) -> None:
    """Index the queued documents: their paragraphs (unless their text is unchanged), their
    metadata line, and their words in the vocabulary. Sync calls it in each batch's transaction
    with `incremental`: words are then always counted batch by batch, as recounting the whole
    vocabulary per batch would cost more with every batch of a large first sync.

    `stored` holds the texts the caller wrote in this transaction (read from the store if not).
    A few documents have their words counted one by one (words of paragraphs that left the
    index are not subtracted: those counts run high until the next recount); after a large
    import the whole vocabulary is recounted from the index, which is compacted first.
    """
    conn = _connection(db)
    queued = [row[0] for row in conn.execute("SELECT document_id FROM search_pending")]
    if not queued:
        return
    if bulk:
        # A large sync: paragraphs are indexed now (found by exact words as they arrive), words
        # are counted once at its end (finish_bulk_index), not merged batch by batch into a
        # vocabulary that grows with every batch (3 of 5 s per 3,000 files).
        conn.execute(
            "INSERT INTO ui_state (name, value, updated) VALUES (?, '1', datetime('now')) "
            "ON CONFLICT (name) DO NOTHING",
            (VOCABULARY_STALE,),
        )
        with _large_segments(conn):
            _index_documents(conn, queued, count_words=False, stored=stored)
        conn.execute("DELETE FROM search_pending")
        return
    recount = not incremental and len(queued) > min(
        RECOUNT_DOCUMENTS,
        max(int(conn.execute("SELECT count(*) FROM document_texts").fetchone()[0]) // 10, 10),
    )
    if recount:
        with _bulk_loading(conn):
            _index_documents(conn, queued, count_words=False, stored=stored)
        _rebuild_vocabulary(conn)
        conn.execute("DELETE FROM search_pending")
        return
    bodies = _index_documents(conn, queued, count_words=True, stored=stored)
    # FTS5 tokenizes the new paragraphs once more, in the scratch table, so that the vocabulary
    # holds exactly its terms (Python's idea of a letter differs for a few scripts).
    conn.executemany("INSERT INTO search_scratch (rowid, body) VALUES (?, ?)", enumerate(bodies))
    counts = conn.execute("SELECT term, doc FROM search_scratch_terms").fetchall()
    conn.execute("INSERT INTO search_scratch (search_scratch) VALUES ('delete-all')")
    conn.executemany(
        "INSERT INTO search_terms (term, df) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        counts,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO search_suffixes (reversed) VALUES (?)",
        [(term[::-1],) for term, _ in counts if len(term) >= SUFFIX_MIN_CHARS],
    )
    conn.execute("DELETE FROM search_pending")


def _index_documents(
    conn: sqlite3.Connection,
    document_ids: list[int],
    count_words: bool,
    stored: StoredTexts | None = None,
) -> list[str]:
    """Index the paragraphs (where not indexed yet) and metadata of `document_ids`, in batches;
    with `count_words`, return the new paragraphs, to count their words. The texts in `stored`
    are not read again: only their documents' metadata is."""
    stored = stored or {}
    new_bodies: list[str] = []
    passages = _Passages(_next_passage_id(conn))
    titles = []
    # A migration from before documents had a site (v5) indexes with this code too.
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    site_column = "d.site" if "site" in columns else "NULL"
    for i in range(0, len(document_ids), 200):
        chunk = document_ids[i : i + 200]
        for document_id, title, author, date, source, site, text, indexed in _documents(
            conn, chunk, stored, site_column
        ):
            titles.append((document_id, metadata_line(title, author, date, source, site)))
            if indexed:
                continue
            packed = stored[document_id][1] if document_id in stored else None
            spans = None if packed is None else unpack_spans(packed)
            added = passages.add(document_id, text, spans)
            if count_words:
                new_bodies += [body for _, body in added]
        if len(passages) > 20_000:
            passages.insert(conn)
    passages.insert(conn)
    conn.executemany("DELETE FROM search_titles WHERE rowid = ?", [(d,) for d in document_ids])
    conn.executemany("INSERT INTO search_titles (rowid, body) VALUES (?, ?)", titles)
    return new_bodies


def _documents(
    conn: sqlite3.Connection, ids: list[int], stored: StoredTexts, site: str
) -> list[tuple]:
    """(id, title, author, date, source, site, text, indexed already) of each of `ids` that
    has a text, in id order; a text in `stored` is taken from there, not read."""
    indexed = "EXISTS (SELECT 1 FROM search_passages p WHERE p.document_id = d.id)"
    handed = [i for i in ids if i in stored]
    others = [i for i in ids if i not in stored]
    rows = []
    if handed:
        rows += [
            (*row[:6], stored[row[0]][0], row[6])
            for row in conn.execute(
                f"SELECT d.id, d.title, d.author, d.date, d.source, {site}, {indexed} "
                f"FROM documents d WHERE d.id IN ({', '.join('?' for _ in handed)})",
                handed,
            )
        ]
    if others:
        rows += conn.execute(
            f"SELECT d.id, d.title, d.author, d.date, d.source, {site}, t.text, {indexed} "
            "FROM documents d JOIN document_texts t ON t.document_id = d.id "
            f"WHERE d.id IN ({', '.join('?' for _ in others)})",
            others,
        ).fetchall()
    if handed and others:
        rows.sort(key=lambda row: row[0])
    return rows


def finish_bulk_index(db: Any) -> None:
    """Count the vocabulary once if a bulk sync (this one, or one stopped half-way) left it
    stale; the last batch of every sync calls it."""
    conn = _connection(db)
    stale = conn.execute("SELECT 1 FROM ui_state WHERE name = ?", (VOCABULARY_STALE,)).fetchone()
    if stale:
        _rebuild_vocabulary(conn)
        conn.execute("DELETE FROM ui_state WHERE name = ?", (VOCABULARY_STALE,))


@contextlib.contextmanager
def _large_segments(conn: sqlite3.Connection) -> Iterator[None]:
    """FTS5 holds 16 MB of a batch's paragraphs before writing a segment (not 1 MB), merging
    them as usual (a whole-index 'optimize' per batch would cost more with every batch)."""
    conn.execute("INSERT INTO search_text (search_text, rank) VALUES ('hashsize', ?)", (2**24,))
    try:
        yield
    finally:
        conn.execute("INSERT INTO search_text (search_text, rank) VALUES ('hashsize', ?)", (2**20,))


@contextlib.contextmanager
def _bulk_loading(conn: sqlite3.Connection) -> Iterator[None]:
    """Load many paragraphs fast: FTS5 holds 16 MB before writing a segment (not 1 MB) and
    merges nothing until the end, when it compacts the index into one segment."""

    def configure(key: str, value: int) -> None:
        conn.execute("INSERT INTO search_text (search_text, rank) VALUES (?, ?)", (key, value))

    configure("automerge", 0)
    configure("hashsize", 16 * 1024 * 1024)
    try:
        yield
    finally:
        configure("automerge", 4)  # FTS5's defaults
        configure("hashsize", 1024 * 1024)
    conn.execute("INSERT INTO search_text (search_text) VALUES ('optimize')")


def rebuild_search_index(db: Any) -> None:
    """Index every stored document, highlight and note from scratch (migration v3 calls this).

    It indexes with the current code into the tables migration v3 created; a later migration
    that changes those tables must make v3 stop calling it. Call inside a write transaction.
    """
    conn = _connection(db)
    conn.execute("DELETE FROM search_passages")
    conn.execute("DELETE FROM search_titles")
    conn.execute("DELETE FROM search_pending")
    for table in ("search_text", "search_quotes", "search_notes", "search_document_notes"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    documents = [row[0] for row in conn.execute("SELECT document_id FROM document_texts")]
    with _bulk_loading(conn):
        _index_documents(conn, sorted(documents), count_words=False)
    for table in ("search_quotes", "search_notes", "search_document_notes"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
    _rebuild_vocabulary(conn)


def _rebuild_vocabulary(conn: sqlite3.Connection) -> None:
    """Vocabulary with exact document frequencies, read once from the FTS5 indexes and summed
    by SQLite itself (a Python dict of every word, and its sorted copies, cost ~45 MB at
    100,000 articles, at the end of a first sync that holds a row per file besides)."""
    tables = ("search_text", "search_notes", "search_document_notes")
    for n, table in enumerate(tables):
        conn.execute(
            f"CREATE VIRTUAL TABLE temp.search_vocabulary_{n} USING fts5vocab(main, {table}, 'row')"
        )
    try:
        conn.execute("DELETE FROM search_terms")
        conn.execute("DELETE FROM search_suffixes")
        # Only the indexes that hold words are summed: with no note indexed (a first sync),
        # the paragraphs' vocabulary comes in term order already, one row a term.
        used = [
            n
            for n in range(len(tables))
            if n == 0 or conn.execute(f"SELECT 1 FROM temp.search_vocabulary_{n}").fetchone()
        ]
        every = " UNION ALL ".join(
            f"SELECT term, doc FROM temp.search_vocabulary_{n}" for n in used
        )
        grouped = f"SELECT term, sum(doc) FROM ({every}) GROUP BY term ORDER BY term"
        with _indexes_set_aside(conn, "search_terms"):
            conn.execute(
                "INSERT INTO search_terms (term, df) "
                + (grouped if len(used) > 1 else "SELECT term, doc FROM temp.search_vocabulary_0")
            )
    finally:
        for n in range(len(tables)):
            conn.execute(f"DROP TABLE temp.search_vocabulary_{n}")
    conn.create_function("reader_reversed", 1, _reversed, deterministic=True)
    conn.execute(
        "INSERT INTO search_suffixes (reversed) "
        "SELECT reader_reversed(term) AS r FROM search_terms WHERE length(term) >= ? ORDER BY r",
        (SUFFIX_MIN_CHARS,),
    )


def _reversed(term: str) -> str:
    return term[::-1]


@contextlib.contextmanager
def _indexes_set_aside(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Drop `table`'s own indexes while it is filled, and make them again from their stored
    definitions: built once over the sorted rows rather than kept row by row (the folded-word
    index of 150,000 terms: ~150 ms less), with whatever definition the schema gives them."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _, sql in indexes:
            conn.execute(sql)


@dataclass(frozen=True)
class SearchIndexStats:
    """How big the index is: rows per kind, vocabulary size and bytes on disk (when known)."""

    passages: int
    titles: int
    annotations: int
    document_notes: int
    terms: int
    index_bytes: int | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def search_index_stats(db: Any) -> SearchIndexStats:
    conn = _connection(db)

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    names = [f"{table}%" for table in SEARCH_TABLES]
    where = " OR ".join("name LIKE ?" for _ in names)
    try:
        index_bytes: int | None = int(
            conn.execute(
                f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE {where}", names
            ).fetchone()[0]
        )
    except sqlite3.OperationalError:  # SQLite built without the dbstat table
        index_bytes = None
    return SearchIndexStats(
        passages=count("SELECT count(*) FROM search_passages"),
        titles=count("SELECT count(*) FROM search_titles"),
        annotations=count("SELECT count(*) FROM annotations"),
        document_notes=count("SELECT count(*) FROM document_notes"),
        terms=count("SELECT count(*) FROM search_terms"),
        index_bytes=index_bytes,
    )
