"""One bad file must not stop every command, and corpus/ is the boundary (issue #15): a hostile
corpus syncs, every entry is listed with its reason, the good files import, nothing outside
corpus/ is read, and an unreadable folder is never taken for an empty one."""

from __future__ import annotations

import json
import os
import sqlite3
import tracemalloc
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.config.loading import load_settings
from reader.corpus import listing_check
from reader.corpus.frontmatter import parse_front_matter
from reader.workspace import DATABASE_FILE, Workspace
from tests.unit.hostile import EXPECTED, FIXTURES, GOOD_WORDS, SECRET, build_hostile_corpus


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def listed(root: Path) -> dict[str, dict]:
    return {doc["path"]: doc for doc in json.loads(run(root, "list", "--json").stdout)}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the process opens with os.open from now on (the sync reads through it)."""
    paths: list[str] = []
    real_open = os.open

    def recording_open(path: str | bytes | Path, flags: int, *args: int, **kwargs: int) -> int:
        paths.append(os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    return paths


# The whole hostile corpus through the CLI


def test_reader_list_shows_every_hostile_entry_with_its_reason(
    tmp_path: Path, opened: list[str]
) -> None:
    root = tmp_path / "ws"
    build_hostile_corpus(root)
    first = run(root, "list")
    assert first.stderr.startswith("corpus synced: ")
    documents = listed(root)
    assert set(documents) == set(EXPECTED)
    for path, (status, reason) in EXPECTED.items():
        doc = documents[path]
        assert doc["status"] == status, (path, doc)
        assert reason in (doc["warning"] or ""), (path, doc["warning"])
    table = first.stdout
    for path, (status, reason) in EXPECTED.items():
        line = next(line for line in table.splitlines() if f" {path}" in line)
        assert status in line and reason in line
    for path in ("huge.txt", "fifo.txt", "secret.txt", "outside-folder", "loop"):
        assert not [p for p in opened if p.endswith(f"/corpus/{path}")], f"{path} was opened"
    assert run(root, "list").stderr == ""  # the second command has nothing to say
    found = run(root, "search", "sanctions").stdout
    assert "good-article.txt" in found and "»Sanctions« on arms exports" in found
    assert documents["good-notes.md"]["title"] == "Good notes"


def test_nothing_from_outside_corpus_reaches_the_store(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    corpus = build_hostile_corpus(root)
    if Path("/proc/self/environ").exists():  # the process's own secrets, searchable before
        (corpus / "environ.txt").symlink_to("/proc/self/environ")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    run(root, "list")
    assert listed(root)["passwd.txt"]["warning"] == (
        "link to /etc/passwd, outside the workspace: not followed"
    )
    assert run(root, "search", SECRET).stdout.count(SECRET) == 0
    database = b"".join(path.read_bytes() for path in root.glob(f"{DATABASE_FILE}*"))
    assert SECRET.encode() not in database
    assert b"root:x:0:0" not in database
    assert os.environ.get("PATH", "PATH=").encode() not in database


def test_the_good_files_import_whole(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    build_hostile_corpus(root)
    with Workspace.open(root) as ws:
        article = ws.document("good-article.txt")
        assert GOOD_WORDS in ws.text(article)
        assert ws.text(ws.document("same-article.txt")) == ws.text(article)  # a link inside
        assert ws.document_tags(ws.document("good-notes.md")) == ["defence/arms", "serbia"]
        assert "Laughter" in ws.text(ws.document("billion-laughs.md"))
        title = ws.document("escapes-in-title.md").title
        assert title.startswith("\x1b]52;c;aGk=\x07 [bold]Markup[/bold]")  # data, kept exact
    shown = run(root, "list").stdout
    assert "\x1b" not in shown and "␛]52;c;aGk=␇ [bold]Markup[/bold]" in shown


# Names that are not UTF-8


def test_a_name_that_is_not_utf8_is_listed_then_read_once_renamed(empty_root: Path) -> None:
    raw = os.fsencode(empty_root / "corpus")
    with open(raw + b"/caf\xe9.txt", "wb") as bad:
        bad.write(b"Cafe notes\n\nWords about coffee.\n")
    with Workspace.open(empty_root) as ws:
        [doc] = ws.documents()
        assert (doc.path, doc.status) == ("caf\\xe9.txt", "skipped")
        assert doc.warning == "file name is not valid UTF-8: rename the file to read it"
        assert ws.last_sync.warnings == [
            "caf\\xe9.txt: skipped, file name is not valid UTF-8: rename the file to read it"
        ]
    os.rename(raw + b"/caf\xe9.txt", raw + b"/cafe.txt")
    with Workspace.open(empty_root) as ws:
        renamed = ws.document("cafe.txt")
        assert renamed.status == "ok" and renamed.title == "Cafe notes"


def test_a_folder_whose_name_is_not_utf8_is_one_entry(empty_root: Path) -> None:
    raw = os.fsencode(empty_root / "corpus")
    os.mkdir(raw + b"/press\xff")
    for name in (b"a.txt", b"b.txt"):
        with open(raw + b"/press\xff/" + name, "wb") as inner:
            inner.write(b"Inner\n")
    with Workspace.open(empty_root) as ws:
        assert [(d.path, d.status) for d in ws.documents()] == [("press\\xff", "skipped")]
    os.rename(raw + b"/press\xff", raw + b"/press")
    with Workspace.open(empty_root) as ws:
        ok = [d.path for d in ws.documents() if d.status == "ok"]
        assert ok == ["press/a.txt", "press/b.txt"]


# Front matter


def test_a_long_or_invisible_tag_is_left_out_naming_the_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "corpus").mkdir(parents=True)
    for name in ("long-tag.md", "invisible-tag.md"):
        (root / "corpus" / name).write_bytes((FIXTURES / name).read_bytes())
    result = run(root, "list")  # before: exit 2, "a tag is at most 100 characters", no file
    assert "long-tag.md: front matter tag 'xxxxxxx" in result.stderr
    assert "invisible-tag.md: front matter tag '///' left out" in result.stderr
    with sqlite3.connect(root / DATABASE_FILE) as db:
        tags = {name for (name,) in db.execute("SELECT name FROM tags")}
    db.close()
    assert tags == {"kept", "also-kept"}


def test_an_alias_bomb_costs_a_millisecond_not_gigabytes() -> None:
    text = (FIXTURES / "billion-laughs.md").read_text("utf-8")
    assert len(text.encode()) < 400
    tracemalloc.start()
    try:
        front = parse_front_matter(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert front.warning == "front matter ignored: aliases expand it past 256 K characters"
    assert peak < 2_000_000  # before: 5.5 GB and ~80 s
    assert text[front.end :].startswith("Laughter")


@pytest.mark.parametrize(
    ("block", "warning"),
    [
        ("a: &a [1, *a]", "an alias refers to the value that holds it"),
        ("title: " + "[" * 40 + "]" * 40, "nested more than 32 deep"),
        ("x: &x " + "y" * 60_000 + "\nt: [*x, *x, *x, *x, *x]", "expand it past 256 K"),
    ],
    ids=["self-reference", "depth", "expansion"],
)
def test_front_matter_past_a_limit_is_ignored_with_a_warning(block: str, warning: str) -> None:
    front = parse_front_matter(f"---\n{block}\n---\nBody\n")
    assert front.warning is not None and warning in front.warning
    assert front.title is None


def test_front_matter_over_64_kb_is_ignored_and_the_body_kept() -> None:
    text = "---\n" + "key: value\n" * 7000 + "---\nBody\n"
    front = parse_front_matter(text)
    assert (front.end, front.warning) == (0, "front matter ignored: longer than 64 KB")


def test_a_few_aliases_still_work() -> None:
    front = parse_front_matter("---\nwho: &who Jane Doe\nauthor: *who\ntags: [a, b]\n---\n")
    assert (front.author, front.tags, front.warning) == ("Jane Doe", ["a", "b"], None)


def test_lone_surrogates_become_replacement_characters(empty_root: Path) -> None:
    (empty_root / "corpus" / "s.md").write_bytes((FIXTURES / "lone-surrogates.md").read_bytes())
    with Workspace.open(empty_root) as ws:  # before: UnicodeEncodeError, a traceback
        doc = ws.document("s.md")
    assert doc.status == "ok"
    assert doc.title == "Smile 🙂 and a lone � surrogate" and doc.author == "�"
    assert "lone surrogates" in (doc.warning or "")


def test_a_file_the_store_refuses_is_skipped_and_the_others_stored(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever else a parser lets through that SQLite cannot hold costs that file only."""
    from reader.corpus import file_parse

    (empty_root / "corpus" / "odd.txt").write_text("Odd\n\nText.\n", "utf-8")
    (empty_root / "corpus" / "fine.txt").write_text("Fine\n\nText.\n", "utf-8")
    real_parse = file_parse.parse_document

    def parse(path: Path, data: bytes, extract: object) -> object:
        parsed = real_parse(path, data, extract)
        if path.name == "odd.txt":
            parsed.author = "\udcff"  # a lone surrogate, as a careless extractor might give
        return parsed

    monkeypatch.setattr(file_parse, "parse_document", parse)
    with Workspace.open(empty_root) as ws:
        odd, fine = ws.document("odd.txt"), ws.document("fine.txt")
        assert fine.status == "ok"
        assert odd.status == "skipped"
        assert odd.warning and odd.warning.startswith("could not be stored (UnicodeEncodeError")
    with Workspace.open(empty_root) as ws:
        assert not ws.last_sync.touched  # not read again until it changes


