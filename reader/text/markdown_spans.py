"""Where a Markdown article's body starts and which of its spans are headings, emphasis, links…

Pure text in, code-point offsets out, so the reading view can style a Markdown article while
every offset still counts into the one canonical text (nothing is removed or rewritten). A
pragmatic subset of CommonMark, made to be fast and safe on any text rather than complete: each
line is classified once, inline markers are found by possessive regexes and matched with stacks,
so the work is linear in the text (no catastrophic backtracking on `*` * 10,000).

The spans rule: spans are laminar — any two are either disjoint or one contains the other (a
marker inside its emphasis, an emphasis inside its heading or link) — and sorted by start, an
outer span before the spans it holds (so also at an equal start); the inner span's style goes on
top of the outer one's. No span is empty, none starts before the body.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import NamedTuple

# The same rule as reader.corpus.frontmatter (copied: text helpers import nothing above them).
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

HEADING_KINDS = ("heading1", "heading2", "heading3", "heading4", "heading5", "heading6")
KINDS = (
    *HEADING_KINDS, "marker", "emphasis", "strong", "strong_emphasis", "code", "code_block",
    "link", "quote", "bullet",
)  # fmt: skip

_BLOCK_START = frozenset(" \t#`~>-+*_=0123456789")  # lines starting otherwise are plain text
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_FENCE = re.compile(r" {0,3}(`{3,}+|~{3,}+)")
_QUOTE = re.compile(r" {0,3}>[ \t]?")
_BULLET = re.compile(r" *+(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}+|(?:-[ \t]*){3,}+|(?:_[ \t]*){3,}+)$")
_SETEXT = re.compile(r" {0,3}(?:=++|-++)[ \t]*$")
_INLINE_CHARS = re.compile(r"[`*_\[<]")
# A pattern that starts with a repeat gets no fast scan for its first character in `re`, one
# that starts with a group does: `(x)\1*+` finds runs of `x` several times faster than `x++`.
_BACKTICKS = re.compile(r"(`)\1*+")
_DELIMITERS = re.compile(r"([*_])\1*+")
_LINK = re.compile(
    r"(\[)([^\[\]\n]*+)(\]\()([^()\s]*+(?:\([^()\s]*+\)[^()\s]*+)?(?:[ \t]+\"[^\"\n]*+\")?)\)"
)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]++>")


Span = tuple[int, int, str]
"""[start, end) of the canonical text, drawn as `kind` (one of KINDS)."""


class MarkdownSpans(NamedTuple):
    """A Markdown document read for display: the body's first offset and its styled spans."""

    body_start: int
    spans: list[Span]


def front_matter_end(text: str) -> int:
    """Where the body starts: just past a leading `---` YAML block, else 0."""
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


def markdown_spans(text: str) -> MarkdownSpans:
    """The body start and the styled spans of the Markdown document `text` (see the module's
    rule on how spans nest)."""
    body_start = front_matter_end(text)
    spans: list[Span] = []
    _Blocks(text, spans).read(body_start)
    spans.sort(key=itemgetter(0))  # stable: an outer span is added before what it holds
    return MarkdownSpans(body_start, spans)


