"""Wrapping and the offset <-> cell map, including wide characters, combining marks and tabs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ui.widgets.layout import Layout, cells_of


def lines(layout: Layout) -> list[str]:
    return [layout.line_text(i) for i in range(len(layout))]


def test_wraps_at_spaces_and_keeps_every_code_point() -> None:
    text = "The quick brown fox jumps over the lazy dog\n\nNext"
    layout = Layout(text, 10)
    assert lines(layout) == [
        "The quick ",
        "brown fox ",
        "jumps over ",
        "the lazy ",
        "dog",
        "",
        "Next",
    ]
    assert all(cells_of(line.rstrip()) <= 10 for line in lines(layout))


def test_long_word_is_cut() -> None:
    assert lines(Layout("abcdefghijklmnopqrstuvwxyz", 10)) == ["abcdefghij", "klmnopqrst", "uvwxyz"]


def test_wide_characters_take_two_cells() -> None:
    text = "北京欢迎你北京欢迎你 ok"
    layout = Layout(text, 8)
    assert lines(layout) == ["北京欢迎", "你北京欢", "迎你 ok"]
    line, x = layout.cell_x(text.index("你"))
    assert (line, x) == (0, 8) or (line, x) == (1, 0)
    assert layout.offset_at(1, 3) == text.index("北", 1)  # second cell of 北 is still 北
    assert layout.offset_at(2, 4) == text.index(" ")
    assert layout.offset_at(2, 5) == text.index("o")


def test_emoji_and_combining_marks() -> None:
    text = "a👍b e\u0301x"  # the e + combining acute is not composed on purpose
    layout = Layout(text, 40)
    assert layout.cell_x(text.index("b")) == (0, 3)
    assert layout.cell_x(text.index("x")) == (0, 6)  # the combining mark takes no cell
    assert layout.offset_at(0, 2) == text.index("👍")
    assert layout.offset_at(0, 5) == text.index("e")


def test_tabs_expand_to_tab_stops() -> None:
    text = "a\tb\tc"
    layout = Layout(text, 40)
    assert layout.cell_x(text.index("b")) == (0, 4)
    assert layout.cell_x(text.index("c")) == (0, 8)
    assert layout.offset_at(0, 2) == 1  # inside the tab's cells: the tab itself


def test_line_of_a_paragraph_end_is_its_last_line() -> None:
    text = "one two three\nfour"
    layout = Layout(text, 8)
    assert layout.line_of(text.index("\n")) == layout.line_of(text.index("\n") - 1)
    assert layout.line_of(text.index("four")) == len(layout) - 1


@settings(max_examples=200)
@given(
    st.text(alphabet=st.sampled_from("ab c\n\t北👍é\u0301’—"), max_size=80),
    st.integers(8, 30),
)
def test_lines_cover_the_text_and_fit_the_width(text: str, width: int) -> None:
    layout = Layout(text, width)
    covered = []
    for i in range(len(layout)):
        start, end = layout.starts[i], layout.ends[i]
        covered.append(text[start:end])
        visible = text[start:end].rstrip()  # trailing whitespace may run past the edge
        assert cells_of(visible) <= width or len(visible) == 1
        for offset in range(start, end):
            line, x = layout.cell_x(offset)
            assert line == i
            assert layout.offset_at(i, x) == offset or text[offset] in "\u0301"
    assert "".join(covered) == text.replace("\n", "")
