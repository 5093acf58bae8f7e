"""Attribute filters in search (`outlet:ECFR`, `year:2022..2024`, `-wave:3`): how they parse,
which words stay text, and what they let through for every kind of result."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.attributes import clean_name, documents_where
from reader.search import query_problems
from reader.search.attribute_filters import documents_by_attributes
from reader.search.query import MAX_ATTRIBUTE_FILTERS, parse_query
from reader.text.attribute_filters import AttributeFilter
from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

# The sample corpus: D0 and D1 dated 2025-01, D4 2022-03, D2 and D3 undated.
D0, D1, D2, D3, D4 = (
    "000_1d5d00d34374701d",
    "001_4310720f2bcf0b55",
    "002_d42153564ceb3715",
    "003_ab75fb7eb88f90bb",
    "004_9b4db2a2590667cc",
)
ATTRIBUTES = {
    D0: {"outlet": "ECFR", "wave": "2"},
    D1: {"outlet": "Balkan Insight", "wave": "3"},
    D2: {"outlet": "ECFR", "wave": "10"},
    D3: {"outlet": "Foreign  Policy"},
    D4: {"outlet": "Atlantic Council", "wave": "1"},
}


def attributes(query: str) -> tuple[AttributeFilter, ...]:
    return parse_query(query).attributes


def words(query: str) -> list[str]:
    return [t.text for t in parse_query(query).terms]


# Parsing


def test_any_name_not_a_filter_is_an_attribute() -> None:
    parsed = parse_query("Outlet:ECFR sanctions država:RS wave_2:x a.b-c:1")
    assert parsed.attributes == (
        AttributeFilter("outlet", "ECFR"),
        AttributeFilter("država", "RS"),
        AttributeFilter("wave_2", "x"),
        AttributeFilter("a.b-c", "1"),
    )
    assert words("Outlet:ECFR sanctions") == ["sanctions"]
    assert parsed.completing is None and not parsed.is_empty
    assert parse_query("year:2025").is_empty is False


def test_the_existing_filters_stay_what_they_were() -> None:
    parsed = parse_query("tag:actor doc:serbia kind:note -tag:x")
    assert parsed.attributes == ()
    assert parsed.tags == ("actor",) and parsed.docs == ("serbia",)


def test_quoted_values_keep_spaces_and_dots() -> None:
    assert attributes('outlet:"Foreign  Policy" arms') == (
        AttributeFilter("outlet", "Foreign Policy"),
    )
    assert words('outlet:"Foreign Policy" arms') == ["arms"]
    assert attributes('outlet:"a..b"') == (AttributeFilter("outlet", "a..b"),)  # never a range
    assert attributes('outlet:"Foreign Pol') == (AttributeFilter("outlet", "Foreign Pol"),)
    assert attributes('outlet:""') == ()


def test_ranges_open_ends_and_any_value() -> None:
    assert attributes("year:2022..2024 wave:2.. wave:..3") == (
        AttributeFilter("year", low="2022", high="2024"),
        AttributeFilter("wave", low="2"),
        AttributeFilter("wave", high="3"),
    )
    assert attributes("outlet:*") == attributes("outlet:..") == (AttributeFilter("outlet"),)


def test_negation() -> None:
    assert attributes("-outlet:ECFR -year:..2022") == (
        AttributeFilter("outlet", "ECFR", negated=True),
        AttributeFilter("year", high="2022", negated=True),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("10:30", ["10", "30"]),  # a name starts with a letter
        ("http://example.org/x", ["http", "example", "org", "x"]),
        ("https://x.org", ["https", "x", "org"]),
        ("std::map", ["std", "map"]),
        ("mailto:a@b.org", ["mailto", "a", "b", "org"]),  # a URL scheme is no attribute
        ("note: sanctions", ["note", "sanctions"]),  # nothing after the colon: text
        (":x", ["x"]),
        ("_x:1", ["x", "1"]),
        ('"outlet:ECFR"', []),  # a phrase, never a filter
        ("{body}: serbia", ["body", "serbia"]),
        ("x" * 41 + ":1", []),  # a name is at most 40 characters; this is one long word
    ],
)
def test_words_that_only_look_like_filters_stay_text(query: str, expected: list[str]) -> None:
    parsed = parse_query(query)
    assert parsed.attributes == ()
    if expected:
        assert words(query) == expected
    if query.startswith('"'):
        assert parsed.phrases == (("outlet", "ecfr"),)


def test_too_many_filters_are_cut_and_said() -> None:
    parsed = parse_query(" ".join(f"a{i}:x" for i in range(40)))
    assert len(parsed.attributes) == MAX_ATTRIBUTE_FILTERS and parsed.problems


PIECES = st.sampled_from(
    ["outlet", "year", ":", "..", '"', "-", "*", " ", "2024", "http", "//", "tag:", "\x00", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES | st.text(max_size=6), max_size=10).map("".join))
def test_any_text_parses_into_valid_filters(query: str) -> None:
    for f in parse_query(query).attributes:
        assert clean_name(f.name) == f.name
        assert f.value is None or f.value  # never an empty value
        assert f.value is None or (f.low is None and f.high is None)


# Searching


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The sample corpus with outlets and waves, and highlights tagged and noted in three
    documents (searching never changes it, so the tests share it)."""
    root = tmp_path_factory.mktemp("coded")
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    with Workspace.open(root) as ws:
        for handle, values in ATTRIBUTES.items():
            ws.set_attributes(ws.document(handle), values)
        for handle in (D0, D1, D2):
            document = ws.document(handle)
            start = ws.text(document).casefold().index("sanctions")
            ws.annotate(document, start, start + len("sanctions"), ["frame/sanctions"])
            ws.annotate(document, 0, 10, ["frame/security"])
        ws.annotate(ws.document(D1), 20, 30, ["actor"], note="sanctions are coming")
        ws.annotate(ws.document(D2), 20, 30, ["actor"], note="sanctions hurt")
        yield ws


