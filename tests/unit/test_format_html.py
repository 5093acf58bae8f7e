"""HTML extraction: boilerplate, structure, metadata, charsets, hostile pages, and F1 on our
own page set (tests/fixtures/pages) as a regression gate."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from reader.corpus.formats import Unreadable
from reader.corpus.formats.html import MAX_HTML_BYTES, extract_html, looks_like_html

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction_f1.py"

PROSE = (
    "The committee met on Thursday to discuss the budget for next year, and after a long "
    "debate it agreed to raise spending on libraries and parks by a modest amount. "
)


def page(article: str, head: str = "", extra: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article>{article}</article>{extra}
<footer><p>Copyright 2024 Example Media. All rights reserved.</p></footer>
</body></html>""".encode()


def fixture(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def body(name: str) -> str:
    return (PAGES / f"{name}.body.txt").read_text(encoding="utf-8").strip()


def test_boilerplate_is_removed_from_a_news_page() -> None:
    text = extract_html(fixture("news_article")).text
    assert text == body("news_article")
    for boilerplate in ("Advertisement", "More from Local", "Most read", "All rights", "Sign in"):
        assert boilerplate not in text


def test_comment_section_is_left_out() -> None:
    text = extract_html(fixture("blog_comments")).text
    assert "Great write-up" not in text and "Leave a Reply" not in text
    assert text.endswith("The notes are mine again.")


def test_subscribe_box_and_cookie_banner_are_left_out() -> None:
    text = extract_html(fixture("subscribe_cookie")).text
    assert "cookies" not in text and "Subscribe" not in text
    assert text == body("subscribe_cookie")


def test_headings_list_items_and_table_rows_are_lines_of_their_own() -> None:
    text = extract_html(fixture("table_lists")).text
    assert "\n\nWhat to look for\n\n" in text
    assert "\n- A warranty of three years or more\n" in text
    assert "\nNordvault Desk | 8 TB | 190 MB/s | €189\n" in text
    assert text == body("table_lists")


def test_paragraphs_are_apart_by_a_blank_line() -> None:
    text = extract_html(page(f"<p>{PROSE}</p><p>Second {PROSE}</p>")).text
    assert text == f"{PROSE.strip()}\n\nSecond {PROSE.strip()}"


def test_nested_list_items_are_indented() -> None:
    article = f"<p>{PROSE}</p><ul><li>fruit<ul><li>apples</li><li>pears</li></ul></li></ul>"
    assert "- fruit\n  - apples\n  - pears" in extract_html(page(article)).text


@pytest.mark.parametrize(
    ("name", "expected"),
    [(path.name.removesuffix(".meta.json"), path) for path in sorted(PAGES.glob("*.meta.json"))],
)
def test_metadata_of_our_pages(name: str, expected: Path) -> None:
    extracted = extract_html(fixture(name))
    for key, value in json.loads(expected.read_text(encoding="utf-8")).items():
        assert getattr(extracted, key) == value, key


def test_metadata_from_json_ld() -> None:
    extracted = extract_html(fixture("jsonld_metadata"))
    assert (extracted.author, extracted.date, extracted.site) == (
        "Samuel Okafor",
        "2023-06-14",
        "Science Desk",
    )


def test_source_priority_saved_from_then_url_then_canonical_then_og_url() -> None:
    head = (
        '<link rel="canonical" href="https://canonical.example/a">'
        '<meta property="og:url" content="https://og.example/a">'
    )
    saved = b"<!-- saved from url=(0025)https://saved.example/a -->\n"
    html = page(f"<p>{PROSE}</p>", head=head)
    assert extract_html(saved + html, url="https://arg.example/a").source == (
        "https://saved.example/a"
    )
    assert extract_html(html, url="https://arg.example/a").source == "https://arg.example/a"
    assert extract_html(html).source == "https://canonical.example/a"
    og_only = page(
        f"<p>{PROSE}</p>", head='<meta property="og:url" content="https://og.example/a">'
    )
    assert extract_html(og_only).source == "https://og.example/a"


def test_only_web_urls_are_sources_and_the_domain_names_the_site() -> None:
    head = '<link rel="canonical" href="javascript:alert(1)">'
    html = page(f"<p>{PROSE}</p>", head=head)
    assert extract_html(html, url="file:///etc/passwd").source is None
    extracted = extract_html(html, url="https://www.example.org/story")
    assert extracted.source == "https://www.example.org/story"
    assert extracted.site == "example.org"


def test_wrong_charset_declaration_with_latin1_bytes() -> None:
    extracted = extract_html(fixture("german_latin1_malformed"))
    assert "öffnet ab dem kommenden Monat" in extracted.text
    assert "\ufffd" not in extracted.text


def test_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    article = f"<p>{PROSE} Ђорђе и Љубица су дошли.</p>"
    html = page(article).replace(b'charset="utf-8"', b'charset="windows-1251"')
    cp1251 = html.decode("utf-8").encode("windows-1251")
    assert "Ђорђе и Љубица" in extract_html(cp1251).text


def test_a_bom_wins_over_the_declared_charset() -> None:
    html = page(f"<p>{PROSE} Grüße aus Köln.</p>").replace(b"utf-8", b"iso-8859-1")
    assert "Grüße aus Köln" in extract_html(b"\xef\xbb\xbf" + html).text


def test_malformed_markup_is_read() -> None:
    text = extract_html(fixture("german_latin1_malformed")).text
    assert "Die Kosten für das Pilotprojekt" in text
    html = f"<html><body><div><p>{PROSE}<p>Unclosed <b>bold {PROSE}<td>cell</div>".encode()
    assert "Unclosed bold" in extract_html(html).text


def test_huge_page_is_refused() -> None:
    huge = b"<html><body><p>" + b"a" * (MAX_HTML_BYTES + 1) + b"</p></body></html>"
    with pytest.raises(Unreadable, match=r"web page is 16 MB; the limit is 16 MB"):
        extract_html(huge)


def test_script_text_never_appears() -> None:
    text = extract_html(fixture("script_heavy")).text
    assert "SCRIPT ONLY" not in text and "STYLE ONLY" not in text
    assert text == body("script_heavy")


def test_markup_in_the_text_stays_literal() -> None:
    article = f"<p>{PROSE} Write &lt;b&gt;bold&lt;/b&gt; &amp; &amp;lt;escaped&amp;gt;.</p>"
    text = extract_html(page(article)).text
    assert "Write <b>bold</b> & &lt;escaped&gt;." in text


def test_a_page_without_an_article_is_refused() -> None:
    html = b"<html><head><title>Login</title></head><body><nav><a href='/'>Home</a></nav>"
    html += b"<form><input name='user'><button>Sign in</button></form></body></html>"
    with pytest.raises(Unreadable, match="no article text found in the web page"):
        extract_html(html)


def test_a_short_real_page_is_kept() -> None:
    extracted = extract_html(fixture("short_notice"))
    assert extracted.text == body("short_notice")
    assert extracted.site == "library.example.edu"


def test_binary_data_is_refused() -> None:
    with pytest.raises(Unreadable, match="not a web page"):
        extract_html(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body>x</body></html>",
        "\ufeff  <html lang='en'><head></head></html>",
        "<!-- saved from url=(0020)https://a.example/ -->\n<!doctype HTML>\n<html>",
        "<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>",
        "\n\n<head><title>t</title></head><body><p>x</p></body>",
        "<body>\n<p>Just a body</p>",
    ],
)
def test_looks_like_html(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "A plain note with a stray <b>bold</b> tag in it.",
        "Dear diary,\n<html> is how a page starts, I learned today.",
        "",
        "# Markdown heading\n\n<div>some html inside markdown</div>",
        "<b>Bold start</b> then prose.",
    ],
)
def test_does_not_look_like_html(text: str) -> None:
    assert not looks_like_html(text)


def test_shingle_f1_on_our_page_set_is_at_least_096() -> None:
    spec = importlib.util.spec_from_file_location("extraction_f1", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pages = bench.own_pages(PAGES)
    assert len(pages) >= 10
    scores, _ = bench.measure(pages, bench.reader_extract)
    f1, _, _ = bench.f1_precision_recall(list(scores.values()))
    assert f1 >= 0.96, {key: value for key, value in scores.items() if value[0] < 0.95}
