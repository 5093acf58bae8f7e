"""Title, author, date, word count from plain text; dates; bylines; Markdown front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus.dates import find_date, is_date_line
from reader.corpus.frontmatter import parse_front_matter
from reader.corpus.ingest import parse_document
from reader.corpus.metadata import byline_name, count_words, extract_metadata, reading_minutes
from reader.text.canonical import canonical_text
from reader.text.decoding import decode_bytes

CORPUS = Path(__file__).parents[2] / "corpus"
PARAGRAPH = (
    "Serbia has long balanced its ties between Moscow and Brussels, and this opening "
    "paragraph runs on for well over two hundred characters so that no sensible rule could "
    "mistake it for the headline of the article that it introduces to the reader."
)


def _corpus_text(name: str) -> str:
    decoded = decode_bytes((CORPUS / name).read_bytes())
    assert decoded.text is not None
    return canonical_text(decoded.text)


# --- the sample corpus ---------------------------------------------------------------------

CORPUS_EXPECTED = [
    ("000_1d5d00d34374701d.txt", "Serbia begins distancing itself from Russia", None, "2025-01-12"),
    (
        "001_4310720f2bcf0b55.txt",
        "Russian Ally Withdraws Support, Suspends Arms Contracts",
        "Kathrine Frich",
        "2025-01-08",
    ),
    (
        "002_d42153564ceb3715.txt",
        "Will Serbia now go from being an ally to an opponent of Putin?",
        None,
        None,
    ),
    ("003_ab75fb7eb88f90bb.txt", "Bound to Russia: Serbia’s disruptive neutrality", None, None),
    (
        "004_9b4db2a2590667cc.txt",
        "Time for Serbia to Scale Back Military Ties with Russia",
        None,
        "2022-03-04",
    ),
]


@pytest.mark.parametrize(("name", "title", "author", "date"), CORPUS_EXPECTED)
def test_corpus_metadata(name: str, title: str, author: str | None, date: str | None) -> None:
    meta = extract_metadata(_corpus_text(name))
    assert (meta.title, meta.author, meta.date) == (title, author, date)
    assert meta.words > 100
    assert meta.reading_minutes >= 1


@pytest.mark.parametrize(("name", "title", "author", "date"), CORPUS_EXPECTED)
def test_corpus_parse_document_agrees(
    name: str, title: str, author: str | None, date: str | None
) -> None:
    path = CORPUS / name
    doc = parse_document(path, path.read_bytes())
    assert doc.skip_reason is None
    assert doc.encoding == "utf-8"
    assert doc.warnings == []
    assert (doc.title, doc.author, doc.date) == (title, author, date)


def test_corpus_003_standfirst_sentence_is_not_a_byline() -> None:
    lines = [ln for ln in _corpus_text("003_ab75fb7eb88f90bb.txt").split("\n") if ln]
    by_lines = [ln for ln in lines if ln.startswith("By refusing to condemn")]
    assert by_lines, "the sample article should contain the 'By refusing...' sentence"
    assert all(byline_name(ln) is None for ln in by_lines)


def test_corpus_003_caption_dates_are_not_the_article_date() -> None:
    text = _corpus_text("003_ab75fb7eb88f90bb.txt")
    caption = next(ln for ln in text.split("\n") if ln.startswith("People drive cars"))
    assert find_date(caption) is not None  # the caption does hold a date...
    assert is_date_line(caption) is None  # ...but it is not a dateline


def test_corpus_001_credit_and_chrome_lines_are_skipped() -> None:
    meta = extract_metadata(
        "Photo: Shutterstock\nTrending Now\n" + _corpus_text("001_4310720f2bcf0b55.txt")
    )
    assert meta.title == "Russian Ally Withdraws Support, Suspends Arms Contracts"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("March 4, 2022", "2022-03-04"),
        ("March 04, 2022", "2022-03-04"),
        ("4 March 2022", "2022-03-04"),
        ("4th of March, 2022", "2022-03-04"),
        ("Jan.08 - 2025 1:55 PM CET", "2025-01-08"),
        ("2025/01/12", "2025-01-12"),
        ("2025-01-12", "2025-01-12"),
        ("2025.01.12", "2025-01-12"),
        ("Published: 12 January 2025", "2025-01-12"),
        ("Sept 3rd, 2021", "2021-09-03"),
        ("sep 3 2021", "2021-09-03"),
        ("Dec. 25, 1999", "1999-12-25"),
        ("2024-02-29", "2024-02-29"),
        ("Sunday, March 13, 2022", "2022-03-13"),
    ],
)
def test_find_date_formats(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found.iso == iso
    assert iso[:4] in text[found.start : found.end]


def test_find_date_span_points_into_text() -> None:
    text = "Published: 12 January 2025"
    found = find_date(text)
    assert found is not None
    assert text[found.start : found.end] == "12 January 2025"


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "2023-02-29",
        "2025-13-01",
        "Feb 30, 2025",
        "31 April 2024",
        "Sept 31st, 2021",
        "no date here at all",
        "in 2025 the army",
        "Room 12, 2025 visitors",
    ],
)
def test_find_date_rejects_invalid_or_missing_dates(text: str) -> None:
    assert find_date(text) is None


def test_find_date_skips_an_invalid_date_for_a_later_valid_one() -> None:
    found = find_date("from 2025-02-30 to 2025-03-01")
    assert found is not None
    assert found.iso == "2025-03-01"


def test_find_date_returns_the_earliest_date_across_formats() -> None:
    found = find_date("On 4 March 2022, and later 2023-01-01")
    assert found is not None
    assert found.iso == "2022-03-04"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("March 04, 2022", "2022-03-04"),
        ("Jan.08 - 2025 1:55 PM CET", "2025-01-08"),
        ("Published: 12 January 2025", "2025-01-12"),
        ("Updated 12:30 GMT, 5 May 2023", "2023-05-05"),
        ("Monday 5 May 2023 09:00 BST", "2023-05-05"),
        ("Sunday, March 13, 2022", "2022-03-13"),
    ],
)
def test_is_date_line_accepts_datelines(line: str, iso: str) -> None:
    found = is_date_line(line)
    assert found is not None
    assert found.iso == iso


@pytest.mark.parametrize(
    "line",
    [
        "A rally in Belgrade, Serbia, Sunday, March 13, 2022",
        "Serbia suspended contracts on 4 March 2022 after talks",
        "1:55 PM CET",
        "2025-02-30",
    ],
)
def test_is_date_line_rejects_sentences_and_non_dates(line: str) -> None:
    assert is_date_line(line) is None


# --- bylines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "JANE DOE"),
        ("By: Jane Doe", "Jane Doe"),
        ("Author: Jane Doe", "Jane Doe"),
        ("Written by Kathrine Frich", "Kathrine Frich"),
        ("By Jane Doe and John Smith", "Jane Doe and John Smith"),
        ("By Jane Doe | Reuters", "Jane Doe"),
        ("By Jane Doe - Reuters", "Jane Doe"),
        ("By Jane Doe • 3 min read", "Jane Doe"),
        ("By Jane Doe, 12 March 2022", "Jane Doe"),
        ("By Jane Doe on March 4, 2022", "Jane Doe"),
        ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("By José Álvarez", "José Álvarez"),
        ("By Jane O'Neil", "Jane O'Neil"),
    ],
)
def test_byline_name_accepts_bylines(line: str, name: str) -> None:
    assert byline_name(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "By refusing to condemn the war",
        "By refusing to condemn Russia’s war on Ukraine, Serbia has yet again proven it",
        "By the way, this is a sentence",
        "By 2025, Serbia will have changed course",
        "by jane doe",
        "Byzantine History",
        "Bystanders Watched",
        "Photo: Shutterstock",
        "Credit: Valery Sharifulin / TASS",
        "By One Two Three Four Five Six Seven",
    ],
)
def test_byline_name_rejects_non_bylines(line: str) -> None:
    assert byline_name(line) is None


# --- extract_metadata: header rules ----------------------------------------------------------


@pytest.mark.parametrize(
    "credit", ["Photo: Shutterstock", "Credit: Valery Sharifulin / TASS", "Image credit: Getty"]
)
def test_credit_lines_are_never_title_or_author(credit: str) -> None:
    meta = extract_metadata(f"{credit}\nThe Real Headline\n\nBody text follows.")
    assert meta.title == "The Real Headline"
    assert meta.author is None


def test_credit_line_does_not_shadow_a_following_byline() -> None:
    meta = extract_metadata("Credit: Valery Sharifulin / TASS\nBy Jane Doe\nThe Headline\n")
    assert (meta.title, meta.author) == ("The Headline", "Jane Doe")


@pytest.mark.parametrize(
    "chrome",
    [
        "Trending Now",
        "TRENDING NOW",
        "Advertisement",
        "Skip to main content",
        "Subscribe",
        "Sign in",
        "Menu",
    ],
)
def test_web_chrome_is_never_the_title(chrome: str) -> None:
    meta = extract_metadata(f"{chrome}\n\n{chrome}\nThe Real Headline\nBody text.")
    assert meta.title == "The Real Headline"


def test_paragraph_first_line_is_not_the_title() -> None:
    assert len(PARAGRAPH) > 200
    meta = extract_metadata(f"{PARAGRAPH}\nShort Headline\n\nBody.")
    assert meta.title == "Short Headline"


def test_title_after_leading_date_prefix() -> None:
    meta = extract_metadata(" date 2025-01-12 Serbia begins distancing itself\n\nBody text.")
    assert meta.title == "Serbia begins distancing itself"
    assert meta.date == "2025-01-12"


@pytest.mark.parametrize(
    ("first", "title", "date"),
    [
        ("Published: 12 January 2025 Some Headline", "Some Headline", "2025-01-12"),
        ("2025-01-12 | Some Headline", "Some Headline", "2025-01-12"),
        ("2025-01-12", "Some Headline", "2025-01-12"),
    ],
)
def test_leading_date_variants(first: str, title: str, date: str) -> None:
    meta = extract_metadata(f"{first}\nSome Headline\nBody text.")
    assert (meta.title, meta.date) == (title, date)


def test_date_inside_a_title_is_not_split_off() -> None:
    meta = extract_metadata("What changed after 2025-01-12 in Belgrade\nBody")
    assert meta.title == "What changed after 2025-01-12 in Belgrade"
    assert meta.date is None


def test_full_header_title_byline_dateline() -> None:
    text = "The Headline\n\nBy Jane Doe | Reuters\n\nMarch 4, 2022\n\nBody text here.\n"
    meta = extract_metadata(text)
    assert (meta.title, meta.author, meta.date) == ("The Headline", "Jane Doe", "2022-03-04")


def test_first_dateline_and_first_byline_win() -> None:
    text = "Headline\nBy Jane Doe\nBy John Smith\nMarch 4, 2022\nJanuary 1, 2020\nBody"
    meta = extract_metadata(text)
    assert (meta.author, meta.date) == ("Jane Doe", "2022-03-04")


def test_caption_with_date_does_not_set_the_date() -> None:
    text = "Headline\nPeople wave flags at a rally in Belgrade, Serbia, Sunday, March 13, 2022\n"
    assert extract_metadata(text).date is None


def test_all_caps_byline_is_author_not_title() -> None:
    meta = extract_metadata("BY JANE DOE\nThe Headline\nBody")
    assert (meta.title, meta.author) == ("The Headline", "JANE DOE")


def test_markdown_heading_marks_are_stripped_from_title() -> None:
    assert extract_metadata("\n\n## The Headline\n\nBody").title == "The Headline"


def test_header_rules_only_look_at_the_first_lines() -> None:
    filler = "\n".join(f"Paragraph number {i} of the body." for i in range(20))
    meta = extract_metadata(f"Headline\n{filler}\nBy Jane Doe\nMarch 4, 2022\n")
    assert (meta.title, meta.author, meta.date) == ("Headline", None, None)


def test_empty_text_has_no_metadata() -> None:
    meta = extract_metadata("")
    assert (meta.title, meta.author, meta.date, meta.words, meta.reading_minutes) == (
        None,
        None,
        None,
        0,
        0,
    )


def test_photo_by_credit_is_not_the_title() -> None:
    meta = extract_metadata("Photo by Jane Doe / AFP\nThe Real Headline\nBody text.")
    assert meta.title == "The Real Headline"


# --- words and reading time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("  \n\t ", 0),
        ("Hello, world!", 2),
        ("Serbia’s long-standing ties", 3),
        ("don't e-mail 2025 café naïve", 5),
        ("one\ntwo\n\nthree — four", 4),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 0), (1, 1), (229, 1), (230, 1), (231, 2), (460, 2), (461, 3), (2300, 10)],
)
def test_reading_minutes(words: int, minutes: int) -> None:
    assert reading_minutes(words) == minutes


def test_any_text_takes_at_least_a_minute() -> None:
    meta = extract_metadata("Hi")
    assert (meta.words, meta.reading_minutes) == (1, 1)


# --- front matter --------------------------------------------------------------------------

FULL_FRONT_MATTER = (
    "---\n"
    "title: Hello World\n"
    "author: Jane Doe\n"
    "date: 2025-01-12\n"
    "source: https://example.com/a\n"
    "tags: [serbia, russia]\n"
    "---\n"
    "Body text here.\n"
)


def test_front_matter_fields() -> None:
    front = parse_front_matter(FULL_FRONT_MATTER)
    assert front.title == "Hello World"
    assert front.author == "Jane Doe"
    assert front.date == "2025-01-12"
    assert isinstance(front.date, str)
    assert front.source == "https://example.com/a"
    assert front.tags == ["serbia", "russia"]
    assert front.warning is None
    assert FULL_FRONT_MATTER[front.end :] == "Body text here.\n"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-01-12", "2025-01-12"),
        ("2025-01-12 10:30:00", "2025-01-12"),
        ("2025-01-12T23:30:00-05:00", "2025-01-12"),
        ("'March 4, 2022'", "March 4, 2022"),
    ],
)
def test_front_matter_date_becomes_a_string(value: str, iso: str) -> None:
    front = parse_front_matter(f"---\ndate: {value}\n---\n")
    assert front.date == iso


def test_front_matter_url_is_the_source() -> None:
    front = parse_front_matter("---\nurl: https://example.com/b\n---\nBody\n")
    assert front.source == "https://example.com/b"


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("[serbia, russia]", ["serbia", "russia"]),
        ("serbia, russia", ["serbia", "russia"]),
        ('"serbia, #defence, serbia"', ["serbia", "defence"]),
        ("serbia russia", ["serbia", "russia"]),
        ("\n  - serbia\n  - russia", ["serbia", "russia"]),
        ("", []),
    ],
)
def test_front_matter_tags_list_or_comma_string(tags: str, expected: list[str]) -> None:
    assert parse_front_matter(f"---\ntags: {tags}\n---\n").tags == expected


def test_front_matter_keys_are_case_insensitive_and_authors_list_joined() -> None:
    front = parse_front_matter("---\nTitle: Upper\nauthors: [Jane Doe, John Smith]\n---\n")
    assert front.title == "Upper"
    assert front.author == "Jane Doe, John Smith"


@pytest.mark.parametrize(
    "block",
    [
        "title: [unclosed",
        "title: x: y: z",
        "\ttitle: tab indented",
        "title: !!python/object/apply:os.system ['echo hi']",
        "- just\n- a list",
    ],
)
def test_malformed_front_matter_warns_and_does_not_crash(block: str) -> None:
    text = f"---\n{block}\n---\nBody\n"
    front = parse_front_matter(text)
    assert front.warning is not None
    assert front.warning.startswith("front matter ignored")
    assert (front.title, front.author, front.date, front.tags) == (None, None, None, [])
    assert text[front.end :] == "Body\n"


@pytest.mark.parametrize(
    "text",
    [
        "Title\n---\ntitle: not front matter\n---\n",
        "---\ntitle: never closed\nBody\n",
        "Plain text with no front matter.\n",
    ],
)
def test_text_without_front_matter(text: str) -> None:
    front = parse_front_matter(text)
    assert (front.title, front.end, front.warning) == (None, 0, None)


def test_impossible_front_matter_date_warns_instead_of_crashing() -> None:
    data = b"---\ntitle: FM Title\ndate: 2025-02-30\n---\nPlain Title\nBy Jane Doe\n"
    doc = parse_document(Path("bad-date.md"), data)
    assert doc.skip_reason is None
    assert any("front matter" in w for w in doc.warnings)


def test_empty_tag_list_item_is_dropped() -> None:
    front = parse_front_matter("---\ntags:\n  - serbia\n  -\n---\nBody\n")
    assert front.tags == ["serbia"]


# --- parse_document on Markdown --------------------------------------------------------------


def test_markdown_front_matter_wins_over_plain_text_rules() -> None:
    data = (
        b"---\ntitle: FM Title\nauthor: FM Author\ndate: 2024-05-06\n"
        b"url: https://example.com/x\ntags: a, b\n---\n"
        b"Plain Title\nBy Jane Doe\nMarch 4, 2022\n\nBody text.\n"
    )
    doc = parse_document(Path("article.md"), data)
    assert (doc.title, doc.author, doc.date) == ("FM Title", "FM Author", "2024-05-06")
    assert doc.source == "https://example.com/x"
    assert doc.tags == ["a", "b"]
    assert doc.warnings == []


def test_markdown_partial_front_matter_fills_the_rest_from_plain_text() -> None:
    data = b"---\ntags: [x]\n---\nPlain Title\nBy Jane Doe\n2025-01-12\nBody\n"
    doc = parse_document(Path("article.md"), data)
    assert (doc.title, doc.author, doc.date, doc.tags) == (
        "Plain Title",
        "Jane Doe",
        "2025-01-12",
        ["x"],
    )


@pytest.mark.parametrize("name", ["article.md", "article.MD", "article.markdown"])
def test_markdown_without_front_matter_uses_plain_text_rules(name: str) -> None:
    data = b"# Plain Title\r\n\r\nBy Jane Doe\r\nMarch 4, 2022\r\n\r\nBody text.\r\n"
    doc = parse_document(Path(name), data)
    assert (doc.title, doc.author, doc.date) == ("Plain Title", "Jane Doe", "2022-03-04")
    assert (doc.source, doc.tags, doc.warnings) == (None, [], [])


def test_markdown_malformed_front_matter_warns_and_falls_back() -> None:
    data = b"---\ntitle: [bad\n---\nPlain Title\nBy Jane Doe\n"
    doc = parse_document(Path("article.md"), data)
    assert doc.skip_reason is None
    assert (doc.title, doc.author) == ("Plain Title", "Jane Doe")
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith("front matter ignored")


def test_markdown_crlf_front_matter_is_read() -> None:
    doc = parse_document(Path("a.md"), b"---\r\ntitle: CRLF Title\r\n---\r\nBody\r\n")
    assert doc.title == "CRLF Title"
    assert doc.text == "---\ntitle: CRLF Title\n---\nBody\n"


def test_front_matter_only_applies_to_markdown() -> None:
    data = b"---\ntitle: FM Title\n---\nPlain Title\n"
    doc = parse_document(Path("notes.txt"), data)
    assert doc.title != "FM Title"
    assert doc.tags == []


def test_document_without_a_title_falls_back_to_file_stem() -> None:
    doc = parse_document(Path("my-article.txt"), b"Trending Now\n\n2025-01-12\n")
    assert doc.title == "my-article"
    assert doc.date == "2025-01-12"
