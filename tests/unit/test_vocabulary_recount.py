"""The vocabulary recount (after a large sync): every term of the paragraphs and notes with its
summed count, whether notes are indexed or not, and the folded-word index kept as defined."""

from __future__ import annotations

import sqlite3
from collections import Counter

from reader.search import rebuild_search_index
from reader.search.typos import SUFFIX_MIN_CHARS
from reader.workspace import Workspace

ARMS = "001_4310720f2bcf0b55"


def _counted_by_hand(conn: sqlite3.Connection) -> Counter[str]:
    """Each term's rows in the three indexes, read one index at a time and summed here."""
    counts: Counter[str] = Counter()
    for table in ("search_text", "search_notes", "search_document_notes"):
        conn.execute(f"CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, {table}, 'row')")
        counts.update(dict(conn.execute("SELECT term, doc FROM temp.v")))
        conn.execute("DROP TABLE temp.v")
    return counts


def _recounted(workspace: Workspace) -> tuple[dict[str, int], list[str], list[tuple]]:
    with workspace.store.write() as db:
        rebuild_search_index(db)
    conn = workspace.store.conn
    terms = dict(conn.execute("SELECT term, df FROM search_terms"))
    suffixes = [row[0] for row in conn.execute("SELECT reversed FROM search_suffixes")]
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'search_terms' ORDER BY name"
    ).fetchall()
    return terms, suffixes, indexes


def test_without_notes_every_paragraph_term_is_counted(workspace: Workspace) -> None:
    conn = workspace.store.conn
    indexes_before = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'search_terms' ORDER BY name"
    ).fetchall()
    terms, suffixes, indexes = _recounted(workspace)
    assert terms == dict(_counted_by_hand(conn)) and terms
    assert sorted(suffixes) == sorted(t[::-1] for t in terms if len(t) >= SUFFIX_MIN_CHARS)
    assert indexes == indexes_before
    assert any(name == "search_terms_by_ascii_key" for name, _ in indexes)


def test_notes_and_document_notes_are_summed_with_the_paragraphs(workspace: Workspace) -> None:
    paragraphs_only, _, _ = _recounted(workspace)
    document = workspace.document(ARMS)
    workspace.annotate_quote(document, "practically impossible", note="Đoković impossible zemun")
    workspace.set_document_annotation(document, [], "impossible Łukasz")
    terms, _, _ = _recounted(workspace)
    assert terms == dict(_counted_by_hand(workspace.store.conn))
    assert terms["impossible"] == paragraphs_only["impossible"] + 2
    assert terms["zemun"] >= 1 and terms["łukasz"] == 1
    # The folded-word index made again is used: the name typed without its letters is found.
    assert any(r.doc == document.path for r in workspace.search("djokovic"))
