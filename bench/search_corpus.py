"""Seeded synthetic corpus for the search benchmark.

Articles are prose over a Zipf-distributed vocabulary (function words, domain words and 150,000
made-up content words), with accented Serbian proper names sprinkled in, and a few Polish,
Nordic and German ones (letters without a Unicode decomposition: Ł, Ø, ß, Æ, Þ). Article `i`
depends only on (seed, i), so the 1,000-article corpus is the first tenth of the 10,000-article
one and a query planted in it has the same right answer in both. Annotations (highlights with
hierarchical tags and notes) are written straight into the store in one transaction, so the
search triggers run exactly as they do for highlights made in the app.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

FUNCTION_WORDS = (
    "the of and to in a is that for on with as by was it at from he said be has have his are "
    "not this which an its but after had were they been also who their more than will would "
    "over when about there one into all new two last up year out can could other some what "
    "only most against since them before so under while between during three where we those "
    "still may because both such then now through these first any while many very"
).split()
DOMAIN_WORDS = (
    "serbia russia belgrade moscow sanctions arms contracts energy gas pipeline defense minister "
    "president government analysts policy european union neutrality weapons purchases military "
    "relations cooperation pressure western balkans kremlin ukraine war security council "
    "election parliament opposition protest treaty embassy alliance agreement negotiations "
    "accession reforms corruption investment exports imports summit delegation spokesman"
).split()
FIRST_NAMES = (
    "Aleksandar Milan Ana Ivica Nebojša Jelena Dragan Miloš Željko Đorđe Vuk Zoran Maja "
    "Snežana Tomislav Branislav Goran Dušan Ljiljana Aleksandra Marija Siniša Stefan Miroslav"
).split()
# Names and places spelt with letters that have no Unicode decomposition (Ł, Ø, ß, Æ, Þ; Đ is
# in the Serbian names above): typed without them, they are what the folding must find (#16).
FOREIGN_FIRST_NAMES = "Łukasz Bjørn Ægir Þórir Søren Małgorzata".split()
FOREIGN_LAST_NAMES = "Østergaard Þórsson Strauß Wałęsa Sæther Kießling Løkke Ægisdóttir".split()
FOREIGN_PLACES = "Ærø Łódź Gießen Tromsø Þingvellir Białystok".split()
LAST_NAMES = (
    "Vučić Mojsilović Dačić Brnabić Šapić Đurić Vulin Selaković Jovanović Petrović Nikolić "
    "Stojanović Živković Ćirić Kovačević Babić Marković Đorđević Milošević Tomašević Šešelj "
    "Obradović Lazarević Radovanović Žigmanov Čolić Gašić Stefanović Ivković Mićunović"
).split()
PLACES = "Čačak Niš Užice Šabac Požarevac Kraljevo Smederevo Zaječar Vršac Subotica".split()
SYLLABLES = (
    "ka ro min tel vas ur bel dor ni sta pre kon tra vi lo mar gen sel pol ter an es in ol "
    "ru ba de fi go ha je ku le mo nu pa ri sa to va za bro cri dra fle gri pla tru zel"
).split()
TAGS = (
    "actor/russia actor/serbia actor/serbia/government actor/eu actor/usa actor/china "
    "topic/energy topic/energy/gas topic/arms topic/sanctions topic/elections topic/media "
    "method/quote method/statistic geopolitics follow-up contradiction background key-claim"
).split()
NOTE_WORDS = (
    "check compare source claim contradicts earlier statement verify numbers context see also "
    "important background follow up unclear quote later timeline ask expert disputed figure"
).split()
MONTHS = "January February March April May June July August September October November December"


def _made_up_words(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass
class Vocabulary:
    """Words by Zipf rank with cumulative weights for `random.choices`."""

    words: list[str]
    cumulative: list[float]


def make_vocabulary(seed: int = 11, made_up: int = 150_000) -> Vocabulary:
    rng = random.Random(seed)
    words = FUNCTION_WORDS + DOMAIN_WORDS
    taken = set(words)
    words += [w for w in _made_up_words(rng, made_up + 1000) if w not in taken][:made_up]
    weights = [1.0 / (rank + 2.7) ** 1.05 for rank in range(len(words))]
    return Vocabulary(words, list(itertools.accumulate(weights)))


def _sentence(rng: random.Random, vocab: Vocabulary) -> str:
    words = rng.choices(vocab.words, cum_weights=vocab.cumulative, k=rng.randint(8, 22))
    for i in range(len(words)):
        roll = rng.random()
        if roll < 0.02:
            words[i] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        elif roll < 0.035:
            words[i] = rng.choice(LAST_NAMES)
        elif roll < 0.04:
            words[i] = rng.choice(PLACES)
        elif roll < 0.043:
            words[i] = f"{rng.choice(FOREIGN_FIRST_NAMES)} {rng.choice(FOREIGN_LAST_NAMES)}"
        elif roll < 0.046:
            words[i] = rng.choice(FOREIGN_LAST_NAMES + FOREIGN_PLACES)
    if len(words) > 10 and rng.random() < 0.5:
        words[rng.randint(3, len(words) - 4)] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_article(i: int, vocab: Vocabulary, seed: int = 7) -> str:
    """Article `i`: a title, a byline, a dateline and 12-14 paragraphs (~900 words)."""
    rng = random.Random(seed * 1_000_003 + i)
    title = " ".join(rng.choices(vocab.words[40:3000], k=rng.randint(5, 9))).title()
    byline = f"By {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    dateline = f"{rng.choice(MONTHS.split())} {rng.randint(1, 28)}, {rng.randint(2014, 2025)}"
    paragraphs = []
    for _ in range(rng.randint(12, 14)):
        sentences = []
        words = 0
        while words < 55:
            sentence = _sentence(rng, vocab)
            words += sentence.count(" ") + 1
            sentences.append(sentence)
        paragraphs.append(" ".join(sentences))
    return "\n\n".join([title, byline, dateline, *paragraphs]) + "\n"


def make_corpus(corpus: Path, count: int, vocab: Vocabulary, seed: int = 7) -> int:
    """Write `count` articles to `corpus/`; returns the bytes written."""
    corpus.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        data = make_article(i, vocab, seed).encode("utf-8")
        (corpus / f"{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


_WORD = re.compile(r"[^\W_]+")


Highlight = tuple[str, int, int, str, str, list[str]]  # doc path, start, end, quote, note, tags


def make_annotations(
    db: sqlite_utils.Database, per_document: int = 5, seed: int = 13
) -> list[Highlight]:
    """Highlight `per_document` sentences of every document, with 0-3 tags and (mostly) a note.

    Inserted with plain SQL inside the caller's transaction (the search triggers fire as for any
    highlight, one statement each, as the app makes them).
    """
    rng = random.Random(seed)
    tag_ids = {}
    for name in TAGS:
        key = name.casefold()
        row = db.execute("SELECT id FROM tags WHERE key = ?", [key]).fetchone()
        if row is None:
            cursor = db.execute(
                "INSERT INTO tags (name, key, color) VALUES (?, ?, '#e5c07b')", [name, key]
            )
            tag_ids[name] = int(cursor.lastrowid or 0)
        else:
            tag_ids[name] = int(row[0])
    made = []
    rows = db.execute(
        "SELECT d.id, d.path, d.content_hash, t.text FROM documents d JOIN document_texts t "
        "ON t.document_id = d.id WHERE d.status = 'ok' ORDER BY d.path"
    ).fetchall()
    for doc_id, path, digest, text in rows:
        sentence_ends = [m.end() for m in re.finditer(r"\. ", text)]
        for _ in range(per_document):
            if len(sentence_ends) < 3:
                break
            k = rng.randrange(len(sentence_ends) - 1)
            start, end = sentence_ends[k], sentence_ends[k + 1] - 1
            quote = text[start:end]
            tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3)))
            note = ""
            if rng.random() < 0.8:
                quote_words = _WORD.findall(quote)
                picked = rng.sample(quote_words, min(2, len(quote_words)))
                note = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(3, 8)) + picked).capitalize()
            cursor = db.execute(
                'INSERT INTO annotations (uid, document_id, start, "end", quote, prefix, suffix, '
                "content_hash, note, status, created, updated) "
                "VALUES (?, ?, ?, ?, ?, '', '', ?, ?, 'anchored', 't', 't')",
                [
                    f"{doc_id}-{start}-{rng.getrandbits(32)}",
                    doc_id,
                    start,
                    end,
                    quote,
                    digest,
                    note,
                ],
            )
            ann_id = int(cursor.lastrowid or 0)
            for tag in tags:
                db.execute(
                    "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)",
                    [ann_id, tag_ids[tag]],
                )
            made.append((path, start, end, quote, note, tags))
    return made


@dataclass(frozen=True)
class PlantedQuery:
    """A benchmark query and its right answer: a paragraph (doc path and span) or a highlight
    (doc path and its span)."""

    kind: str
    query: str
    doc: str
    start: int
    end: int
    highlight: bool = False
    words: tuple[str, ...] = ()  # the query's words spelt right: they tell the paragraph apart
    tags: tuple[str, ...] = ()  # else, any highlight carrying one of these tags is right
    word: str = ""  # else, any result whose snippet holds this word is right


_ACCENTED = str.maketrans("čćšžđČĆŠŽĐ", "ccszdCCSZD")


def _typo(word: str, rng: random.Random) -> str:
    """Swap two neighbouring letters inside the word (never the first)."""
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for line in text.split("\n"):
        if len(line) > 200:
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def plant_queries(
    corpus: Path,
    vocab: Vocabulary,
    highlights: list[Highlight],
    documents: int = 1000,
    per_kind: int = 6,
    seed: int = 5,
) -> list[PlantedQuery]:
    """Queries of each kind whose right answer is a paragraph or highlight of the first
    `documents` articles (so they hold in the 1,000- and the 10,000-article corpus alike).

    `highlights` are (doc path, start, end, quote, note, tags) of the corpus's highlights.
    Queries use distinctive words (rank past 2,000 in the Zipf order, 6+ letters), as a user
    remembering a passage would.
    """
    rng = random.Random(seed)
    rank = {w: i for i, w in enumerate(vocab.words)}

    def distinctive(word: str) -> bool:
        return rank.get(word.lower(), 0) >= 2000 and len(word) >= 6

    def rarest(words: list[str]) -> list[str]:
        """The rarer half of `words`: a name is in hundreds of paragraphs at 100,000 articles,
        and only a rare word tells its paragraph apart."""
        ranked = sorted(set(words), key=lambda w: -rank.get(w.lower(), 0))
        return ranked[: max(1, len(ranked) // 2)]

    queries: list[PlantedQuery] = []
    picks = rng.sample(range(documents), per_kind * 8)
    texts = {i: (corpus / f"{i:05d}.txt").read_text("utf-8") for i in picks}
    for n, i in enumerate(picks):
        kind = ("typo", "accents", "phrase_typo", "partial")[n % 4]
        if sum(q.kind == kind for q in queries) >= per_kind:
            continue
        text, path = texts[i], f"{i:05d}.txt"
        for start, end in rng.sample(_paragraphs(text), len(_paragraphs(text))):
            words = [(m.group(), m.start()) for m in _WORD.finditer(text, start, end)]
            rare = [w for w, _ in words if distinctive(w)]
            if kind == "typo" and len(set(rare)) >= 2:
                a, b = rng.sample(sorted(set(rare)), 2)
                query, right = f"{a} {_typo(b, rng)}", (a, b)
            elif kind == "accents":
                names = [w for w, _ in words if w.translate(_ACCENTED) != w and len(w) >= 5]
                if not names or not rare:
                    continue
                name, other = rng.choice(names), rng.choice(rarest(rare))
                query, right = f"{name.translate(_ACCENTED)} {other}", (name, other)
            elif kind == "phrase_typo":
                runs = [
                    k
                    for k in range(len(words) - 3)
                    if any(distinctive(w) for w, _ in words[k : k + 4])
                    and all(len(w) > 1 for w, _ in words[k : k + 4])
                ]
                if not runs:
                    continue
                k = rng.choice(runs)
                run = [w for w, _ in words[k : k + 4]]
                right = tuple(run)
                longest = max(range(4), key=lambda j: len(run[j]))
                run[longest] = _typo(run[longest], rng) if len(run[longest]) > 3 else run[longest]
                query = " ".join(run)
            elif kind == "partial" and len(set(rare)) >= 2:
                long_words = [w for w in set(rare) if len(w) >= 8]
                if not long_words:
                    continue
                b = rng.choice(sorted(long_words))
                a = rng.choice(sorted(set(rare) - {b}))
                typed = b[: max(4, len(b) * 3 // 5)]
                query, right = f"{a} {typed}", (a, typed + "*")  # any completion is as right
            else:
                continue
            queries.append(PlantedQuery(kind, query, path, start, end, words=right))
            break
    in_range = [h for h in highlights if int(h[0][:5]) < documents]
    tagged = [h for h in in_range if h[5] and any(distinctive(w) for w in _WORD.findall(h[3]))]
    for h in rng.sample(tagged, per_kind):
        path, start, end, quote, _, tags = h
        tag = rng.choice(tags)
        prefix = tag.split("/")[0] if "/" in tag and rng.random() < 0.5 else tag[: len(tag) - 2]
        word = rng.choice([w for w in _WORD.findall(quote) if distinctive(w)])
        queries.append(PlantedQuery("tag_prefix", f"tag:{prefix} {word}", path, start, end, True))
    noted = [h for h in in_range if any(distinctive(w) for w in _WORD.findall(h[4]))]
    for h in rng.sample(noted, per_kind):
        path, start, end, _, note, _ = h
        words = _WORD.findall(note)
        rare = [w for w in words if distinctive(w)]
        common = [w for w in words if w.lower() in NOTE_WORDS]
        fragment = [rng.choice(common), rng.choice(rare)] if common else [rng.choice(rare)]
        queries.append(PlantedQuery("note", " ".join(fragment), path, start, end, True))
    return queries
