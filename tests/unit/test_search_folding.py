"""Letters without a Unicode decomposition are found however they are typed (both ways), their
matches still point at the right characters, and a reader's annotations rank above body text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.search.folding import (
    FOLDED_LETTERS,
    SQL_HAS_FOLDED_LETTER,
    folded_terms,
    sql_ascii_key,
)
from reader.workspace import DATABASE_FILE, Workspace

# (as the text spells it, as it is usually typed in ASCII)
PAIRS = [
    ("Đoković", "Djokovic"),
    ("Đoković", "Dokovic"),
    ("Łukasz", "Lukasz"),
    ("Straße", "Strasse"),
    ("Ørsted", "Orsted"),
    ("Ørsted", "Oersted"),
    ("Ærø", "Aeroe"),
    ("Ærø", "Aero"),
    ("Þorn", "Thorn"),
    ("Ðuro", "Duro"),
    ("Œuvre", "Oeuvre"),
    ("Ħamrun", "Hamrun"),
]


def write(root: Path, name: str, text: str) -> None:
    (root / "corpus" / name).write_text(text, "utf-8")


def matched_words(ws: Workspace, query: str) -> set[str]:
    """What each text result's span covers in its document."""
    found = set()
    for result in ws.search(query, limit=100):
        if result.kind == "text":
            found.add(ws.text(ws.document(result.document_id))[result.start : result.end])
    return found


@pytest.fixture
def native(empty_root: Path) -> Workspace:
    """Each native spelling in one document, each ASCII spelling in another."""
    natives = sorted({n for n, _ in PAIRS})
    asciis = sorted({a for _, a in PAIRS})
    write(empty_root, "native.txt", "Native\n\n" + "\n\n".join(f"Met {n} today." for n in natives))
    write(empty_root, "ascii.txt", "Ascii\n\n" + "\n\n".join(f"Saw {a} there." for a in asciis))
    with Workspace.open(empty_root) as ws:
        yield ws


@pytest.mark.parametrize(("spelt", "typed"), PAIRS)
def test_the_ascii_spelling_finds_the_native_one(native: Workspace, spelt: str, typed: str) -> None:
    assert spelt in matched_words(native, typed)
    assert spelt in matched_words(native, typed.upper())


@pytest.mark.parametrize(("spelt", "typed"), PAIRS)
def test_the_native_spelling_finds_the_ascii_one(native: Workspace, spelt: str, typed: str) -> None:
    found = matched_words(native, spelt)
    assert spelt in found
    if typed not in ("Dokovic", "Aero"):  # "D" and "O" are the spellings "Dj" and "Oe" skip
        assert typed in found
    assert spelt in matched_words(native, spelt.lower())


def test_a_phrase_and_an_exclusion_match_the_other_spelling(native: Workspace) -> None:
    assert matched_words(native, '"met djokovic"') == {"Met Đoković"}
    assert matched_words(native, '"saw đoković"') == {"Saw Djokovic", "Saw Dokovic"}
    assert matched_words(native, '"met strasse today"') == {"Met Straße today"}
    kept = [r.snippet_text for r in native.search("met -djokovic", limit=100) if r.kind == "text"]
    assert len(kept) == len({n for n, _ in PAIRS}) - 1
    assert not [snippet for snippet in kept if "Đoković" in snippet]


def test_every_letter_of_the_table_is_found_by_its_ascii_spelling(empty_root: Path) -> None:
    words = {f"x{letter}y": f"x{ascii}y" for letter, ascii in FOLDED_LETTERS.items()}
    write(empty_root, "letters.txt", "\n\n".join(words))
    with Workspace.open(empty_root) as ws:
        for spelt, typed in words.items():
            found = matched_words(ws, typed)
            assert spelt in found  # with "xðy" for "xdy", "xøy" for "xoey": spelt alike
            assert found <= set(words), found


def test_every_letter_of_the_table_finds_its_ascii_spelling(empty_root: Path) -> None:
    """The other direction: typed with the letter (capital or small), the ASCII spelling in the
    text is found."""
    words = {f"x{letter}y": f"x{ascii}y" for letter, ascii in FOLDED_LETTERS.items()}
    write(empty_root, "letters.txt", "\n\n".join(words.values()))
    with Workspace.open(empty_root) as ws:
        for spelt, typed in words.items():
            assert typed in matched_words(ws, spelt), spelt
            capital = spelt.upper()
            if capital.lower() == spelt:  # ß and ĸ have no single capital
                assert typed in matched_words(ws, capital), capital


def test_plain_ascii_words_are_not_confused() -> None:
    from reader.search.folding import same_word_folded, spellings

    assert spellings("sanctions") == set()
    assert not same_word_folded("dokovic", "djokovic")  # both ASCII: left to typo matching
    assert not same_word_folded("energy", "energy")