def found(ws: Workspace, query: str, kind: str | None = None) -> set[str]:
    """The documents (as handles) the results of `query` are in."""
    return {r.doc.removesuffix(".txt") for r in ws.search(query, limit=500, kind=kind)}


def test_an_attribute_with_free_text(coded: Workspace) -> None:
    assert found(coded, "sanctions") == {D0, D1, D2, D3, D4}
    assert found(coded, "outlet:ECFR sanctions") == {D0, D2}
    assert found(coded, "outlet:ecfr sanctions") == {D0, D2}  # values ignore case
    assert found(coded, 'outlet:"foreign policy" sanctions') == {D3}  # and runs of spaces


def test_filters_alone_list_the_documents(coded: Workspace) -> None:
    results = coded.search("outlet:ECFR")
    assert {r.kind for r in results} == {"title"}
    assert {r.doc.removesuffix(".txt") for r in results} == {D0, D2}


def test_derived_year_and_month(coded: Workspace) -> None:
    assert found(coded, "year:2025") == {D0, D1}
    assert found(coded, "year:2022..2024") == {D4}
    assert found(coded, "year:2023..") == {D0, D1}
    assert found(coded, "year:..2022-06") == {D4}  # the year 2022 meets the bound's month
    assert found(coded, "month:2025") == {D0, D1}  # a date stands for its whole period
    assert found(coded, "month:2022-04..") == {D0, D1}
    assert found(coded, "year:*") == {D0, D1, D4}
    assert found(coded, "-year:*") == {D2, D3}


def test_number_ranges_compare_as_numbers(coded: Workspace) -> None:
    assert found(coded, "wave:2..3") == {D0, D1}  # not 10
    assert found(coded, "wave:2..10") == {D0, D1, D2}  # as text, "2" > "10" would hold none
    assert found(coded, "wave:..2") == {D0, D4}
    assert found(coded, "wave:3.0") == {D1}


def test_negation_keeps_documents_without_the_attribute(coded: Workspace) -> None:
    assert found(coded, "-outlet:ECFR") == {D1, D3, D4}
    assert found(coded, "-outlet:ECFR sanctions") == {D1, D3, D4}
    assert found(coded, "-wave:1..2") == {D1, D2, D3}


def test_one_name_is_alternatives_different_names_all_hold(coded: Workspace) -> None:
    assert found(coded, 'outlet:ECFR outlet:"Balkan Insight"') == {D0, D1, D2}
    assert found(coded, "outlet:ECFR year:2025") == {D0}
    assert found(coded, "outlet:ECFR -wave:10") == {D0}
    assert found(coded, "outlet:ECFR -outlet:ECFR") == set()


