"""`reader add`'s addresses and names: one spelling per page, URLs told from paths, file names
safe on every system, titles from the page's head."""

from __future__ import annotations

import pytest

from reader.corpus.naming import MAX_STEM_CHARS, html_title, safe_file_stem
from reader.corpus.urls import is_url, normalise_url
from reader.errors import UsageError
from tests.unit.local_web import PAGE


def test_addresses_are_normalised() -> None:
    url = "HTTPS://Example.COM:443/a b?utm_source=x&b=1&fbclid=2&gclid=3#frag"
    assert normalise_url(url) == "https://example.com/a%20b?b=1"
    assert normalise_url("http://example.com") == "http://example.com/"
    assert normalise_url("http://user:pw@example.com:8080/x") == "http://example.com:8080/x"
    assert normalise_url("https://bücher.example/ä") == "https://xn--bcher-kva.example/%C3%A4"
    with pytest.raises(UsageError, match="no host"):
        normalise_url("https:///path")


@pytest.mark.parametrize(
    ("source", "expected"),
    [("https://a.example/x", True), ("javascript:alert(1)", True), ("file:///x", True),
     ("C:\\notes.txt", False), ("notes:draft.txt", False), ("www.example.com/a", False)],
)  # fmt: skip
def test_urls_are_told_from_paths(source: str, expected: bool) -> None:
    assert is_url(source) is expected


def test_safe_file_stems() -> None:
    long = safe_file_stem("word " * 40)
    assert len(long) <= MAX_STEM_CHARS and long.endswith("word")
    assert (
        safe_file_stem("a/b\\c:d\u200b\x00e") == "a b c d e"
    )  # the zero-width space dropped, NUL a space
    assert safe_file_stem("...") == "document"
    assert safe_file_stem("Über das Lesen — 読書") == "Über das Lesen — 読書"
    assert safe_file_stem("aux.tar") == "_aux.tar"


def test_titles_come_from_og_title_then_title() -> None:
    assert html_title(PAGE) == "A Fine Article"
    assert html_title(b"<title>\n  Two\n  lines &amp; more</title>") == "Two lines & more"
    latin = b"<meta charset=iso-8859-1><title>Caf\xe9</title>"
    assert html_title(latin) == "Café"
    assert html_title(b"<p>none</p>") is None
