"""Re-anchoring benchmark: how many highlights are found again after heavier edits, and how many
land on wrong text (must be none).

Documents are the bundled articles' paragraphs as word tokens; each trial highlights 1-12
consecutive words, applies N random edits (word insertions, deletions, transposition typos,
paragraph moves, blank-line changes; the same edit model as tests/unit/test_reanchoring.py),
and re-anchors. Because every word is tracked, we know where a highlight truly went when it
survived verbatim. Reported per edit count: the share of verbatim survivors placed exactly
where they went, the share of highlights whose words were edited (typo inside) placed as
`fuzzy` on the right spot, orphans, "twins" (placed on another copy of the same words
that the stored quote and context cannot tell from the right one: repeated captions), and
WRONG placements (anywhere else; printed, must be 0). Baseline in the same run: "exact
quote only" (first occurrence of the quote, the naive design), which shows what the context
checks buy. Run: `python bench/reanchor_bench.py [trials]`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reader.annotate.anchoring import context, context_similarity, reanchor
from tests.unit.reanchor_model import Token, apply_edits, render, token, true_span

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def corpus_paragraphs() -> list[list[str]]:
    paragraphs = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text("utf-8").split("\n"):
            words = line.split()
            if len(words) >= 6:
                paragraphs.append(words)
    return paragraphs


def overlaps_edit(run: list[Token], new_doc: list[list[Token]]) -> bool:
    """True when one of the run's tokens was changed in place (a typo inside the quote)."""
    texts = {t.id: t.text for p in new_doc for t in p}
    return any(t.id in texts and texts[t.id] != t.text for t in run)


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rng = random.Random(11)
    source = corpus_paragraphs()
    print(f"{trials} trials per row, highlights of 1-12 words in 8-paragraph excerpts")
    headers = ["edits", "survived", "found right", "naive right", "typo in quote",
               "fuzzy right", "orphaned", "twin", "WRONG"]  # fmt: skip
    widths = [5, 9, 12, 12, 14, 12, 9, 5, 6]
    print(" ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for edit_count in (1, 3, 6, 10):
        survived = found = naive = typo = fuzzy_right = orphaned = wrong = lookalike = 0
        for _ in range(trials):
            start_p = rng.randrange(0, len(source) - 8)
            doc = [[token(w) for w in p] for p in source[start_p : start_p + 8]]
            gaps = ["\n\n"] * 7
            text, spans = render(doc, gaps)
            p = rng.randrange(len(doc))
            i = rng.randrange(len(doc[p]))
            j = min(len(doc[p]), i + rng.randint(1, 12))
            run = doc[p][i:j]
            start, end = spans[run[0].id][0], spans[run[-1].id][1]
            quote = text[start:end]
            prefix, suffix = context(text, start, end)
            new_doc, new_gaps = apply_edits(rng, doc, gaps, edit_count)
            new_text, new_spans = render(new_doc, new_gaps)
            placed = reanchor(new_text, start, end, quote, prefix, suffix)
            truth = true_span(new_doc, new_gaps, run)
            if placed.status == "orphaned":
                orphaned += 1
            landed = new_text[placed.start : placed.end]
            if truth is not None:
                survived += 1
                found += (placed.start, placed.end) == truth
                naive += new_text.find(quote) == truth[0]
                elsewhere = placed.status != "orphaned" and (placed.start, placed.end) != truth
                if (
                    elsewhere
                    and landed == quote
                    and context_similarity(new_text, placed.start, len(quote), prefix, suffix)
                    >= context_similarity(new_text, truth[0], len(quote), prefix, suffix)
                ):
                    lookalike += 1  # another copy the stored quote and context cannot tell apart
                    elsewhere = False
            elif overlaps_edit(run, new_doc) and all(t.id in new_spans for t in run):
                typo += 1
                true_start = new_spans[run[0].id][0]
                fuzzy_right += placed.status == "fuzzy" and abs(placed.start - true_start) <= 2
                elsewhere = placed.status == "fuzzy" and abs(placed.start - true_start) > 2
            else:
                elsewhere = False
            if elsewhere:
                wrong += 1
                print(f"elsewhere ({placed.status}): {quote!r} -> {landed!r}")
        share = lambda n, d: f"{100 * n / d:5.1f}%" if d else "   n/a"  # noqa: E731
        row = [str(edit_count), share(survived, trials), share(found, survived),
               share(naive, survived), share(typo, trials), share(fuzzy_right, typo),
               share(orphaned, trials), str(lookalike), str(wrong)]  # fmt: skip
        print(" ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
