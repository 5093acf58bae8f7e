"""One cell-aware way to shorten text for the terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.text.shorten import cells, shorten


def test_counts_cells_not_characters() -> None:
    assert shorten("漢字漢字", 5) == "漢字…"
    assert shorten("漢字漢字", 8) == "漢字漢字"
    assert shorten("abc", 1) == "…"
    assert shorten("abc", 0) == ""
    assert shorten("Vuc\u030cic\u0301 in Moscow", 8) == "Vuc\u030cic\u0301 i…"  # marks: no cell


def test_one_line_folds_whitespace_and_cuts_at_words_edge() -> None:
    assert shorten("a  long\n\nnote here", 20) == "a long note here"
    assert shorten("a long note", 8) == "a long…"  # no space left before the ellipsis
    assert shorten("line one\nline two", 40, one_line=False) == "line one\nline two"


@given(st.text(), st.integers(min_value=0, max_value=60))
def test_never_wider_than_asked_and_unchanged_when_it_fits(text: str, width: int) -> None:
    short = shorten(text, width)
    assert cells(short) <= width
    flat = " ".join(text.split())
    if cells(flat) <= width:
        assert short == flat
    else:
        assert short.endswith("…") or (width == 0 and short == "")