# The size limit


def test_a_sparse_gigabyte_is_skipped_unread(empty_root: Path, opened: list[str]) -> None:
    with (empty_root / "corpus" / "huge.md").open("wb") as huge:
        huge.truncate(2**30)
    opened.clear()
    with Workspace.open(empty_root) as ws:
        doc = ws.document("huge.md")
    assert doc.status == "skipped"
    assert doc.warning == (
        "Markdown file is 1,024 MB; the limit is 64 MB (raise it with [corpus] max_file_mb)"
    )  # no setting given: before, it said the limit was "set by" one
    assert not [path for path in opened if path.endswith("huge.md")]


def test_the_size_limit_is_a_setting_and_changing_it_rereads(empty_root: Path) -> None:
    corpus = empty_root / "corpus"
    (corpus / "big.txt").write_text("Big\n\n" + "word " * 300_000, "utf-8")  # 1.4 MB
    (corpus / "small.txt").write_text("Small\n\nText.\n", "utf-8")
    (empty_root / "reader.toml").write_text("[corpus]\nmax_file_mb = 1\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        big = ws.document("big.txt")
        assert big.status == "skipped"
        assert big.warning == "text file is 1.4 MB; the limit is 1 MB, set by [corpus] max_file_mb"
        assert ws.document("small.txt").status == "ok"
    with Workspace.open(empty_root) as ws:
        assert not ws.last_sync.touched
    (empty_root / "reader.toml").write_text("[corpus]\nmax_file_mb = 2\n", "utf-8")
    with Workspace.open(empty_root) as ws:  # the same file, unchanged: read now
        assert ws.last_sync.added == [] and ws.last_sync.changed == ["big.txt"]
        assert ws.document("big.txt").status == "ok"


def test_the_setting_lowers_the_other_formats_limits_but_never_raises_them(
    empty_root: Path,
) -> None:
    for name, megabytes in (("page.html", 20), ("book.pdf", 300)):
        with (empty_root / "corpus" / name).open("wb") as sparse:
            sparse.truncate(megabytes * 2**20)
    (empty_root / "reader.toml").write_text("[corpus]\nmax_file_mb = 4000\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        assert ws.document("page.html").warning == "HTML file is 20 MB; the limit is 16 MB"
        assert ws.document("book.pdf").warning == "PDF file is 300 MB; the limit is 256 MB"
    (empty_root / "reader.toml").write_text("[corpus]\nmax_file_mb = 10\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        setting = "set by [corpus] max_file_mb"
        assert ws.last_sync.warnings == [
            f"book.pdf: skipped, PDF file is 300 MB; the limit is 10 MB, {setting}",
            f"page.html: skipped, HTML file is 20 MB; the limit is 10 MB, {setting}",
        ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", "expected a whole number of megabytes from 1 to 4096, got 0"),
        ("5000", "expected a whole number of megabytes from 1 to 4096, got 5000"),
        ('"big"', "expected a whole number of megabytes from 1 to 4096, got 'big'"),
        ("1.5", "expected a whole number of megabytes from 1 to 4096, got 1.5"),
    ],
)
def test_a_size_limit_that_is_no_size_is_named(tmp_path: Path, value: str, problem: str) -> None:
    (tmp_path / "reader.toml").write_text(f"[corpus]\nmax_file_mb = {value}\n", "utf-8")
    settings = load_settings(tmp_path)
    assert settings.corpus.max_file_mb is None
    assert settings.problems == (f"{tmp_path / 'reader.toml'}:2: corpus.max_file_mb: {problem}",)


# Links, loops, FIFOs


def test_links_inside_are_followed_once_and_loops_are_not(empty_root: Path) -> None:
    corpus = empty_root / "corpus"
    (corpus / "a").mkdir()
    (corpus / "a" / "one.txt").write_text("One\n\nText.\n", "utf-8")
    (corpus / ".store").mkdir()  # hidden: reached only by the link to it
    (corpus / ".store" / "two.txt").write_text("Two\n\nText.\n", "utf-8")
    (corpus / "b").symlink_to(".store")
    (corpus / "a" / "back").symlink_to("..")
    (corpus / "a" / "self").symlink_to(".")
    (corpus / "z-a").symlink_to("a")
    (corpus / "round1.txt").symlink_to("round2.txt")
    (corpus / "round2.txt").symlink_to("round1.txt")
    with Workspace.open(empty_root) as ws:
        docs = {d.path: (d.status, d.warning) for d in ws.documents()}
    assert docs == {
        "a/one.txt": ("ok", None),
        "b/two.txt": ("ok", None),
        "a/back": ("skipped", "link to .., a folder it is in: not followed"),
        "a/self": ("skipped", "link to ., a folder it is in: not followed"),
        "z-a": ("skipped", "link to a/, read there: not followed"),
        "round1.txt": ("skipped", "link to round2.txt, which loops: not followed"),
        "round2.txt": ("skipped", "link to round1.txt, which loops: not followed"),
    }


def test_a_fifo_is_listed_and_never_opened(empty_root: Path, opened: list[str]) -> None:
    os.mkfifo(empty_root / "corpus" / "pipe.md")
    (empty_root / "corpus" / "fine.txt").write_text("Fine\n\nText.\n", "utf-8")
    with Workspace.open(empty_root) as ws:  # before: left out of `reader list` altogether
        pipe = ws.document("pipe.md")
    assert (pipe.status, pipe.warning) == (
        "skipped",
        "not a regular file but a FIFO: never opened",
    )
    assert not [path for path in opened if path.endswith("pipe.md")]


def test_a_file_turned_into_a_fifo_after_the_scan_is_not_waited_on(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.corpus import scan as scan_module

    path = empty_root / "corpus" / "swap.txt"
    path.write_text("Swap\n", "utf-8")
    real_scan = scan_module.scan

    def scan_then_swap(corpus_dir: Path) -> scan_module.CorpusScan:
        found = real_scan(corpus_dir)
        path.unlink()
        os.mkfifo(path)
        return found

    monkeypatch.setattr("reader.corpus.sync.scan", scan_then_swap)
    with Workspace.open(empty_root) as ws:
        assert ws.document("swap.txt").warning == "not a regular file but a FIFO: never opened"


# Unreadable folders


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`os.scandir` of `folder` fails as under chmod 000 (which root would not feel); so would
    `find`'s listing (reader/corpus/listing_check.py), which proves nothing then."""
    real_scandir = os.scandir
    monkeypatch.setattr(listing_check, "_FIND", ["/nonexistent/find"])  # fails to start

    def scandir(path: str | Path = ".") -> object:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_corpus_is_an_error_and_nothing_goes_missing(
    workspace_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    annotated = run(workspace_root, "list", "--json")
    before = {d["path"]: d["status"] for d in json.loads(annotated.stdout)}
    with monkeypatch.context() as patched:
        _refuse_listing(patched, workspace_root / "corpus")
        result = run(workspace_root, "list", code=2)
        assert result.stderr == (
            f"reader: {workspace_root / 'corpus'} cannot be read (Permission denied): nothing "
            "was synced and every document keeps its state; make the folder readable and run "
            "again\n"
        )
    after = json.loads(run(workspace_root, "list", "--json").stdout)
    assert {d["path"]: d["status"] for d in after} == before
    assert set(before.values()) == {"ok"}


def test_corpus_that_is_a_file_is_refused_by_the_sync(empty_root: Path) -> None:
    with Workspace.open(empty_root) as ws:
        (empty_root / "corpus").rmdir()
        (empty_root / "corpus").write_text("not a folder\n", "utf-8")
        with pytest.raises(Exception, match="corpus is not a folder: nothing was synced"):
            ws.sync()


def test_an_unreadable_subfolder_keeps_its_documents(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = empty_root / "corpus" / "shelf"
    shelf.mkdir()
    (shelf / "kept.txt").write_text("Kept\n\nThe words to annotate.\n", "utf-8")
    (empty_root / "corpus" / "top.txt").write_text("Top\n\nText.\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        kept = ws.document("shelf/kept.txt")
        ws.annotate_quote(kept, "words to annotate", tags=["kept"])
    _refuse_listing(monkeypatch, shelf)
    with Workspace.open(empty_root) as ws:
        report = ws.last_sync
        assert report.missing == [] and report.unreadable == ["shelf"]
        assert report.warnings == [
            "shelf: cannot be read: Permission denied; what was synced from it is kept as it was"
        ]
        assert report.summary() == "1 unreadable"
        kept = ws.document("shelf/kept.txt")
        assert kept.status == "ok" and kept.orphans == 0 and kept.annotations == 1