def test_highlights_land_on_the_original_characters(empty_root: Path) -> None:
    """ß and Đ are one character spelt as two: offsets and snippet marks must not shift."""
    text = "Straße und Straße, dann Đoković: Đoković gewinnt. Ende der Straße."
    write(empty_root, "offsets.txt", "Title\n\n" + text + "\n")
    with Workspace.open(empty_root) as ws:
        doc_text = ws.text(ws.document(ws.documents()[0].id))
        for query, word in (("strasse", "Straße"), ("djokovic", "Đoković")):
            results = [r for r in ws.search(query) if r.kind == "text"]
            assert results
            for result in results:
                assert doc_text[result.start : result.end] == word
                marked = [piece for piece, is_match in result.snippet if is_match]
                assert marked and set(marked) == {word}
            assert "".join(p for p, _ in results[0].snippet) in text


def test_a_tag_note_and_quote_match_the_folded_spelling(empty_root: Path) -> None:
    write(empty_root, "a.txt", "Title\n\nThe match was won by Novak in Paris.\n")
    with Workspace.open(empty_root) as ws:
        doc = ws.documents()[0]
        ws.annotate_quote(ws.document(doc.id), "Novak", tags=["people/đoković"], note="Łukasz said")
        assert {r.kind for r in ws.search("djokovic")} == {"tag"}
        assert {r.kind for r in ws.search("lukasz")} == {"note"}
        assert {r.kind for r in ws.search("Nôvak")} >= {"quote", "text"}


def test_the_vocabulary_is_looked_up_by_its_ascii_key_with_an_index(native: Workspace) -> None:
    conn: sqlite3.Connection = native.store.conn
    plan = conn.execute(
        f"EXPLAIN QUERY PLAN SELECT term FROM search_terms WHERE {sql_ascii_key('term')} = ? "
        f"AND {SQL_HAS_FOLDED_LETTER}",
        ("dokovic",),
    ).fetchall()
    assert "search_terms_by_ascii_key" in " ".join(str(row) for row in plan)


# Annotations first


@pytest.fixture
def energy(empty_root: Path) -> Workspace:
    paragraphs = [f"Energy report number {n} was published." for n in range(8)]
    write(empty_root, "a.txt", "Report\n\n" + "\n\n".join(paragraphs) + "\n\nOil fields.\n")
    with Workspace.open(empty_root) as ws:
        yield ws


def test_a_tag_ranks_above_body_text_of_equal_quality(energy: Workspace) -> None:
    doc = energy.document(energy.documents()[0].id)
    energy.annotate_quote(doc, "Oil fields", tags=["energy/oil"])
    results = energy.search("energy")
    assert results[0].kind == "tag"
    assert {r.kind for r in results[1:]} >= {"text"}


def test_a_quote_ranks_above_body_text_of_equal_quality(energy: Workspace) -> None:
    doc = energy.document(energy.documents()[0].id)
    energy.annotate_quote(doc, "Energy report number 5")
    assert energy.search("energy")[0].kind == "quote"


def test_a_note_ranks_above_body_text_of_equal_quality(energy: Workspace) -> None:
    doc = energy.document(energy.documents()[0].id)
    energy.annotate_quote(doc, "Oil fields", note="energy matters")
    assert energy.search("energy")[0].kind == "note"


def test_a_better_match_in_body_text_still_ranks_above_a_weaker_annotation(
    energy: Workspace,
) -> None:
    doc = energy.document(energy.documents()[0].id)
    energy.annotate_quote(doc, "Oil fields", note="energetic")  # a completion, not the word
    results = energy.search("energy report")
    assert results[0].kind == "text"


def test_the_folded_look_up_as_run_uses_the_ascii_key_index(native: Workspace) -> None:
    """The statements `folded_terms` runs carry the index's whole condition (its cheap ASCII
    test and its GLOB), so the planner picks the partial index for each of them."""
    conn: sqlite3.Connection = native.store.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        found = folded_terms(conn, "djokovic")
    finally:
        conn.set_trace_callback(None)
    assert "đokovic" in found
    keyed = [sql for sql in statements if sql.lstrip().startswith("SELECT") and "replace(" in sql]
    assert keyed
    for sql in keyed:
        plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        assert "search_terms_by_ascii_key" in " ".join(str(row) for row in plan), sql


def test_a_store_from_before_v13_gets_the_cheaper_folded_index(empty_root: Path) -> None:
    """v13 makes the ASCII-key index of v10 again with the ASCII test before its GLOB (the
    recount after a large sync makes it again from that definition); names are still found."""
    write(empty_root, "a.txt", "Title\n\nMet Đoković today.\n")
    with Workspace.open(empty_root):
        pass
    conn = sqlite3.connect(empty_root / DATABASE_FILE, isolation_level=None)
    conn.execute("DROP INDEX search_terms_by_ascii_key")
    glob_only = "term GLOB '*[" + "".join(FOLDED_LETTERS) + "]*'"
    conn.execute(  # as v10 made it before v13
        f"CREATE INDEX search_terms_by_ascii_key ON search_terms ({sql_ascii_key('term')}) "
        f"WHERE {glob_only}"
    )
    conn.execute("PRAGMA user_version = 12")
    conn.close()
    with Workspace.open(empty_root) as ws:
        (sql,) = ws.store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_terms_by_ascii_key'"
        ).fetchone()
        assert sql.endswith(f"WHERE {SQL_HAS_FOLDED_LETTER}")
        assert sql.index("CAST(term AS BLOB)") < sql.index("GLOB")
        assert "Đoković" in matched_words(ws, "Djokovic")
