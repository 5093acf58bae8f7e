"""Word, sentence and paragraph navigation over canonical text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.text import textnav

TEXT = (
    "Title line\n"
    "\n"
    "Gen. Milan Mojsilović spoke. Serbia’s arms deals stopped! Did J. Smith agree? Yes.\n"
    "Second paragraph here… with more.\n"
    "   \n"
    "Last one"
)


def test_words() -> None:
    at = TEXT.index("Serbia’s")
    assert textnav.word_at(TEXT, at + 3) == (at, at + len("Serbia’s"))
    assert textnav.next_word_start(TEXT, at) == TEXT.index("arms")
    assert textnav.prev_word_start(TEXT, TEXT.index("arms")) == at
    assert textnav.prev_word_start(TEXT, at + 2) == at
    assert textnav.next_word_start(TEXT, len(TEXT) - 1) == len(TEXT)
    assert textnav.prev_word_start(TEXT, 0) == 0
    assert textnav.word_at(TEXT, TEXT.index("\n\n") + 1) is None


def test_paragraphs() -> None:
    body = TEXT.index("Gen.")
    assert textnav.paragraph_bounds(TEXT, body + 10) == (body, TEXT.index("\nSecond"))
    assert textnav.next_paragraph_start(TEXT, 0) == body
    second = TEXT.index("Second")
    assert textnav.next_paragraph_start(TEXT, body) == second
    assert textnav.next_paragraph_start(TEXT, second) == TEXT.index("Last")
    assert textnav.prev_paragraph_start(TEXT, TEXT.index("Last")) == second
    assert textnav.prev_paragraph_start(TEXT, second + 5) == second
    assert textnav.prev_paragraph_start(TEXT, body) == 0
    assert textnav.next_paragraph_start(TEXT, TEXT.index("Last")) == len(TEXT)


def test_sentences_respect_abbreviations_and_initials() -> None:
    body = TEXT.index("Gen.")
    end = TEXT.index("\nSecond")
    spans = [TEXT[s:e] for s, e in textnav.sentences_in(TEXT, body, end)]
    assert spans == [
        "Gen. Milan Mojsilović spoke.",
        "Serbia’s arms deals stopped!",
        "Did J. Smith agree?",
        "Yes.",
    ]
    mid = TEXT.index("deals")
    start, stop = textnav.sentence_bounds(TEXT, mid)
    assert TEXT[start:stop] == "Serbia’s arms deals stopped!"
    assert textnav.next_sentence_start(TEXT, mid) == TEXT.index("Did")
    assert textnav.next_sentence_start(TEXT, TEXT.index("Yes")) == TEXT.index("Second")
    assert textnav.prev_sentence_start(TEXT, mid) == TEXT.index("Serbia’s")
    assert textnav.prev_sentence_start(TEXT, TEXT.index("Serbia’s")) == body
    assert textnav.prev_sentence_start(TEXT, TEXT.index("Second")) == TEXT.index("Yes")


def test_paragraph_without_sentence_end_is_one_sentence() -> None:
    at = TEXT.index("Last") + 2
    assert textnav.sentence_bounds(TEXT, at) == (TEXT.index("Last"), len(TEXT))


@given(st.text(alphabet="ab .!?\n’é", max_size=60), st.data())
def test_moves_stay_in_bounds_and_go_the_right_way(text: str, data) -> None:
    offset = data.draw(st.integers(0, len(text)))
    for forward in (textnav.next_word_start, textnav.next_sentence_start,
                    textnav.next_paragraph_start):  # fmt: skip
        moved = forward(text, offset)
        assert offset <= moved <= len(text)
        assert moved > offset or offset == len(text) or moved == len(text)
    for backward in (textnav.prev_word_start, textnav.prev_sentence_start,
                     textnav.prev_paragraph_start):  # fmt: skip
        moved = backward(text, offset)
        assert 0 <= moved <= offset
    start, end = textnav.sentence_bounds(text, offset)
    assert 0 <= start <= end <= len(text)


def test_find_all_ignores_case_and_accents_with_aligned_offsets() -> None:
    text = "Vučić met VUCIC; vucic left. Straße"
    spans = textnav.find_all(text, "vucic")
    assert [text[s:e] for s, e in spans] == ["Vučić", "VUCIC", "vucic"]
    assert [text[s:e] for s, e in textnav.find_all(text, "Vučić")] == ["Vučić", "VUCIC", "vucic"]
    assert textnav.find_all(text, "   ") == []
    assert len(textnav.fold(text)) == len(text)