class _Blocks:
    """One pass over the lines: fences, headings, quotes, list items and paragraphs; the text
    of paragraphs and headings goes to `_inline`."""

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.text = text
        self.spans = spans
        self.paragraph: tuple[int, int] | None = None  # [start, end) of the open paragraph
        self.quote: tuple[int, int] | None = None  # [start, end) of the open block quote
        self.quote_at = 0  # the index in `spans` kept for the open quote's span
        self.item = False  # the open paragraph is a list item's (never a setext heading)

    def read(self, start: int) -> None:
        text, spans = self.text, self.spans
        fence: tuple[str, int, int] | None = None  # (fence char, length, content start)
        position = start
        for line in text[start:].split("\n"):
            line_start, line_end = position, position + len(line)
            position = line_end + 1
            if fence is not None:
                if _closes(line, fence[0], fence[1]):
                    if line_start - 1 > fence[2]:
                        spans.append((fence[2], line_start - 1, "code_block"))
                    spans.append((line_start, line_end, "marker"))
                    fence = None
                continue
            if not line.strip():
                self._end_paragraph()
                self._end_quote()
                continue
            if line[0] not in _BLOCK_START:
                self._end_quote()
                self._continue_paragraph(line_start, line_end)
                continue
            opening = _FENCE.match(line)
            if opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end() :]):
                self._end_paragraph()
                self._end_quote()
                if line_end > line_start:
                    spans.append((line_start, line_end, "marker"))
                fence = (opening.group(1)[0], len(opening.group(1)), line_end + 1)
                continue
            self._block_line(line, line_start, line_end)
        if fence is not None and len(text) > fence[2]:  # an unclosed fence runs to the end
            spans.append((fence[2], len(text), "code_block"))
        self._end_paragraph()
        self._end_quote()

    def _block_line(self, line: str, line_start: int, line_end: int) -> None:
        """A line that may start a block: heading, rule, setext underline, quote or item."""
        spans = self.spans
        setext = _SETEXT.match(line)
        if setext and self.paragraph is not None and self.quote is None and not self.item:
            start, _ = self.paragraph
            self.paragraph = None
            level = "heading1" if line.lstrip()[0] == "=" else "heading2"
            spans.append((start, line_end, level))
            spans.append((line_start, line_end, "marker"))
            _inline(self.text, start, line_start - 1, spans)
            return
        if _RULE.match(line):
            self._end_paragraph()
            self._end_quote()
            spans.append((line_start, line_end, "marker"))
            return
        heading = _ATX.match(line)
        if heading:
            self._end_paragraph()
            self._end_quote()
            spans.append((line_start, line_end, HEADING_KINDS[len(heading.group(1)) - 1]))
            spans.append((line_start, line_start + heading.end(1), "marker"))
            content_end = line_start + _closing_hashes(line, heading.end())
            if content_end < line_end:
                spans.append((content_end, line_end, "marker"))
            _inline(self.text, line_start + heading.end(), content_end, spans)
            return
        content = line_start
        quote = _QUOTE.match(line)
        if quote:
            if self.quote is None:
                self._end_paragraph()
                self.quote = (line_start, line_end)
                self.quote_at = len(spans)
                spans.append((line_start, line_end, "quote"))  # its end is set when it ends
            else:
                self.quote = (self.quote[0], line_end)
            spans.append((line_start, line_start + quote.end(), "marker"))
            content += quote.end()
            if not line[quote.end() :].strip():  # an empty quote line ends a paragraph
                self._end_paragraph()
                return
        else:
            self._end_quote()
        bullet = _BULLET.match(self.text, content, line_end)
        if bullet:
            self._end_paragraph()
            spans.append((content, bullet.end(), "bullet"))
        self._continue_paragraph(content, line_end)
        self.item = self.item or bullet is not None

    def _continue_paragraph(self, start: int, end: int) -> None:
        if self.paragraph is None:
            self.paragraph = (start, end)
        else:
            self.paragraph = (self.paragraph[0], end)

    def _end_paragraph(self) -> None:
        if self.paragraph is not None:
            _inline(self.text, *self.paragraph, self.spans)
            self.paragraph = None
        self.item = False

    def _end_quote(self) -> None:
        if self.quote is not None:
            self._end_paragraph()  # a paragraph in a quote ends with it: its spans stay inside
            self.spans[self.quote_at] = (*self.quote, "quote")
            self.quote = None


def _closes(line: str, char: str, length: int) -> bool:
    """True if `line` closes a fence of `length` `char`s: as many or more, then only spaces."""
    closing = _FENCE.match(line)
    if closing is None:
        return False
    marks = closing.group(1)
    return marks[0] == char and len(marks) >= length and not line[closing.end() :].strip()


def _closing_hashes(line: str, content: int) -> int:
    """Where an ATX heading's optional closing `#`s (and the spaces before them) begin."""
    stripped = line.rstrip(" \t")
    text = stripped.rstrip("#")
    if len(text) == len(stripped) or len(text) < content:
        return len(line)
    if len(text) == content:  # nothing but closing hashes after the opening ones
        return content
    return len(text.rstrip(" \t")) if text[-1] in " \t" else len(line)


def _inline(text: str, start: int, end: int, spans: list[Span]) -> None:
    """Code spans, links and emphasis of the paragraph text[start:end].

    Code spans come first (nothing inside them is Markdown), then links (a link that would cut
    a code span is no link), then emphasis, matched separately outside links and inside each
    link's text, so that what is found always nests.
    """
    if end <= start or _INLINE_CHARS.search(text, start, end) is None:
        return
    codes = _code_spans(text, start, end, spans) if text.find("`", start, end) >= 0 else []
    links: list[tuple[int, int]] = []  # whole links: no emphasis starts or ends in one…
    scopes: list[tuple[int, int]] = []  # …but in its text, matched on its own
    if text.find("[", start, end) >= 0 or text.find("<", start, end) >= 0:
        code_starts = [a for a, _ in codes]
        for link in _links(text, start, end):
            if codes and any(_cuts(codes, code_starts, boundary) for boundary in link):
                continue  # a code span would cross the link's brackets
            open_start, text_start, text_end, link_end = link
            spans.append((open_start, link_end, "link"))
            spans.append((open_start, text_start, "marker"))
            if text_end < link_end:
                spans.append((text_end, link_end, "marker"))
            links.append((open_start, link_end))
            if text_end > text_start:
                scopes.append((text_start, text_end))
    if text.find("*", start, end) >= 0 or text.find("_", start, end) >= 0:
        _emphasis(text, start, end, codes, links, scopes, spans)


