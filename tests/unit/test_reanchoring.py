"""Re-anchoring under random edits: verbatim survivors are found where they went; nothing is
ever placed on text that does not match it; short or repeated quotes are never guessed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from reader.annotate.anchoring import FUZZY_MIN_SCORE, context, context_similarity, reanchor
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
            and context_similarity(new_text, placed.start, len(quote), prefix, suffix)
            >= context_similarity(new_text, survived[0], len(quote), prefix, suffix)
        )


QUOTE = "sanctions on Russia"
COPIES = [
    "In March the council of ministers debated whether new ",
    "Analysts in Belgrade wrote that the government resisted ",
    "Every week the opposition press demanded fresh ",
]
TAIL = [
    " and the energy contracts that go with them.\n\n",
    " for as long as gas kept flowing from Moscow.\n\n",
    " while the president kept silent.\n\n",
]


def _article(copies: list[str]) -> str:
    return "".join(c + QUOTE + t for c, t in zip(copies, TAIL, strict=True))


def test_an_edited_context_still_picks_the_right_copy_of_three() -> None:
    old = _article(COPIES)
    start = old.index(QUOTE, len(COPIES[0]) + len(TAIL[0]))  # the second copy
    prefix, suffix = context(old, start, start + len(QUOTE))
    # a word changed on each side next to the quote, and text inserted before all three
    edited = ["Years later: " + COPIES[0], COPIES[1].replace("resisted", "fought"), COPIES[2]]
    tails = [TAIL[0], TAIL[1].replace("for as long", "as long"), TAIL[2]]
    new = "".join(c + QUOTE + t for c, t in zip(edited, tails, strict=True))
    placed = reanchor(new, start, start + len(QUOTE), QUOTE, prefix, suffix)
    right = new.index(QUOTE, new.index("fought"))
    assert (placed.start, placed.end, placed.status) == (right, right + len(QUOTE), "moved")


def test_copies_whose_context_is_unrelated_are_never_guessed() -> None:
    old = _article(COPIES)
    start = old.index(QUOTE)
    prefix, suffix = context(old, start, start + len(QUOTE))
    others = ["Nothing at all to do with any of it: ", "A wholly different story about "]
    new = "\n\n".join(o + QUOTE + " in another decade." for o in others)
    placed = reanchor(new, start, start + len(QUOTE), QUOTE, prefix, suffix)
    assert placed.status == "orphaned" and (placed.start, placed.end) == (start, start + len(QUOTE))


def test_two_copies_with_the_same_context_tie_and_the_old_spot_keeps_the_note() -> None:
    passage = (  # more than CONTEXT_CHARS on each side of the quote: the copies look alike
        "In a long speech to parliament the minister said that sanctions on Russia "
        "would follow within weeks unless the talks in Brussels made progress.\n\n"
    )
    old = "Intro.\n\n" + passage + passage
    first = old.index(QUOTE)
    second = old.index(QUOTE, first + 1)
    prefix, suffix = context(old, second, second + len(QUOTE))
    assert reanchor(old, second, second + len(QUOTE), QUOTE, prefix, suffix).status == "anchored"
    moved = "Longer intro here.\n\n" + passage + passage  # both copies shifted: a true tie
    placed = reanchor(moved, second, second + len(QUOTE), QUOTE, prefix, suffix)
    assert placed.status == "orphaned"
