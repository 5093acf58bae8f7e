"""Place quotes in canonical text: find occurrences, record context, re-find after edits.

A wrong placement is worse than an orphan, so re-anchoring goes from sure to less sure and
stops early: the old offsets still holding the quote (`anchored`); the quote verbatim elsewhere,
the stored prefix/suffix choosing among repeats (`moved`); a close variant of a long enough quote,
found once, whose surroundings agree when there is any doubt (`fuzzy`). Anything else becomes an
orphan, kept intact with its old quote and context.

Among repeats the context is compared by similarity, as Hypothesis's client does (match-quote:
an edit-distance score of the stored prefix and suffix against the text around each copy), so
a word changed next to the quote still tells its copy from the others. A copy wins only when its
context agrees at least CONTEXT_MIN_SCORE and no other copy comes within CONTEXT_TIE_MARGIN of
it; the old offsets win a tie, as an unchanged text needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.models import AnchorStatus

CONTEXT_CHARS = 48
FUZZY_MIN_SCORE = 90.0  # similarity (0-100) a changed quote must keep to be placed again
FUZZY_MIN_QUOTE = 16  # shorter quotes are too easily confused with look-alikes: never fuzzy
RIVAL_MARGIN = 3.0  # a second spot within this many points of the best makes it ambiguous
CONTEXT_MIN_SCORE = 60.0  # when rivals exist, the winner's surroundings must agree this much
CONTEXT_TIE_MARGIN = 3.0  # among repeats, a copy this close to the best one's context ties it


@dataclass(frozen=True)
class Placement:
    """Where an annotation now sits, and how it was found."""

    start: int
    end: int
    status: AnchorStatus


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `quote` in `text`."""
    if not quote:
        return []
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix around [start, end), CONTEXT_CHARS each where the text has them."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def context_similarities(text: str, at: int, length: int, prefix: str, suffix: str) -> list[float]:
    """How much (0-100) the text before and after the quote at `at` reads like the stored
    prefix and suffix (rapidfuzz's normalised Indel ratio against text of the same length);
    one score per side that has stored context."""
    from rapidfuzz import fuzz  # loaded when a highlight is re-placed, not by every command

    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, text[max(0, at - len(prefix)) : at]))
    if suffix:
        scores.append(fuzz.ratio(suffix, text[at + length : at + length + len(suffix)]))
    return scores


def context_similarity(text: str, at: int, length: int, prefix: str, suffix: str) -> float:
    """The mean of `context_similarities` (0 when no context was stored)."""
    scores = context_similarities(text, at, length, prefix, suffix)
    return sum(scores) / len(scores) if scores else 0.0


def reanchor(text: str, start: int, end: int, quote: str, prefix: str, suffix: str) -> Placement:
    """Place an annotation in a changed `text`; orphaned when no sure spot exists."""
    candidates = occurrences(text, quote)
    if not candidates:
        return _fuzzy_placement(text, start, end, quote, prefix, suffix)
    if len(candidates) == 1:
        at = candidates[0]
        return Placement(at, at + len(quote), "anchored" if at == start else "moved")
    return _among_repeats(text, start, end, quote, prefix, suffix, candidates)


def _among_repeats(
    text: str, start: int, end: int, quote: str, prefix: str, suffix: str, candidates: list[int]
) -> Placement:
    """The copy whose surroundings read most like the stored context, so a shifted or edited
    text never pins a note on a look-alike: orphaned when no copy's context agrees enough, or
    two agree about as well (unless one is the old spot, which keeps the note)."""
    orphan = Placement(start, end, "orphaned")
    if not prefix and not suffix:  # nothing to tell copies apart: only the old spot will do
        return Placement(start, end, "anchored") if start in candidates else orphan
    sides = {at: context_similarities(text, at, len(quote), prefix, suffix) for at in candidates}
    scores = {at: sum(both) / len(both) for at, both in sides.items()}
    best = max(scores.values())
    winners = [at for at, score in scores.items() if score == best]
    if all(max(sides[at]) < CONTEXT_MIN_SCORE for at in winners):
        return orphan  # no copy the stored context can justify: neither side agrees enough
    if scores.get(start) == best:
        return Placement(start, end, "anchored")
    contenders = [at for at, score in scores.items() if score >= best - CONTEXT_TIE_MARGIN]
    if len(contenders) > 1:
        return orphan  # repeats with nothing sure to tell them apart
    return Placement(contenders[0], contenders[0] + len(quote), "moved")


def context_agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much the text around [start, end) still reads like the stored prefix and suffix."""
    return context_similarity(
        text, start, end - start, prefix[-CONTEXT_CHARS:], suffix[:CONTEXT_CHARS]
    )


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Adjust an alignment's edges (which keep the quote's length) to the most similar span."""
    from rapidfuzz import fuzz

    slack = max(2, len(quote) // 10)
    best = (start, end, fuzz.ratio(quote, text[start:end]))
    for new_start in range(max(0, start - slack), min(len(text), start + slack) + 1):
        for new_end in range(max(new_start + 1, end - slack), min(len(text), end + slack) + 1):
            score = fuzz.ratio(quote, text[new_start:new_end])
            if score > best[2]:
                best = (new_start, new_end, score)
    return best


def _fuzzy_placement(
    text: str, start: int, end: int, quote: str, prefix: str, suffix: str
) -> Placement:
    orphan = Placement(start, end, "orphaned")
    if len(quote.strip()) < FUZZY_MIN_QUOTE:
        return orphan
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_SCORE)
    if found is None:
        return orphan
    new_start, new_end, score = _refine(text, quote, found.dest_start, found.dest_end)
    if score < FUZZY_MIN_SCORE or not text[new_start:new_end].strip():
        return orphan
    masked = text[:new_start] + "\0" * (new_end - new_start) + text[new_end:]
    rival = fuzz.partial_ratio_alignment(quote, masked, score_cutoff=score - RIVAL_MARGIN)
    if rival is not None:
        ours = context_agreement(text, new_start, new_end, prefix, suffix)
        theirs = context_agreement(text, rival.dest_start, rival.dest_end, prefix, suffix)
        if ours < CONTEXT_MIN_SCORE or ours - theirs < 10:
            return orphan  # two look-alike passages and nothing sure to tell them apart
    return Placement(new_start, new_end, "fuzzy")