def test_with_doc_tag_and_kind_filters(coded: Workspace) -> None:
    assert found(coded, f"doc:{D0[:4]} outlet:ECFR") == {D0}
    assert found(coded, f"doc:{D1[:4]} outlet:ECFR") == set()
    assert found(coded, "tag:frame/sanctions") == {D0, D1, D2}
    assert found(coded, "tag:frame/sanctions outlet:ECFR") == {D0, D2}
    assert found(coded, "tag:frame -outlet:ECFR sanctions") == {D1}
    quotes = coded.search("outlet:ECFR kind:quote sanctions", limit=500)
    assert quotes and {(r.kind, r.doc.removesuffix(".txt")) for r in quotes} == {
        ("quote", D0),
        ("quote", D2),
    }


@pytest.mark.parametrize("kind", ["text", "quote", "note", "tag"])
def test_every_kind_of_result_is_filtered(coded: Workspace, kind: str) -> None:
    everywhere = found(coded, "sanctions", kind=kind)
    assert everywhere - {D0, D2}  # without the filter, others are found too
    assert found(coded, "outlet:ECFR sanctions", kind=kind) == everywhere & {D0, D2}


def test_title_results_are_filtered(coded: Workspace) -> None:
    assert found(coded, "russia", kind="title") >= {D0, D1}
    assert found(coded, "year:2022 russia", kind="title") == {D4}


def test_an_unknown_name_finds_nothing_and_says_why(coded: Workspace) -> None:
    assert coded.search("outlt:ECFR sanctions") == []
    assert coded.search("-outlt:ECFR sanctions") == []  # a typo never widens the search
    conn = coded.store.conn
    assert query_problems(conn, "outlt:ECFR sanctions") == (
        "no document has the attribute 'outlt' (outlet?)",
    )
    assert query_problems(conn, "colour:red") == ("no document has the attribute 'colour'",)
    assert query_problems(conn, "yaer:2025") == ("no document has the attribute 'yaer' (year?)",)
    assert query_problems(conn, "outlet:ECFR sanctions year:2025") == ()


def test_a_bound_of_the_wrong_type_is_said(coded: Workspace) -> None:
    conn = coded.store.conn
    assert coded.search("wave:a..b") == []
    assert query_problems(conn, "wave:a..b") == ("'a' is not a number, and wave holds numbers",)
    assert "is not a date" in query_problems(conn, "year:soon..")[0]
    assert query_problems(conn, "wave:two") == ()  # a value is only compared: no match


def test_values_and_ranges_agree_with_documents_where(coded: Workspace) -> None:
    conn, db = coded.store.conn, coded.store.db
    cases = [
        ("outlet", AttributeFilter("outlet", "ECFR"), {"value": "ECFR"}),
        ("year", AttributeFilter("year", low="2022", high="2024"), {"low": "2022", "high": "2024"}),
        ("wave", AttributeFilter("wave", low="2", high="3"), {"low": "2", "high": "3"}),
        ("month", AttributeFilter("month", "2025-01"), {"value": "2025-01"}),
        ("outlet", AttributeFilter("outlet"), {}),
    ]
    for name, f, where in cases:
        assert documents_by_attributes(conn, [f]).documents == documents_where(db, name, **where)


def test_attributes_are_read_once_per_search_and_never_without_filters(coded: Workspace) -> None:
    conn = coded.store.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        coded.search("outlet:ECFR outlet:Balkan -wave:3 year:2025 sanctions")
        reads = [s for s in statements if "document_attributes" in s]
        assert len(reads) == 1
        statements.clear()
        coded.search("sanctions tag:frame")
        assert not [s for s in statements if "document_attributes" in s]
    finally:
        conn.set_trace_callback(None)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES | st.sampled_from(["wave", "sanctions", "ECFR"]), max_size=8).map("".join))
def test_hostile_attribute_queries_never_raise(coded: Workspace, query: str) -> None:
    assert isinstance(coded.search(query, limit=20), list)
    assert isinstance(query_problems(coded.store.conn, query), tuple)


def test_the_cli_says_what_is_wrong_with_a_filter(workspace_root) -> None:
    from click.testing import CliRunner

    from reader.cli import cli

    with Workspace.open(workspace_root) as ws:
        ws.set_attributes(ws.document("001_4310720f2bcf0b55"), {"outlet": "ECFR"})
    result = CliRunner().invoke(cli, ["-w", str(workspace_root), "search", "outlt:ECFR", "gas"])
    assert result.exit_code == 0
    assert "no document has the attribute 'outlt' (outlet?)" in result.stderr
