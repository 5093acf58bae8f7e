"""Search through the domain API: forgiving matching, ranking, spans, filters, hostile queries."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from reader.errors import UsageError
from reader.search import SearchResult
from reader.search.engine import open_search_connection, search
from reader.search.snippets import make_snippet
from reader.search.text import TOKEN, fold
from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

ARMS = "001_4310720f2bcf0b55"  # "Russian Ally Withdraws Support, Suspends Arms Contracts"


def matched(workspace: Workspace, result: SearchResult) -> str:
    """The text a result points at: text[start:end] of its document."""
    return workspace.text(workspace.document(result.document_id))[result.start : result.end]


def texts(workspace: Workspace, query: str, **options) -> list[str]:
    return [matched(workspace, r) for r in workspace.search(query, **options) if r.kind == "text"]


def write(root: Path, name: str, text: str) -> None:
    (root / "corpus" / name).write_text(text, "utf-8")


@pytest.fixture
def small(empty_root: Path) -> Workspace:
    """Three tiny documents whose words are chosen to tell rankings apart."""
    write(empty_root, "a.txt", "Sanctions\n\nThe sanctions were imposed on the arms trade.\n")
    write(empty_root, "b.txt", "Sanction\n\nA single sanction, then silence about arms.\n")
    write(empty_root, "c.txt", "Trade\n\nTrade routes were open; nothing else.\n")
    with Workspace.open(empty_root) as ws:
        yield ws


# Forgiving


def test_a_typo_finds_the_word(workspace: Workspace) -> None:
    found = texts(workspace, "sanctoins")
    assert found and all(fold(t) == "sanctions" for t in found[:5])


def test_missing_accents_find_the_accented_name_and_back(workspace: Workspace) -> None:
    plain = texts(workspace, "Vucic", limit=100)
    assert "Vučić" in plain and "Vucic" in plain
    accented = texts(workspace, "Vučić", limit=100)
    assert "Vučić" in accented and "Vucic" in accented


def test_as_typed_accents_rank_above_other_accents(workspace: Workspace) -> None:
    found = texts(workspace, "Vučić", limit=100)
    assert found.index("Vučić") < found.index("Vucic")


def test_word_order_does_not_matter(workspace: Workspace) -> None:
    results = workspace.search("contracts arms", kind="text")
    assert fold(matched(workspace, results[0])) == "arms contracts"


def test_a_partial_word_is_completed(workspace: Workspace) -> None:
    found = texts(workspace, "Mojsil")
    assert found and all(t == "Mojsilović" for t in found)


def test_a_partial_word_not_last_is_completed_too(workspace: Workspace) -> None:
    found = texts(workspace, "Mojsil chief")
    assert found and "Mojsilović" in found[0]


def test_case_does_not_matter(workspace: Workspace) -> None:
    assert texts(workspace, "KREMLIN") == texts(workspace, "kremlin")
    assert texts(workspace, "KREMLIN")


def test_exact_words_rank_above_fuzzy_ones(small: Workspace) -> None:
    results = small.search("sanctions", kind="text")
    words = [fold(matched(small, r)) for r in results]
    assert words[0] == "sanctions" and "sanction" in words
    assert words.index("sanctions") < words.index("sanction")


def test_more_matched_words_rank_above_fewer(small: Workspace) -> None:
    results = small.search("sanctions arms trade", kind="text")
    assert results[0].doc == "a.txt"  # holds all three words
    assert {r.doc for r in results} >= {"a.txt", "b.txt", "c.txt"}
    assert results[0].score > max(r.score for r in results if r.doc != "a.txt")


def test_scores_fall_between_zero_and_one(workspace: Workspace) -> None:
    results = workspace.search("serbia russia arms", limit=200)
    assert results and all(0 < r.score <= 1 for r in results)
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


# Spans and snippets


def test_text_spans_are_the_matched_words(workspace: Workspace) -> None:
    results = workspace.search("practically impossible", kind="text")
    assert matched(workspace, results[0]) == "practically impossible"

    def near(word: str) -> bool:  # serbia, serbian, sanctions, sanctioned, actions…
        return (
            word.startswith(("serbia", "sanction"))
            or min(OSA.distance(word, q) for q in ("serbia", "sanctions")) <= 2
        )

    for result in workspace.search("serbia sanctions", kind="text", limit=50):
        words = TOKEN.findall(fold(matched(workspace, result)))
        assert near(words[0]) and near(words[-1])


def test_snippet_marks_the_matched_words(workspace: Workspace) -> None:
    result = workspace.search("practically impossible", kind="text")[0]
    marked = [text for text, is_match in result.snippet if is_match]
    assert marked == ["practically", "impossible"]
    assert "practically impossible" in result.snippet_text
    assert "\n" not in result.snippet_text and len(result.snippet_text) < 240


def test_snippets_cut_long_text_at_words_and_say_so() -> None:
    text = "word " * 100 + "needle\n\nthread " + "word " * 100
    pieces = make_snippet(text, [(500, 506)], (500, 506))
    shown = "".join(t for t, _ in pieces)
    assert shown.startswith("…word ") and shown.endswith(" word…")
    assert "needle thread" in shown and len(shown) <= 165
    assert [t for t, is_match in pieces if is_match] == ["needle"]
    assert make_snippet("short", [(0, 5)], (0, 5)) == (("short", True),)


def test_quote_results_span_the_highlight(workspace: Workspace) -> None:
    doc = workspace.document(ARMS)
    made = workspace.annotate_quote(doc, "practically impossible", note="army chief")
    [quote] = workspace.search("practically impossible", kind="quote")
    assert (quote.start, quote.end, quote.annotation) == (made.start, made.end, made.id)
    [note] = workspace.search("army chief", kind="note")
    assert (note.start, note.end, note.annotation, note.doc) == (
        made.start,
        made.end,
        made.id,
        doc.path,
    )


def test_title_results_point_at_the_title_words(workspace: Workspace) -> None:
    [title] = workspace.search("suspends arms", kind="title")
    assert title.doc.startswith(ARMS)
    assert matched(workspace, title) == "Suspends Arms"
    assert title.title == "Russian Ally Withdraws Support, Suspends Arms Contracts"


def test_json_has_exactly_the_cli_fields(workspace: Workspace) -> None:
    result = workspace.search("Mojsilović")[0]
    data = result.as_json()
    assert list(data) == ["kind", "doc", "title", "start", "end", "annotation", "snippet", "score"]
    assert isinstance(data["snippet"], str) and "Mojsilović" in data["snippet"]


def test_results_are_limited(workspace: Workspace) -> None:
    assert len(workspace.search("serbia", limit=3)) == 3
    assert workspace.search("serbia", limit=0) == []


# Filters


@pytest.fixture
def tagged(workspace: Workspace) -> Workspace:
    doc = workspace.document(ARMS)
    workspace.annotate_quote(doc, "practically impossible", tags=["actor/russia"], note="arms")
    workspace.annotate_quote(doc, "General Staff", tags=["actor/serbia"], note="army staff")
    workspace.annotate_quote(doc, "close ties", tags=["background"], note="history of ties")
    return workspace


def test_tag_filter_includes_tags_below(tagged: Workspace) -> None:
    quotes = {r.snippet_text for r in tagged.search("tag:actor", kind="quote")}
    assert quotes == {"practically impossible", "General Staff"}
    only = {r.snippet_text for r in tagged.search("tag:actor/russia", kind="quote")}
    assert only == {"practically impossible"}


def test_tag_filter_alone_lists_what_carries_the_tag(tagged: Workspace) -> None:
    results = tagged.search("tag:actor")
    assert {r.kind for r in results} == {"tag"}
    assert {r.annotation for r in results} == {
        a.id for a in tagged.annotations() if a.tags[0].startswith("actor")
    }


def test_tag_filter_being_typed_matches_by_prefix_and_typo(tagged: Workspace) -> None:
    assert tagged.search("tag:backgr")
    assert tagged.search("tag:backgruond")
    assert tagged.search("tag:nosuchtag") == []


def test_tag_filter_with_words_keeps_tagged_text(tagged: Workspace) -> None:
    results = tagged.search("tag:actor staff")
    assert results
    for result in results:
        if result.kind == "text":  # a paragraph touching a highlight tagged actor/…
            spans = [
                (a.start, a.end) for a in tagged.annotations() if a.tags[0].startswith("actor")
            ]
            assert any(s < result.end + 500 for s, _ in spans)
        else:
            assert result.annotation is not None
    notes = tagged.search("tag:actor kind:note staff")
    assert [r.snippet_text for r in notes] == ["army staff"]


def test_excluded_tag(tagged: Workspace) -> None:
    quotes = {r.snippet_text for r in tagged.search("-tag:actor/serbia tag:actor", kind="quote")}
    assert quotes == {"practically impossible"}


def test_kind_filter_in_query_and_argument(tagged: Workspace) -> None:
    assert {r.kind for r in tagged.search("kind:note ties")} == {"note"}
    assert {r.kind for r in tagged.search("ties", kind="quote")} == {"quote"}
    assert {r.kind for r in tagged.search("kind:notes,quotes ties")} == {"note", "quote"}
    assert tagged.search("kind:note ties", kind="text") == []
    with pytest.raises(UsageError):
        tagged.search("ties", kind="poem")


def test_doc_filter(workspace: Workspace) -> None:
    results = workspace.search("doc:001_ serbia")
    assert results and {r.doc for r in results} == {ARMS + ".txt"}
    by_title = workspace.search("doc:withdraws russia")
    assert {r.doc for r in by_title} == {ARMS + ".txt"}
    assert workspace.search("doc:nosuchdocument serbia") == []


def test_doc_filter_alone_lists_the_documents(workspace: Workspace) -> None:
    [result] = workspace.search("doc:suspends")
    assert (result.kind, result.doc, result.start, result.end) == ("title", ARMS + ".txt", 0, 0)


def test_exact_phrase(workspace: Workspace) -> None:
    found = texts(workspace, '"arms contracts"')
    assert found and all(fold(t) == "arms contracts" for t in found)
    assert texts(workspace, '"contracts arms"') == []


def test_phrase_being_typed_completes_its_last_word(workspace: Workspace) -> None:
    found = texts(workspace, '"arms contr')
    assert found and all(fold(t) == "arms contracts" for t in found)


def test_excluded_word(workspace: Workspace) -> None:
    with_russia = workspace.search("kremlin", limit=100)
    without = workspace.search("kremlin -russia", limit=100)
    assert 0 < len(without) < len(with_russia)
    assert all("russia" not in fold(r.snippet_text) for r in without if r.kind == "text")


def test_filters_combine(tagged: Workspace) -> None:
    results = tagged.search(f'tag:actor doc:{ARMS[:4]} kind:quote "General Staff" -impossible')
    assert [r.snippet_text for r in results] == ["General Staff"]


# Hostile queries


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 10_000,
        "serbia " * 2_000,
        "!!! ??? ... ---",
        '"',
        '""',
        '"""',
        "*",
        "sanctions*",
        "NEAR(",
        "NEAR(serbia russia, 2)",
        "AND",
        "serbia AND OR NOT russia",
        '"unbalanced quote',
        'unbalanced quote"',
        "-",
        "-serbia",
        "tag:",
        "doc:",
        "kind:",
        'tag:"',
        "{body}: serbia",
        "body:serbia",
        "^serbia",
        "serbia\x00russia",
        "💥 сербия 塞尔维亚 صربيا",
        "e\u0301e\u0301",
        "a\u19b0b",  # a letter to Python, a separator to FTS5's older Unicode tables
        '"serbia a\u19b0b" -x\u19b0y',
        "'; DROP TABLE documents; --",
    ],
)
def test_hostile_queries_never_crash(workspace: Workspace, query: str) -> None:
    results = workspace.search(query)
    assert isinstance(results, list)
    assert all(isinstance(r, SearchResult) for r in results)
    assert len(workspace.documents()) == 5


