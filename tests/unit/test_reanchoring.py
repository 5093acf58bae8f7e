"""Re-anchoring under random edits: verbatim survivors are found where they went; nothing is
ever placed on text that does not match it; short or repeated quotes are never guessed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from reader.annotate.anchoring import FUZZY_MIN_SCORE, context, context_score, reanchor
from tests.unit.reanchor_model import apply_edits, paragraphs, render, token, true_span


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), paragraphs, st.integers(1, 4))
def test_survivors_are_found_and_nothing_lands_on_wrong_text(data, words, edit_count) -> None:
    doc = [[token(w) for w in paragraph] for paragraph in words]
    gaps = ["\n\n"] * (len(doc) - 1)
    text, spans = render(doc, gaps)
    p = data.draw(st.integers(0, len(doc) - 1))
    i = data.draw(st.integers(0, len(doc[p]) - 1))
    j = data.draw(st.integers(i + 1, min(len(doc[p]), i + 8)))
    run = doc[p][i:j]
    start, end = spans[run[0].id][0], spans[run[-1].id][1]
    quote = text[start:end]
    prefix, suffix = context(text, start, end)

    rng = data.draw(st.randoms(use_true_random=False))
    new_doc, new_gaps = apply_edits(rng, doc, gaps, edit_count)
    new_text, _ = render(new_doc, new_gaps)
    placed = reanchor(new_text, start, end, quote, prefix, suffix)
    landed = new_text[placed.start : placed.end]

    if placed.status in ("anchored", "moved"):
        assert landed == quote
    elif placed.status == "fuzzy":
        assert fuzz.ratio(quote, landed) >= FUZZY_MIN_SCORE
        assert len(quote) >= 16
    survived = true_span(new_doc, new_gaps, run)
    if survived is not None and new_text.count(quote) == 1:
        assert placed.status in ("anchored", "moved")
        assert (placed.start, placed.end) == survived
    if survived is not None and placed.status != "orphaned":
        # among repeats too: never onto another copy of the same words, unless the stored
        # quote and context cannot tell that copy from the right one
        assert (placed.start, placed.end) == survived or (
            landed == quote
            and context_score(new_text, placed.start, len(quote), prefix, suffix)
            >= context_score(new_text, survived[0], len(quote), prefix, suffix)
        )
