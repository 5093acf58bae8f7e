"""A model of documents and edits for re-anchoring tests: we know where every word went.

A document is paragraphs of word tokens (each token a unique object id plus its text); an
annotation is a run of tokens. After edits, an annotation "survives verbatim" when its tokens
are all still there, unchanged, adjacent and in order; then its true new offsets are known.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from hypothesis import strategies as st

WORDS = (
    "serbia russia belgrade moscow sanctions arms contracts energy gas defense minister "
    "president government analysts policy european union neutrality weapons military "
    "relations cooperation pressure western balkans kremlin ukraine war security council "
    "the of and to in a that is for on with as by it"
).split()
_ids = itertools.count()


@dataclass(frozen=True)
class Token:
    id: int
    text: str


Doc = list[list[Token]]


def token(text: str) -> Token:
    return Token(next(_ids), text)


def render(doc: Doc, gaps: list[str]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The text and each token's [start, end); `gaps[i]` separates paragraphs i and i+1."""
    parts, spans, at = [], {}, 0
    for p, paragraph in enumerate(doc):
        for w, tok in enumerate(paragraph):
            if w:
                parts.append(" ")
                at += 1
            spans[tok.id] = (at, at + len(tok.text))
            parts.append(tok.text)
            at += len(tok.text)
        if p < len(doc) - 1:
            gap = gaps[p] if p < len(gaps) else "\n\n"
            parts.append(gap)
            at += len(gap)
    return "".join(parts), spans


def true_span(doc: Doc, gaps: list[str], run: list[Token]) -> tuple[int, int] | None:
    """Where the run of tokens now is, if it survived verbatim (same tokens, adjacent)."""
    for paragraph in doc:
        ids = [t.id for t in paragraph]
        if run[0].id in ids:
            i = ids.index(run[0].id)
            if [t.id for t in paragraph[i : i + len(run)]] == [t.id for t in run] and all(
                a.text == b.text for a, b in zip(paragraph[i : i + len(run)], run, strict=True)
            ):
                _, spans = render(doc, gaps)
                return spans[run[0].id][0], spans[run[-1].id][1]
            return None
    return None


words = st.sampled_from(WORDS)
paragraphs = st.lists(st.lists(words, min_size=4, max_size=25), min_size=3, max_size=10)


def apply_edits(rng: random.Random, doc: Doc, gaps: list[str], count: int) -> tuple[Doc, list[str]]:
    """Apply `count` random edits (insert, delete, typo, paragraph move, blank-line change)."""
    doc = [list(p) for p in doc]
    gaps = list(gaps)
    for _ in range(count):
        kind = rng.choice(["insert", "delete", "typo", "move", "whitespace"])
        p = rng.randrange(len(doc))
        paragraph = doc[p]
        if kind == "insert":
            at = rng.randint(0, len(paragraph))
            new = [token(rng.choice(WORDS)) for _ in range(rng.randint(1, 6))]
            doc[p] = paragraph[:at] + new + paragraph[at:]
        elif kind == "delete" and len(paragraph) > 2:
            at = rng.randint(0, len(paragraph) - 2)
            size = rng.randint(1, min(5, len(paragraph) - at - 1))
            doc[p] = paragraph[:at] + paragraph[at + size :]
        elif kind == "typo":
            at = rng.randrange(len(paragraph))
            old = paragraph[at]
            if len(old.text) > 2:
                i = rng.randint(0, len(old.text) - 2)
                typo = old.text[:i] + old.text[i + 1] + old.text[i] + old.text[i + 2 :]
                doc[p] = [*paragraph[:at], Token(old.id, typo), *paragraph[at + 1 :]]
        elif kind == "move" and len(doc) > 1:
            moved = doc.pop(p)
            doc.insert(rng.randint(0, len(doc)), moved)
        elif kind == "whitespace" and gaps:
            gaps[rng.randrange(len(gaps))] = rng.choice(["\n", "\n\n", "\n\n\n", "\n \n"])
    return doc, gaps
