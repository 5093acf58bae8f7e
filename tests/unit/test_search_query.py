"""The query language (words, phrases, exclusions, filters; parsing never fails) and edits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from reader.search.query import MAX_TERMS, Term, parse_query
from reader.search.vocabulary import osa_distance


def words(query: str) -> list[str]:
    return [t.text for t in parse_query(query).terms]


def test_words_are_folded_as_the_index_folds_them() -> None:
    parsed = parse_query("Vučić SANCTOINS")
    assert parsed.terms == (Term("vucic", "vučić"), Term("sanctoins", "sanctoins"))


def test_the_word_being_typed_is_completed() -> None:
    assert parse_query("arms Mojsil").completing == "mojsil"
    assert parse_query("arms Mojsil ").completing is None
    assert parse_query("Mojsil tag:x").completing is None
    assert parse_query('Mojsil "').completing is None


def test_phrases_exclusions_and_filters() -> None:
    parsed = parse_query(
        'arms "close ties" -russia -"gas deal" tag:actor -tag:background '
        'doc:serbia tag:"two words" kind:note,quote'
    )
    assert words('arms "close ties"') == ["arms"]
    assert parsed.terms == (Term("arms", "arms"),)
    assert parsed.phrases == (("close", "ties"),)
    assert parsed.excluded == (("russia",), ("gas", "deal"))
    assert parsed.tags == ("actor", "two words")
    assert parsed.excluded_tags == ("background",)
    assert parsed.docs == ("serbia",)
    assert parsed.kinds == frozenset({"note", "quote"})


def test_an_unclosed_phrase_runs_to_the_end_and_completes_its_last_word() -> None:
    parsed = parse_query('arms "close ti')
    assert parsed.phrases == (("close", "ti"),)
    assert parsed.open_phrase
    assert not parse_query('"close ti"').open_phrase


def test_kinds_accept_aliases_and_prefixes_and_report_unknown_ones() -> None:
    assert parse_query("kind:highlights x").kinds == frozenset({"quote"})
    assert parse_query("kind:ti x").kinds == frozenset({"title"})
    unknown = parse_query("kind:poem x")
    assert unknown.kinds is None and "poem" in unknown.problems[0]


def test_words_that_are_no_filters_and_fts_syntax_are_plain_words() -> None:
    # `foo:bar` is an attribute filter now (tests/unit/test_search_attributes.py)
    assert words("http://foo NEAR(a, b) AND * ^x") == ["http", "foo", "near", "a", "b", "and", "x"]


def test_empty_and_punctuation_only_queries_are_empty() -> None:
    for query in ["", "   ", "!!!", '"', '""', "-", "tag:", "kind:"]:
        assert parse_query(query).is_empty


def test_huge_queries_are_cut() -> None:
    parsed = parse_query(" ".join(f"w{i}" for i in range(5000)))
    assert len(parsed.terms) == MAX_TERMS and parsed.problems
    assert parse_query("x" * 10_000).terms == ()  # one 1,000-letter "word": not a word


@given(st.text(max_size=300))
def test_any_text_parses(query: str) -> None:
    parsed = parse_query(query)
    assert all(t.text and len(t.text) <= 64 for t in parsed.terms)
    assert all(all(words) for words in parsed.phrases)


@given(st.text("abcxyzé", max_size=7), st.text("abcxyzé", max_size=7), st.integers(0, 3))
def test_osa_distance_agrees_with_rapidfuzz(a: str, b: str, limit: int) -> None:
    distance = OSA.distance(a, b)
    assert osa_distance(a, b, limit) == (distance if distance <= limit else None)
