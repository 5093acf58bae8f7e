"""A tag's name typed as a plain word finds the highlights carrying it first, ahead of notes and
text that merely hold the word (#16: `energy` ranked a highlight tagged energy/oil 4th)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.search.query import Term, parse_query
from reader.search.tiers import match_tiers
from reader.search.vocabulary import TermGroup
from reader.workspace import Workspace

SENTENCES = 16


def write(root: Path, name: str, text: str) -> None:
    (root / "corpus" / name).write_text(text, "utf-8")


@pytest.fixture
def tagged(empty_root: Path) -> Workspace:
    """Sentences about energy and flemin (never both), a dozen notes saying background, oil and
    geopolitical, and highlights tagged background, topic/energy/oil and geopolitics."""
    lines = [f"Energy report {n} was late." for n in range(SENTENCES)]
    lines += [f"The flemin survey {n} was early." for n in range(SENTENCES)]
    lines += [f"Field note {n} on the delta." for n in range(SENTENCES)]
    write(empty_root, "a.txt", "Report\n\n" + "\n\n".join(lines) + "\n")
    with Workspace.open(empty_root) as ws:
        doc = ws.document(ws.documents()[0].id)
        for n in range(12):
            ws.annotate_quote(doc, f"Field note {n} on the", note="background oil geopolitical")
        for n in range(6):
            ws.annotate_quote(doc, f"Energy report {n} was", tags=["topic/energy"])
        ws.annotate_quote(doc, "Field note 12 on the", tags=["background"])
        ws.annotate_quote(doc, "Field note 13 on the", tags=["topic/energy/oil"])
        ws.annotate_quote(doc, "Field note 14 on the", tags=["geopolitics"])
        ws.annotate_quote(doc, "The flemin survey 3 was", tags=["topic/energy"])
        ws.annotate_quote(doc, "The flemin survey 5 was")
        yield ws


def quote_of(ws: Workspace, annotation: int | None) -> str:
    found = [a for a in ws.annotations() if a.id == annotation]
    return found[0].quote if found else ""


@pytest.mark.parametrize(
    ("query", "quote"),
    [
        ("background", "Field note 12 on the"),  # a tag's whole name
        ("oil", "Field note 13 on the"),  # the leaf of topic/energy/oil
        ("geopol", "Field note 14 on the"),  # a prefix, as typed so far
    ],
)
def test_a_tag_name_ranks_its_highlight_first(tagged: Workspace, query: str, quote: str) -> None:
    results = tagged.search(query, limit=10)
    assert results[0].kind == "tag"
    assert quote_of(tagged, results[0].annotation) == quote
    assert "note" in {r.kind for r in results}  # the notes holding the word still follow


def test_a_tag_word_and_a_quote_word_find_that_highlight_first(tagged: Workspace) -> None:
    results = tagged.search("energy flemin", limit=10)
    assert quote_of(tagged, results[0].annotation) == "The flemin survey 3 was"
    # the same quote word without the tag, and the tag on other quotes, rank below it
    assert results[0].score > max(r.score for r in results[1:])


def test_one_word_tiers_read_the_rarest_word_first() -> None:
    parsed = parse_query("common rare middle")
    groups = [
        TermGroup(Term("common", False), {"common": 1.0}, df=900),
        TermGroup(Term("rare", False), {"rare": 1.0}, df=3),
        TermGroup(Term("middle", False), {"middle": 1.0}, df=40),
    ]
    tiers, complete = match_tiers(groups, parsed, paragraphs=100_000)
    assert tiers[-3:] == ['("rare")', '("middle")', '("common")']
    assert complete == 1
