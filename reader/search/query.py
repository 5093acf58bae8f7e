"""The query language: free words, "exact phrases", -exclusions, tag:/doc:/kind: filters and
filters on the documents' attributes (reader/corpus/attributes.py).

    sanctoins vucic               words, forgiving (typos, accents, case, word order)
    "arms contracts"              these words, in this order
    -russia  -"gas pipeline"      drop results holding the word or phrase
    tag:actor  -tag:background    carrying the tag or one below it (actor/russia); or not
    doc:serbia                    in documents whose path or title holds the text
    kind:note  kind:quote,text    only these kinds of result
    outlet:ECFR  -outlet:ECFR     in documents whose attribute has this value (any case); or not
    outlet:"Foreign Policy"       a value with spaces (quoted values are never ranges)
    year:2022..2024  wave:2..     a range, either end open, as numbers or dates if the
                                  attribute holds only those; a date is its whole period
    outlet:*                      in documents that carry the attribute at all

Any other `NAME:VALUE` word is an attribute filter when NAME is an attribute name (a letter,
then letters, digits, `_ . -`) but no URL scheme, and VALUE does not start with `/` or `:`:
`10:30`, `http://x`, `mailto:a@b` and `std::map` stay text (quoted, any word is text:
"doi:10.1/x"). Filters on one attribute are alternatives (`outlet:ECFR outlet:BIRN`: either);
filters on different attributes, and every other filter, must all hold; `-NAME:VALUE` drops
the documents holding it (keeping those without the attribute). A name no document carries
finds nothing, and `query_problems` (reader/search/attribute_filters.py) says so.

Parsing never fails: anything that is not a filter is text, an unclosed quote runs to the end,
and a query is cut to a sane size. Terms come out folded exactly as the index folds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.corpus.attributes import clean_name
from reader.errors import UsageError
from reader.search.text import TOKEN, fold
from reader.text.attribute_filters import NOT_ATTRIBUTES, AttributeFilter, attribute_filter

KINDS = ("title", "text", "quote", "note", "tag")
KIND_ALIASES = {
    "titles": "title",
    "metadata": "title",
    "passage": "text",
    "passages": "text",
    "paragraph": "text",
    "quotes": "quote",
    "highlight": "quote",
    "highlights": "quote",
    "notes": "note",
    "tags": "tag",
}
FILTERS = ("tag", "doc", "kind")
MAX_QUERY_CHARS = 1000
MAX_TERMS = 12
MAX_PHRASES = 4
MAX_PHRASE_TERMS = 12
MAX_TERM_CHARS = 64
MAX_ATTRIBUTE_FILTERS = 12


@dataclass(frozen=True)
class Term:
    """One query word as the index spells it (`text`) and as typed, lower-cased (`raw`)."""

    text: str
    raw: str


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    kinds: frozenset[str] | None = None
    attributes: tuple[AttributeFilter, ...] = ()
    completing: str | None = None  # the word the query ends in, still being typed: a prefix
    open_phrase: bool = False  # the last phrase is unclosed and ends in a word being typed
    problems: tuple[str, ...] = field(default=())

    @property
    def has_text(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (self.has_text or self.tags or self.docs or self.attributes)


def split_terms(text: str) -> list[Term]:
    """Folded terms of `text`, each with its lower-cased spelling as typed."""
    folded = fold(text)
    lowered = text.lower() if len(text.lower()) == len(text) else folded
    return [
        Term(m.group(), lowered[m.start() : m.end()])
        for m in TOKEN.finditer(folded)
        if len(m.group()) <= MAX_TERM_CHARS
    ]


def _read_quoted(query: str, i: int) -> tuple[str, int, bool]:
    """The text between the quote at `i` and the next one (or the end), where it stops, and
    whether it was closed."""
    close = query.find('"', i + 1)
    if close < 0:
        return query[i + 1 :], len(query), False
    return query[i + 1 : close], close + 1, True


def _read_word(query: str, i: int) -> tuple[str, int]:
    end = i
    while end < len(query) and not query[end].isspace():
        end += 1
    return query[i:end], end


def _kinds(value: str, problems: list[str]) -> set[str]:
    found = set()
    for part in value.split(","):
        name = part.strip().casefold()
        if not name:
            continue
        name = KIND_ALIASES.get(name, name)
        matches = [kind for kind in KINDS if kind.startswith(name)]
        if len(matches) == 1:
            found.add(matches[0])
        else:
            problems.append(f"unknown kind '{part.strip()}' (kinds: {', '.join(KINDS)})")
    return found


def attribute_name(name: str, value: str) -> str | None:
    """The attribute a `name:value` word filters on, or None when the word is text: `name` is
    no attribute name (`10:30`) or a URL scheme (`mailto:`), or `value` starts like a URL's or
    C++'s (`//`, `::`)."""
    if not value or value[0] in "/:":
        return None
    try:
        name = clean_name(name)
    except UsageError:
        return None
    return None if name in NOT_ATTRIBUTES else name


