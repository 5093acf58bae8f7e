"""The vocabulary spelt backwards (`search_suffixes`) holds exactly the terms a look-up by
suffix can read (SUFFIX_MIN_CHARS or more), however they came: a sync, a recount, a note, a
document note, a bulk import, a store migrated from before v14; two-edit typos are still found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.search import rebuild_search_index
from reader.search.bulk_notes import notes_indexed_at_the_end
from reader.search.typos import SUFFIX_MIN_CHARS, TWO_EDITS_FROM, allowed_edits
from reader.search.vocabulary import near_terms, osa_distance
from reader.store.migrations import LATEST_VERSION, migrate
from reader.workspace import DATABASE_FILE, Workspace

TEXT = "Title\n\nThe parliamentarians met at dawn in a long hall by the sea.\n"
WORD = "parliamentarians"  # 16 letters: two edits allowed, its first third "parli"
TYPO = "baeliamentarians"  # two edits, both in the first third: found only by its suffix


def terms_and_suffixes(conn: sqlite3.Connection) -> tuple[set[str], set[str]]:
    terms = {row[0] for row in conn.execute("SELECT term FROM search_terms")}
    suffixes = {row[0][::-1] for row in conn.execute("SELECT reversed FROM search_suffixes")}
    return terms, suffixes


def assert_long_terms_only(conn: sqlite3.Connection) -> None:
    terms, suffixes = terms_and_suffixes(conn)
    assert any(len(term) < SUFFIX_MIN_CHARS for term in terms)  # short words were there
    assert suffixes == {term for term in terms if len(term) >= SUFFIX_MIN_CHARS}


def test_the_limit_is_what_a_two_edit_look_up_reads() -> None:
    assert allowed_edits("x" * TWO_EDITS_FROM) == 2 > allowed_edits("x" * (TWO_EDITS_FROM - 1))
    assert SUFFIX_MIN_CHARS == TWO_EDITS_FROM - 2 == 7


def test_a_sync_notes_and_a_recount_keep_only_long_terms(empty_root: Path) -> None:
    (empty_root / "corpus" / "a.txt").write_text(TEXT, "utf-8")
    with Workspace.open(empty_root) as ws:
        assert_long_terms_only(ws.store.conn)
        document = ws.document(ws.documents()[0].id)
        ws.annotate_quote(document, "long hall", note="odd phrasing, a marginalia")
        ws.set_document_annotation(document, [], "see the commentaries too")
        assert_long_terms_only(ws.store.conn)
        assert {"marginalia", "commentaries"} <= terms_and_suffixes(ws.store.conn)[1]
        with ws.store.write() as db:
            rebuild_search_index(db)
        assert_long_terms_only(ws.store.conn)


def test_notes_indexed_together_keep_only_long_terms(empty_root: Path) -> None:
    (empty_root / "corpus" / "a.txt").write_text(TEXT, "utf-8")
    with Workspace.open(empty_root) as ws:
        document = ws.document(ws.documents()[0].id)
        with ws.store.write() as db, notes_indexed_at_the_end(db.conn):
            ws.annotate_quote(document, "long hall", note="an old and wonderful hall")
        assert "wonderful" in terms_and_suffixes(ws.store.conn)[1]
        assert_long_terms_only(ws.store.conn)


@pytest.mark.parametrize("recounted", [False, True])
def test_a_two_edit_typo_in_the_first_third_is_still_found(
    empty_root: Path, recounted: bool
) -> None:
    assert osa_distance(TYPO, WORD, 2) == 2 and TYPO[: len(TYPO) // 3] != WORD[: len(WORD) // 3]
    (empty_root / "corpus" / "a.txt").write_text(TEXT, "utf-8")
    with Workspace.open(empty_root) as ws:
        if recounted:
            with ws.store.write() as db:
                rebuild_search_index(db)
        assert near_terms(ws.store.conn, TYPO) == {WORD: 2}
        assert [r.kind for r in ws.search(TYPO)] == ["text"]


def test_a_store_from_before_v14_stops_spelling_short_terms_backwards(empty_root: Path) -> None:
    database = empty_root / DATABASE_FILE
    conn = sqlite3.connect(database, isolation_level=None)
    migrate(conn, target=LATEST_VERSION - 1)
    conn.execute("INSERT INTO search_suffixes VALUES ('eht')")  # written before v14
    conn.close()
    (empty_root / "corpus" / "a.txt").write_text(TEXT, "utf-8")
    with Workspace.open(empty_root) as ws:  # migrated, then synced
        document = ws.document(ws.documents()[0].id)
        ws.annotate_quote(document, "long hall", note="odd phrasing, a marginalia")
        ws.set_document_annotation(document, [], "see the commentaries too")
        assert_long_terms_only(ws.store.conn)
