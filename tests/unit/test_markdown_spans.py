"""Markdown spans: what the reading view styles in a Markdown article, as offsets into its text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text.markdown_spans import KINDS, Span, front_matter_end, markdown_spans


def kinds_of(text: str) -> list[tuple[str, str]]:
    """(kind, the text it covers) for every span, in the order returned."""
    return [(kind, text[start:end]) for start, end, kind in markdown_spans(text).spans]


def assert_well_formed(text: str, body_start: int, spans: list[Span]) -> None:
    """The rule the renderer relies on: sorted by start, outer first, laminar, none empty, all
    in the body."""
    stack: list[Span] = []
    previous_start = body_start
    for span in spans:
        start, end, kind = span
        assert kind in KINDS
        assert body_start <= start < end <= len(text), span
        assert start >= previous_start, "sorted by start"
        previous_start = start
        while stack and stack[-1][1] <= start:
            stack.pop()
        assert not stack or end <= stack[-1][1], f"{span} cuts {stack[-1]}"
        stack.append(span)


def test_front_matter_end_follows_the_corpus_rule() -> None:
    text = "---\ntitle: A\nauthor: B\n---\n# Body\n"
    assert front_matter_end(text) == text.index("# Body")
    assert front_matter_end("---\ntitle: A\n...\nBody") == len("---\ntitle: A\n...\n")
    assert front_matter_end("---\n---\nBody") == len("---\n---\n")
    assert front_matter_end("---\ntitle: A\n---") == len("---\ntitle: A\n---")  # empty body
    assert front_matter_end("Intro\n---\ntitle: A\n---\n") == 0  # not at the very start
    assert front_matter_end("---\ntitle: never closed\n") == 0
    assert front_matter_end("--- \ntitle: A\n--- \nBody") == len("--- \ntitle: A\n--- \n")


def test_no_span_falls_in_the_front_matter() -> None:
    text = "---\ntitle: *Not* **styled**\n---\nBody *styled*\n"
    found = markdown_spans(text)
    assert found.body_start == text.index("Body")
    assert all(start >= found.body_start for start, _, _ in found.spans)
    assert ("emphasis", "*styled*") in kinds_of(text)


def test_atx_headings_by_level_with_their_markers() -> None:
    text = "# One\n## Two ##\n###### Six\n####### seven\n#hashtag\n"
    assert kinds_of(text) == [
        ("heading1", "# One"), ("marker", "#"),
        ("heading2", "## Two ##"), ("marker", "##"), ("marker", " ##"),
        ("heading6", "###### Six"), ("marker", "######"),
    ]  # fmt: skip


def test_setext_headings_but_not_under_a_list_item() -> None:
    text = "Title\n=====\n\nSub *title*\n---\n\n- item\n---\n"
    spans = kinds_of(text)
    assert ("heading1", "Title\n=====") in spans
    assert ("heading2", "Sub *title*\n---") in spans
    assert ("emphasis", "*title*") in spans
    assert not any(kind.startswith("heading") and "item" in covered for kind, covered in spans)


def test_emphasis_strong_and_code_with_dimmed_markers() -> None:
    text = "Some *em* and **strong**, _under_ and ***both*** and `co*de*`.\n"
    assert kinds_of(text) == [
        ("emphasis", "*em*"), ("marker", "*"), ("marker", "*"),
        ("strong", "**strong**"), ("marker", "**"), ("marker", "**"),
        ("emphasis", "_under_"), ("marker", "_"), ("marker", "_"),
        ("strong_emphasis", "***both***"), ("marker", "***"), ("marker", "***"),
        ("code", "`co*de*`"), ("marker", "`"), ("marker", "`"),
    ]  # fmt: skip


def test_no_emphasis_inside_words_with_underscores_or_around_spaces() -> None:
    assert kinds_of("snake_case_name and 2 * 3 * 4 and a ** b\n") == []


def test_emphasis_may_cross_a_soft_line_break_but_not_a_paragraph() -> None:
    assert ("emphasis", "*across\nlines*") in kinds_of("Text *across\nlines* here\n")
    assert kinds_of("Text *not\n\nacross* here\n") == []


def test_links_text_and_address() -> None:
    text = 'See [the *site*](https://example.org/a_(b) "Title") and <https://x.org/p>.\n'
    assert kinds_of(text) == [
        ("link", '[the *site*](https://example.org/a_(b) "Title")'), ("marker", "["),
        ("emphasis", "*site*"), ("marker", "*"), ("marker", "*"),
        ("marker", '](https://example.org/a_(b) "Title")'),
        ("link", "<https://x.org/p>"), ("marker", "<"), ("marker", ">"),
    ]  # fmt: skip


def test_an_image_is_a_link_with_its_bang() -> None:
    assert kinds_of("![alt](pic.png)\n")[:2] == [("link", "![alt](pic.png)"), ("marker", "![")]


def test_quotes_and_list_bullets() -> None:
    text = "> Quoted *words*\n> go on\n\nText\n\n- one\n* two\n  1. three\n"
    spans = kinds_of(text)
    assert spans[:2] == [("quote", "> Quoted *words*\n> go on"), ("marker", "> ")]
    assert ("emphasis", "*words*") in spans
    assert [covered for kind, covered in spans if kind == "bullet"] == ["- ", "* ", "  1. "]


def test_fenced_code_is_not_styled_inside() -> None:
    text = "```python\nx = *a* + `b` # no heading\n```\n~~~\n# still code\n~~~\nAfter *this*\n"
    assert kinds_of(text) == [
        ("marker", "```python"), ("code_block", "x = *a* + `b` # no heading"), ("marker", "```"),
        ("marker", "~~~"), ("code_block", "# still code"), ("marker", "~~~"),
        ("emphasis", "*this*"), ("marker", "*"), ("marker", "*"),
    ]  # fmt: skip


def test_an_unclosed_fence_runs_to_the_end() -> None:
    text = "Intro\n```\ncode *here*\n# too"
    assert kinds_of(text) == [("marker", "```"), ("code_block", "code *here*\n# too")]


def test_a_code_span_wins_over_a_link_and_emphasis_it_crosses() -> None:
    text = "A `code [x` and](y) and *a `b* c`\n"
    spans = kinds_of(text)
    assert ("code", "`code [x`") in spans and ("code", "`b* c`") in spans
    assert not any(kind in ("link", "emphasis") for kind, _ in spans)


def test_thematic_breaks_are_markers() -> None:
    assert kinds_of("Text\n\n***\n\n- - -\n") == [("marker", "***"), ("marker", "- - -")]


def test_hostile_runs_of_markers() -> None:
    stars = "*" * 10_000
    assert kinds_of(stars) == [("marker", stars)]  # a thematic break
    found = markdown_spans(stars + "a" + stars + "\n" + "`" * 10_000 + "x" + "`" * 9_999)
    assert [kind for _, _, kind in found.spans] == ["strong_emphasis", "marker", "marker"]
    assert markdown_spans("[" * 50_000 + "](" * 50_000 + "_" * 50_000).spans == []


def test_a_big_pathological_document_is_read_whole_and_well_formed() -> None:
    text = "---\ntitle: x\n---\n" + "*a _b [c](d `e" * 20_000 + "\n" + "**x** " * 20_000
    found = markdown_spans(text)
    assert_well_formed(text, found.body_start, found.spans)
    assert sum(kind == "strong" for _, _, kind in found.spans) == 20_000


PIECES = [
    "*", "**", "_", "`", "```", "[", "](", ")", "<http://a>", "# ", "> ", "- ", "1. ", "===",
    "---", "\n", "\n\n", "a", " ", "b c", "!", "\t", "é", "---\n",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_spans_always_nest_and_stay_in_the_body(text: str) -> None:
    found = markdown_spans(text)
    assert_well_formed(text, found.body_start, found.spans)
