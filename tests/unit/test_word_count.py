"""The word count without the regex gives the regex's number on any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.metadata import count_words
from reader.corpus.word_count import count_words as count_word_matches

# The definition the sync always had: what a word is must not change with the speed-up.
_REGEX = re.compile(r"\w+(?:['’\-]\w+)*")

# Letters of many scripts, digits, the joiners, punctuation of the same UTF-8 lead byte as ’
# (“ ” — …), combining marks, emoji, lone surrogates and controls: every class meets every other.
_TRICKY = (
    "aZ09_ '’-‐–—…“”«»\u00a0\t\n\r.,;:!?()[]/\\"
    "éÉçßøØđĐłŁžŠćČ e\u0301 ×÷½²¹ªµ"
    "ПриветмирЂђ ΑλφαΩ עברית عربي ह\u093f न्दी ไทย 日本語テキスト 한국어 "
    "😀👍🏽\u200d\ufeff\ufffd\ud800\U0001d400\U00010400"
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "a",
        "Serbia’s long-standing ties",
        "a--b a-b-c 'a' ’x’ x’ -y- don't 3-4 _x_",
        "日本語のテキスト、Привет, мир! 😀 café e\u0301 “quoted” — dash… ½ ² ×÷",
        "’’a’’b’ a’’b a’-b a-’b",
        "He said “it’s the long-standing — and well-known — policy…” " * 50,
        "Đoković je 2024. godine osvojio zlato; Žena-ratnik, Čačak–Šabac.",
    ],
)
def test_word_count_is_the_regexs(text: str) -> None:
    assert count_words(text) == len(_REGEX.findall(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=300))
def test_word_count_is_the_regexs_on_mixed_text(text: str) -> None:
    assert count_word_matches(text) == len(_REGEX.findall(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_word_count_is_the_regexs_on_any_characters(text: str) -> None:
    assert count_word_matches(text) == len(_REGEX.findall(text))

