"""The display sanitiser: control characters made visible, one code point for one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.text.sanitize import display_safe, display_safe_line


def test_escape_sequences_become_visible_stand_ins() -> None:
    osc52 = "\x1b]52;c;aGVsbG8=\x07"
    assert display_safe(osc52) == "␛]52;c;aGVsbG8=␇"
    assert display_safe("a\x00b\x7fc\x9bd") == "a␀b␡c\ufffdd"
    assert display_safe("left\u202eright\u2066x") == "left\ufffdright\ufffdx"


def test_newline_and_tab_kept_in_text_but_shown_in_single_lines() -> None:
    assert display_safe("a\tb\nc") == "a\tb\nc"
    assert display_safe_line("a\tb\nc") == "a␉b␊c"


def test_printable_text_and_markup_are_untouched() -> None:
    text = "Vučić [bold]x[/] 北京 👍 e\u0301"
    assert display_safe(text) == text


@given(st.text())
def test_one_code_point_for_one_and_nothing_live_left(text: str) -> None:
    safe = display_safe(text)
    assert len(safe) == len(text)
    for original, shown in zip(text, safe, strict=True):
        if shown != original:
            assert original not in "\n\t"
    assert not any(
        (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0 or ch == "\u202e"
        for ch in safe
    )


def test_lone_surrogates_become_stand_ins_that_can_be_written_out() -> None:
    """A file name or argument that was not UTF-8 reaches Python as lone surrogates, which no
    terminal stream can encode (issue #15)."""
    name = b"caf\xe9 \xff.txt".decode("utf-8", "surrogateescape")
    assert display_safe(name) == "caf\ufffd \ufffd.txt"
    assert display_safe_line("a\ud800b\n") == "a\ufffdb␊"
    display_safe_line(name).encode("utf-8")  # never raises


@given(st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cc", "L"])))
def test_nothing_unwritable_is_left(text: str) -> None:
    for safe in (display_safe(text), display_safe_line(text)):
        assert len(safe) == len(text)
        safe.encode("utf-8")
