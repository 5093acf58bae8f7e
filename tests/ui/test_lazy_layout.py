"""The lazy wrap map gives the eager map's lines and offsets, wrapping only what is asked for."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ui.widgets.height_tree import HeightTree
from reader.ui.widgets.layout import Layout
from reader.ui.widgets.lazy_layout import LazyLayout, Paragraphs

PIECES = ["a", "word", "longerword", "北京欢迎你", "😀x", "tab\there", "x" * 130, "e\u0301",
          " ", "  ", "\t", "\n", "\n\n", "—", "ok."]  # fmt: skip


def all_lines(layout: LazyLayout) -> list[tuple[int, int]]:
    """Every line in order, as the view meets them scrolling down (the length grows as it goes)."""
    found, line = [], 0
    while line < len(layout):
        found.append(layout.line_span(line))
        line += 1
    return found


def million_words() -> str:
    paragraph = " ".join(f"word{i % 97}" for i in range(50))
    return "\n\n".join([paragraph] * 20_000)  # 1,000,000 words in 39,999 paragraphs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=200), st.integers(8, 90))
def test_lazy_lines_are_the_eager_lines(pieces: list[str], width: int) -> None:
    text = "".join(pieces)
    eager = Layout(text, width)
    lazy = LazyLayout(Paragraphs(text), width)
    assert all_lines(lazy) == list(zip(eager.starts, eager.ends, strict=True))
    assert len(lazy) == len(eager)
    for offset in range(len(text) + 1):
        assert lazy.cell_x(offset) == eager.cell_x(offset)
    for line in range(len(eager)):
        for x in (0, 1, 7, width - 1, 500):
            assert lazy.offset_at(line, x) == eager.offset_at(line, x)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=200), st.integers(8, 90), st.randoms())
def test_an_offset_maps_to_the_same_row_and_column_in_any_order(
    pieces: list[str], width: int, rnd: random.Random
) -> None:
    """Asked in any order, an offset's column and its row within its paragraph are the eager
    map's; its line number is exact once the paragraphs above it are wrapped."""
    text = "".join(pieces)
    eager = Layout(text, width)
    lazy = LazyLayout(Paragraphs(text), width)
    offsets = list(range(len(text) + 1))
    rnd.shuffle(offsets)
    for offset in offsets[:40]:
        paragraph = lazy.paragraphs.holding(offset)
        line, x = lazy.cell_x(offset)
        eager_line, eager_x = eager.cell_x(offset)
        eager_first = eager.line_of(lazy.paragraphs.starts[paragraph])
        assert (line - lazy.first_line(paragraph), x) == (eager_line - eager_first, eager_x)


def test_a_very_long_paragraph_wraps_as_the_eager_map_does() -> None:
    rnd = random.Random(7)
    text = " ".join(rnd.choice(["word", "北京", "😀", "a\tb", "x" * 90]) for _ in range(20_000))
    eager = Layout(text, 71)
    expected = list(zip(eager.starts, eager.ends, strict=True))
    assert all_lines(LazyLayout(Paragraphs(text), 71)) == expected


def test_front_matter_has_no_lines() -> None:
    text = "---\ntitle: T\n---\nBody line one\n\nTwo"
    body = text.index("Body")
    lazy = LazyLayout(Paragraphs(text, body), 20)
    assert [text[a:b] for a, b in all_lines(lazy)] == ["Body line one", "", "Two"]
    assert lazy.line_of(0) == 0  # an offset in the front matter shows at the body's start


def test_jumping_to_the_end_of_a_million_words_wraps_only_the_last_paragraph() -> None:
    text = million_words()
    lazy = LazyLayout(Paragraphs(text), 80)
    line = lazy.line_of(len(text))
    assert lazy.wrapped_paragraphs == 1
    assert line == len(lazy) - 1
    lazy.wrap_around(line, above=48, below=96)  # what the view does for a 48-line screen
    assert lazy.wrapped_paragraphs < 40  # of 39,999
    assert lazy.line_text(line).endswith("word49")


def test_only_paragraphs_asked_for_are_wrapped() -> None:
    text = "one\ntwo\nthree\nfour"
    lazy = LazyLayout(Paragraphs(text), 20)
    assert not lazy.is_wrapped_within(0, len(text))
    lazy.line_of(text.index("three"))
    assert lazy.is_wrapped_within(0, len(text))  # the middle of a span counts
    assert not lazy.is_wrapped_within(0, text.index("two"))
    assert lazy.wrapped_paragraphs == 1


def test_heights_sum_and_find_like_a_list() -> None:
    rnd = random.Random(3)
    heights = [rnd.randint(1, 9) for _ in range(1000)]
    tree = HeightTree(heights)
    for _ in range(200):
        index = rnd.randrange(1000)
        heights[index] = rnd.randint(1, 9)
        tree.set(index, heights[index])
    assert tree.total == sum(heights)
    for index in (0, 1, 500, 999):
        assert tree.prefix(index) == sum(heights[:index])
    for line in range(0, sum(heights), 7):
        found = tree.find(line)
        assert sum(heights[:found]) <= line < sum(heights[: found + 1])