def _code_spans(text: str, start: int, end: int, spans: list[Span]) -> list[tuple[int, int]]:
    """Add the code spans of text[start:end] (an opening backtick run closes at the next run
    of the same length) and return their [start, end), in order."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
    following: dict[int, int] = {}  # run length -> index of the next run that long
    next_same = [0] * len(runs)
    for index in range(len(runs) - 1, -1, -1):
        size = runs[index][1] - runs[index][0]
        next_same[index] = following.get(size, -1)
        following[size] = index
    codes = []
    index = 0
    while index < len(runs):
        closer = next_same[index]
        if closer < 0:
            index += 1
            continue
        (open_start, open_end), (close_start, close_end) = runs[index], runs[closer]
        spans.append((open_start, close_end, "code"))
        spans.append((open_start, open_end, "marker"))
        spans.append((close_start, close_end, "marker"))
        codes.append((open_start, close_end))
        index = closer + 1
    return codes


def _links(text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(start, text start, text end, end) of `[text](url)`, `![alt](src)` and `<url>`."""
    found = [(m.start(), m.start(2), m.end(2), m.end()) for m in _LINK.finditer(text, start, end)]
    found = [
        (link[0] - 1, *link[1:]) if link[0] > start and text[link[0] - 1] == "!" else link
        for link in found
    ]  # an image: `![alt](src)`
    found += [
        (m.start(), m.start() + 1, m.end() - 1, m.end())
        for m in _AUTOLINK.finditer(text, start, end)
    ]
    found.sort()
    kept: list[tuple[int, int, int, int]] = []
    for link in found:
        if not kept or link[0] >= kept[-1][3]:
            kept.append(link)
    return kept


def _cuts(regions: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """True if `offset` falls strictly inside one of the sorted disjoint `regions`."""
    index = bisect_right(starts, offset) - 1
    return index >= 0 and regions[index][0] < offset < regions[index][1]


def _inside(regions: list[tuple[int, int]], starts: list[int], offset: int) -> int:
    """The index of the region of sorted disjoint `regions` holding `offset`, else -1."""
    index = bisect_right(starts, offset) - 1
    return index if index >= 0 and offset < regions[index][1] else -1


def _emphasis(
    text: str, start: int, end: int, codes: list[tuple[int, int]],
    links: list[tuple[int, int]], scopes: list[tuple[int, int]], spans: list[Span],
) -> None:  # fmt: skip
    """Match `*` and `_` runs with a stack per character and per scope (outside links, or
    inside one link's text); a match drops the openers it encloses, so spans always nest.

    Whether a run may open or close follows CommonMark's flanking rules (a run after a space
    opens, before one closes; `_` never opens or closes inside a word).
    """
    code_starts = [a for a, _ in codes]
    link_starts = [a for a, _ in links]
    scope_starts = [a for a, _ in scopes]
    stacks: dict[tuple[int, str], list[list[int]]] = {}  # (scope, char) -> [start, end] openers
    for match in _DELIMITERS.finditer(text, start, end):
        run_start, run_end = match.span()
        if codes and _inside(codes, code_starts, run_start) >= 0:
            continue  # nothing in a code span is Markdown
        scope = -1
        if links and _inside(links, link_starts, run_start) >= 0:
            scope = _inside(scopes, scope_starts, run_start)
            if scope < 0:
                continue  # in a link's brackets or address
        before = text[run_start - 1] if run_start > start else " "
        after = text[run_end] if run_end < end else " "
        before_space, after_space = before.isspace(), after.isspace()
        before_punct = not before_space and not before.isalnum()
        after_punct = not after_space and not after.isalnum()
        can_open = not after_space and (not after_punct or before_space or before_punct)
        can_close = not before_space and (not before_punct or after_space or after_punct)
        char = text[run_start]
        if char == "_":
            can_open, can_close = (
                can_open and (not can_close or before_punct),
                can_close and (not can_open or after_punct),
            )
        openers = stacks.setdefault((scope, char), [])
        others = stacks.setdefault((scope, "_" if char == "*" else "*"), [])
        while can_close and run_start < run_end and openers:
            opener = openers[-1]
            used = min(opener[1] - opener[0], run_end - run_start)
            kind = "emphasis" if used == 1 else "strong" if used == 2 else "strong_emphasis"
            spans.append((opener[1] - used, run_start + used, kind))
            spans.append((opener[1] - used, opener[1], "marker"))
            spans.append((run_start, run_start + used, "marker"))
            while others and others[-1][0] >= opener[1]:
                others.pop()  # openers of the other character inside this span stay literal
            opener[1] -= used
            run_start += used
            if opener[1] == opener[0]:
                openers.pop()
        if can_open and run_start < run_end:
            openers.append([run_start, run_end])