def test_hostile_queries_give_sensible_results(workspace: Workspace) -> None:
    assert workspace.search("") == []
    assert workspace.search("!!! ??? ...") == []
    assert workspace.search("-serbia") == []  # nothing to look for, only something to avoid
    assert workspace.search("x" * 10_000) == []
    assert texts(workspace, "NEAR(serbia russia, 2)")  # words, not FTS syntax
    assert any(fold(t) == "and" for t in texts(workspace, "AND"))
    assert texts(workspace, "serbia\x00russia")
    assert fold(texts(workspace, "serbia " * 2_000)[0]) == "serbia"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One workspace for many generated queries (searching never changes it)."""
    root = tmp_path_factory.mktemp("shared")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    with Workspace.open(root) as ws:
        ws.annotate_quote(ws.document(ARMS), "practically impossible", tags=["actor/x"], note="n")
        yield ws


QUERY_PIECES = st.sampled_from(
    ["serbia", "Vučić", "sanctoins", "Mojsil", '"', "-", "tag:", "tag:actor", "doc:", "doc:00",
     "kind:", "kind:note", "*", "NEAR(", "AND", "(", ")", ":", "^", " ", "\x00", "e\u0301"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(QUERY_PIECES | st.text(max_size=8), max_size=8).map("".join))
def test_any_query_gives_spans_inside_the_text(shared: Workspace, query: str) -> None:
    for result in shared.search(query, limit=20):
        text = shared.text(shared.document(result.document_id))
        assert 0 <= result.start <= result.end <= len(text)
        if result.kind == "text":
            assert result.start < result.end
            assert TOKEN.search(text[result.start : result.start + 1])


def test_a_worker_thread_searches_on_its_own_read_only_connection(workspace: Workspace) -> None:
    conn = open_search_connection(workspace.store.path)
    found: list[SearchResult] = []
    worker = threading.Thread(target=lambda: found.extend(search(conn, "Mojsil", 5)))
    worker.start()
    workspace.annotate_quote(workspace.document(ARMS), "practically impossible")  # meanwhile
    worker.join()
    assert [r.as_json() for r in found] == [r.as_json() for r in workspace.search("Mojsil", 5)]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM tags")
    conn.close()
