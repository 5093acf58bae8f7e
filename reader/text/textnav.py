"""Word, sentence and paragraph boundaries in canonical text, as code-point offsets.

Pure functions over a string: the reading view moves its cursor with them, and they are tested
without any UI. A paragraph is one non-empty line (web copies put each paragraph on its own
line); a sentence ends at `.`, `!`, `?` or `…` (plus closing quotes) before whitespace, unless
the word before the dot is a known abbreviation or an initial.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "prof", "col", "lt", "sgt", "capt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd", "co", "jr", "sr", "mt",
}  # fmt: skip


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word containing `offset` (or starting at it), else None."""
    for match in WORD.finditer(text, max(0, offset - 100), min(len(text), offset + 100)):
        if match.start() <= offset < match.end():
            return match.start(), match.end()
        if match.start() > offset:
            break
    return None


def next_word_start(text: str, offset: int) -> int:
    match = WORD.search(text, offset)
    if match and match.start() <= offset:  # the word under the cursor: skip to its end
        match = WORD.search(text, match.end())
    return match.start() if match else len(text)


def prev_word_start(text: str, offset: int) -> int:
    start = max(0, offset - 200)
    while True:
        starts = [m.start() for m in WORD.finditer(text, start, offset) if m.start() < offset]
        # a word cut by the window's left edge must start further back: widen until it fits
        if starts and (starts[0] > start or start == 0):
            return starts[-1]
        if start == 0:
            return 0
        start = max(0, start - 2000)


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """The line holding `offset`, without surrounding whitespace (may be empty)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    line = text[start:end]
    stripped = line.strip()
    if not stripped:
        return start, start
    lead = len(line) - len(line.lstrip())
    return start + lead, start + lead + len(stripped)


def _paragraph_starts_after(text: str, offset: int) -> int | None:
    at = text.find("\n", offset)
    while at != -1:
        start, end = paragraph_bounds(text, at + 1)
        if end > start:
            return start
        at = text.find("\n", at + 1)
    return None


def next_paragraph_start(text: str, offset: int) -> int:
    found = _paragraph_starts_after(text, offset)
    return len(text) if found is None else found


def prev_paragraph_start(text: str, offset: int) -> int:
    start, end = paragraph_bounds(text, offset)
    if end > start and start < offset:
        return start
    at = text.rfind("\n", 0, max(0, min(offset, start) - 1) + 1)
    while at > 0:
        p_start, p_end = paragraph_bounds(text, at - 1)
        if p_end > p_start:
            return p_start
        at = text.rfind("\n", 0, at)
    first_start, first_end = paragraph_bounds(text, 0)
    return first_start if first_end > first_start and first_start < offset else 0


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].casefold()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return word in _ABBREVIATIONS


def sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside the paragraph [start, end)."""
    spans = []
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        if match.end() > at:
            spans.append((at, match.end()))
        at = match.end()
        while at < end and text[at].isspace():
            at += 1
    if at < end and text[at:end].strip():
        spans.append((at, end))
    return spans


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence holding `offset`; the whole paragraph when it has no sentence breaks."""
    p_start, p_end = paragraph_bounds(text, offset)
    spans = sentences_in(text, p_start, p_end)
    for s_start, s_end in spans:
        if offset < s_end:
            return s_start, s_end
    return spans[-1] if spans else (p_start, p_end)


def next_sentence_start(text: str, offset: int) -> int:
    p_start, p_end = paragraph_bounds(text, offset)
    for s_start, _ in sentences_in(text, p_start, p_end):
        if s_start > offset:
            return s_start
    return next_paragraph_start(text, offset)


def prev_sentence_start(text: str, offset: int) -> int:
    p_start, p_end = paragraph_bounds(text, offset)
    if p_end > p_start and offset > p_start:
        starts = [s for s, _ in sentences_in(text, p_start, p_end) if s < offset]
        if starts:
            return starts[-1]
    previous = prev_paragraph_start(text, p_start if p_end > p_start else offset)
    if previous >= offset:
        return previous
    q_start, q_end = paragraph_bounds(text, previous)
    starts = [s for s, _ in sentences_in(text, q_start, q_end) if s < offset]
    return starts[-1] if starts else min(previous, offset)


def _fold_char(ch: str) -> str:
    """One character without accents and case, still one character (offsets stay aligned)."""
    base = unicodedata.normalize("NFD", ch)[0]
    folded = base.casefold()
    return folded[0] if folded else ch


def fold(text: str) -> str:
    """`text` with accents and case removed, code point for code point ("Vučić" -> "vucic")."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


def find_all(text: str, query: str, folded_text: str | None = None) -> list[tuple[int, int]]:
    """Every [start, end) where `query` occurs in `text`, ignoring case and accents."""
    needle = fold(query.strip())
    if not needle:
        return []
    haystack = folded_text if folded_text is not None else fold(text)
    spans = []
    at = haystack.find(needle)
    while at != -1:
        spans.append((at, at + len(needle)))
        at = haystack.find(needle, at + len(needle))
    return spans
