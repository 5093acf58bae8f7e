"""`reader add` from the command line, against a web server on 127.0.0.1 the test starts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from reader.cli import cli
from tests.conftest import PAGES


def _reader(root: Path, *args: str):
    return CliRunner().invoke(cli, ["-w", str(root), *args])


def test_add_a_page_and_a_file_prints_ids_and_titles(empty_root: Path, site: str) -> None:
    result = _reader(
        empty_root, "add", f"{site}/news_article.html", str(PAGES / "blog_comments.html")
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[1:] == [
        "added", "City council approves new tram line to the northern suburbs"
    ]  # fmt: skip
    assert lines[1].split("\t")[2] == "Why I switched my note-taking to plain text files"
    listed = json.loads(_reader(empty_root, "list", "--json").stdout)
    page = next(d for d in listed if d["kind"] == "html" and "tram" in d["title"])
    assert page["source"] == f"{site}/news_article.html"
    assert page["site"] == "The Riverside Gazette"


def test_adding_twice_adds_one_document(empty_root: Path, site: str) -> None:
    assert _reader(empty_root, "add", f"{site}/news_article.html").exit_code == 0
    again = _reader(empty_root, "add", "--json", f"{site}/news_article.html?utm_source=feed")
    assert again.exit_code == 0, again.output
    assert [r["outcome"] for r in json.loads(again.stdout)] == ["already"]
    assert len(list((empty_root / "corpus").iterdir())) == 1


def test_bad_sources_get_one_line_each_and_exit_2(empty_root: Path, site: str) -> None:
    result = _reader(
        empty_root, "add", f"{site}/missing.html", "file:///etc/passwd",
        f"{site}/short_notice.html",
    )  # fmt: skip
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert "404" in errors[0] and "file:" in errors[1]
    assert "Traceback" not in result.output
    assert [p.suffix for p in (empty_root / "corpus").iterdir()] == [".html"]


def test_a_document_is_found_by_the_address_it_came_from(empty_root: Path, site: str) -> None:
    assert _reader(empty_root, "add", f"{site}/news_article.html").exit_code == 0
    shown = _reader(empty_root, "show", f"{site}/news_article.html?utm_medium=mail")
    assert shown.exit_code == 0 and shown.stdout.startswith("The city council voted")
    missing = _reader(empty_root, "show", f"{site}/other.html")
    assert missing.exit_code == 2
    assert f"reader add {site}/other.html" in missing.stderr