def parse_query(query: str) -> ParsedQuery:
    """Read `query` into words, phrases, exclusions and filters; never raises."""
    query = query[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    tags: list[str] = []
    excluded_tags: list[str] = []
    docs: list[str] = []
    kinds: set[str] = set()
    attributes: list[AttributeFilter] = []
    kind_given = False
    problems: list[str] = []
    ends_in_word = False
    open_phrase = False
    i = 0
    while i < len(query):
        ends_in_word = False
        if query[i].isspace():
            i += 1
            continue
        negated = query[i] == "-" and i + 1 < len(query) and not query[i + 1].isspace()
        if negated:
            i += 1
        if query[i] == '"':
            text, i, closed = _read_quoted(query, i)
            words = tuple(t.text for t in split_terms(text))[:MAX_PHRASE_TERMS]
            if words:
                (excluded if negated else phrases).append(words)
                open_phrase = not negated and not closed and bool(TOKEN.search(text[-1:]))
            continue
        word, i = _read_word(query, i)
        name, colon, value = word.partition(":")
        attribute = None
        if colon and name.casefold() not in FILTERS:
            attribute = attribute_name(name, value)
        if colon and (name.casefold() in FILTERS or attribute):
            quoted = value.startswith('"')
            if quoted:
                value, i, _ = _read_quoted(query, i - len(value))
            value = " ".join(value.split())
            if not value:
                continue
            filter_name = name.casefold()
            if attribute:
                attributes.append(attribute_filter(attribute, value, quoted, negated))
            elif filter_name == "tag":
                (excluded_tags if negated else tags).append(value)
            elif filter_name == "doc":
                docs.append(value)
            else:
                kind_given = True
                kinds |= _kinds(value, problems)
            continue
        words = tuple(t.text for t in split_terms(word))
        if negated:
            if words:
                excluded.append(words)
        else:
            terms.extend(split_terms(word))
            ends_in_word = bool(terms) and i == len(query) and bool(TOKEN.search(word[-1:]))
    unique_terms = list({term.text: term for term in terms}.values())
    if len(unique_terms) > MAX_TERMS:
        problems.append(f"only the first {MAX_TERMS} words are searched")
    if len(attributes) > MAX_ATTRIBUTE_FILTERS:
        problems.append(f"only the first {MAX_ATTRIBUTE_FILTERS} attribute filters are used")
    return ParsedQuery(
        terms=tuple(unique_terms[:MAX_TERMS]),
        phrases=tuple(phrases[:MAX_PHRASES]),
        excluded=tuple(excluded[:MAX_PHRASES]),
        tags=tuple(tags),
        excluded_tags=tuple(excluded_tags),
        docs=tuple(docs),
        kinds=frozenset(kinds) if kind_given and kinds else None,
        attributes=tuple(attributes[:MAX_ATTRIBUTE_FILTERS]),
        completing=terms[-1].text if ends_in_word else None,
        open_phrase=open_phrase and len(phrases) <= MAX_PHRASES,
        problems=tuple(problems),
    )
