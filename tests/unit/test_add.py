"""`reader add`: pages fetched within bounds, files copied in whole, each source added once.

Every page comes from a server on 127.0.0.1 that the test starts; a server that must stall
waits on an event the test sets when it is done, never on a clock.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import socket
import stat
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from reader.corpus.adding import add_sources
from reader.corpus.fetch import FetchError, fetch_url
from reader.corpus.naming import MAX_STEM_BYTES
from reader.corpus.sync import sync_corpus
from reader.corpus.urls import read_saved_from, saved_from_comment
from reader.errors import UsageError
from reader.models import AddResult
from reader.store import Store, open_store
from tests.unit.local_web import LIMITS, PAGE, PDF, PNG, LocalWeb, serving, without_proxies


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    without_proxies(monkeypatch)


@pytest.fixture
def server() -> Iterator[LocalWeb]:
    with serving() as httpd:
        yield httpd


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ws" / "corpus").mkdir(parents=True)
    return tmp_path / "ws"


@pytest.fixture
def store(root: Path) -> Iterator[Store]:
    opened = open_store(root / "annotations.db")
    yield opened
    opened.close()


def _add(store: Store, root: Path, *sources: str, **limits: float) -> list[AddResult]:
    fetcher = partial(fetch_url, limits=dataclasses.replace(LIMITS, **limits))
    return add_sources(store, root / "corpus", list(sources), fetcher=fetcher)


def _one(store: Store, root: Path, source: str, **limits: float) -> AddResult:
    (result,) = _add(store, root, source, **limits)
    return result


def _corpus(root: Path) -> list[str]:
    """Every entry in corpus/, hidden ones included: a leftover temp file shows here."""
    return sorted(os.listdir(root / "corpus"))


def _never_fetch(url: str) -> None:
    raise AssertionError(f"fetched {url}")


# Web pages


def test_page_saved_under_its_title_with_the_saved_from_comment(server, store, root) -> None:
    result = _one(store, root, server.url("/page"))
    assert (result.outcome, result.path) == ("added", "A Fine Article.html")
    data = (root / "corpus" / result.path).read_bytes()
    assert data == saved_from_comment(server.url("/page")) + PAGE
    assert data.startswith(f"<!-- saved from url=(00{len(server.url('/page'))})".encode())
    assert read_saved_from(data) == (server.url("/page"), len(saved_from_comment(result.url)))
    _, headers = server.requests[0]
    assert headers["User-Agent"].startswith("reader/")
    assert "text/html" in headers["Accept"]


def test_new_files_get_the_usual_permissions(server, store, root) -> None:
    umask = os.umask(0)
    os.umask(umask)
    result = _one(store, root, server.url("/page"))
    assert stat.S_IMODE((root / "corpus" / result.path).stat().st_mode) == 0o666 & ~umask


def test_redirects_are_followed_and_the_final_address_recorded(server, store, root) -> None:
    result = _one(store, root, server.url("/r1"))
    assert result.outcome == "added"
    assert result.url == server.url("/page")
    assert read_saved_from((root / "corpus" / result.path).read_bytes())[0] == result.url


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/loop-a", "redirect loop"),
        ("/hop/6", "more than 5 redirects"),
        ("/to-file", "redirect to file:///etc/passwd refused"),
        ("/missing", "the server answered 404"),
        ("/broken", "the server answered 500"),
        ("/image.png", "image/png is not something reader reads"),
        ("/huge", "larger than the limit"),
        ("/huge-declared", "4,097 bytes is over the limit of 4,096 bytes"),
    ],
)
def test_refused_pages_leave_nothing_behind(server, store, root, path, reason) -> None:
    result = _one(store, root, server.url(path))
    assert result.outcome == "failed"
    assert reason in result.message
    assert server.url(path) in result.message
    assert _corpus(root) == []


def test_five_redirects_are_allowed(server, store, root) -> None:
    assert _one(store, root, server.url("/hop/5")).outcome == "added"


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-headers"])
def test_a_trickling_server_is_given_up_at_the_deadline(server, store, root, path) -> None:
    result = _one(store, root, server.url(path), timeout=60, deadline=0.3)
    assert result.outcome == "failed"
    assert "gave up after 0.3 s" in result.message
    assert _corpus(root) == []


def test_a_silent_server_times_out(server, store, root) -> None:
    result = _one(store, root, server.url("/silent"), timeout=0.2, deadline=60)
    assert "no answer from" in result.message
    assert "within 0.2 s" in result.message


def test_a_closed_port_is_a_refused_connection(store, root) -> None:
    with socket.socket() as bound:  # bound, never listening: connecting is refused at once
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        url = f"http://127.0.0.1:{port}/page"
        result = _one(store, root, url)
    assert result.message == f"{url}: 127.0.0.1:{port} refused the connection"


def test_an_unknown_host_is_named(store, root, monkeypatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = _one(store, root, "https://no-such-host.example/a")
    assert "cannot find the host no-such-host.example" in result.message


def test_a_tls_failure_is_named(store, root) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def answer_in_plain_http() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

        thread = threading.Thread(target=answer_in_plain_http, daemon=True)
        thread.start()
        result = _one(store, root, f"https://127.0.0.1:{listener.getsockname()[1]}/")
        thread.join()
    assert "TLS error" in result.message


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "ftp://example.com/a.txt", "javascript:alert(1)",
               "data:text/html,<p>hi</p>"],
)  # fmt: skip
def test_other_schemes_are_refused_before_anything_is_fetched(store, root, source) -> None:
    (result,) = add_sources(store, root / "corpus", [source], fetcher=_never_fetch)
    assert result.outcome == "failed"
    assert "only http and https addresses can be added" in result.message
    with pytest.raises(UsageError, match="only http and https"):
        fetch_url(source)


def test_other_types_get_their_extension(server, store, root) -> None:
    pdf = _one(store, root, server.url("/paper"))
    untyped = _one(store, root, server.url("/files/report.pdf"))
    assert pdf.path == "127.0.0.1 paper.pdf"
    assert (root / "corpus" / pdf.path).read_bytes() == PDF
    assert untyped.outcome == "already"  # the same PDF under another address
    latin = _one(store, root, server.url("/latin1"))
    assert latin.path.endswith(".txt")
    assert (root / "corpus" / latin.path).read_text("utf-8") == "café au lait"
    cyrillic = _one(store, root, server.url("/cp1251"))
    assert cyrillic.path == "Нови мост преко Саве.html"
    saved = (root / "corpus" / cyrillic.path).read_text("utf-8")  # transcoded from the header's
    assert "Градско веће" in saved
    packed = _one(store, root, server.url("/gzipped"))
    assert packed.path == "Packed.html"
    assert b"<title>Packed" in (root / "corpus" / packed.path).read_bytes()


def test_untitled_and_hostile_pages_get_safe_names(server, store, root) -> None:
    untitled = _one(store, root, server.url("/untitled/notes.html"))
    hostile = _one(store, root, server.url("/hostile"))
    assert untitled.path == "127.0.0.1 untitled notes.html"
    assert hostile.path == "etc passwd.html"
    assert set(_corpus(root)) == {untitled.path, hostile.path}


# Once each


def test_the_same_address_is_added_once(server, store, root) -> None:
    first, second, third = _add(
        store, root, server.url("/page?utm_source=news&utm_medium=mail"),
        server.url("/page#comments"), server.url("/page?fbclid=abc"),
    )  # fmt: skip
    assert first.outcome == "added"
    assert (second.outcome, second.path) == ("already", first.path)
    assert third.message == f"already in the library as {first.path}"
    assert server.hits("/page") == 1
    again = _one(store, root, server.url("/r1"))  # a later call finds the saved-from comment
    assert (again.outcome, again.path) == ("already", first.path)
    assert _corpus(root) == [first.path]


def test_an_address_the_store_knows_is_not_fetched(store, root) -> None:
    note = "---\ntitle: Kept\nsource: HTTPS://Example.COM:443/a?utm_source=x&b=1#top\n---\nText.\n"
    (root / "corpus" / "kept.md").write_text(note)
    sync_corpus(store, root / "corpus")
    (result,) = add_sources(
        store, root / "corpus", ["https://example.com/a?b=1"], fetcher=_never_fetch
    )
    assert (result.outcome, result.path) == ("already", "kept.md")


def test_a_synced_page_is_known_by_its_address(server, store, root) -> None:
    added = _one(store, root, server.url("/page?utm_campaign=x"))
    report = sync_corpus(store, root / "corpus")
    assert report.added == [added.path], report
    (source,) = store.conn.execute("SELECT source FROM documents").fetchone()
    assert source == server.url("/page")  # the HTML extractor read the saved-from comment
    (root / "corpus" / added.path).write_bytes(PAGE)  # the comment gone: the store still knows
    again = _one(store, root, server.url("/page"))
    assert (again.outcome, again.path) == ("already", added.path)
    assert server.hits("/page") == 1


def test_the_same_page_at_two_addresses_is_added_once(server, store, root) -> None:
    first = _one(store, root, server.url("/page"))
    second = _one(store, root, server.url("/same-page"))
    assert (second.outcome, second.path) == ("already", first.path)


def test_one_bad_source_does_not_stop_the_others(server, store, root) -> None:
    results = _add(store, root, server.url("/missing"), "/no/such/file.txt", server.url("/page"))
    assert [r.outcome for r in results] == ["failed", "failed", "added"]


# Files


def test_files_are_copied_with_their_names_and_collisions_numbered(store, root, tmp_path) -> None:
    for folder, text in (("a", "first"), ("b", "second"), ("c", "third")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "note.txt").write_text(text)
    results = add_sources(
        store, root / "corpus", [str(tmp_path / f / "note.txt") for f in "abc"],
        fetcher=_never_fetch,
    )  # fmt: skip
    assert [r.path for r in results] == ["note.txt", "note (2).txt", "note (3).txt"]
    assert (root / "corpus" / "note (2).txt").read_text() == "second"
    report = sync_corpus(store, root / "corpus")
    assert sorted(report.added) == ["note (2).txt", "note (3).txt", "note.txt"]


def test_the_same_file_is_added_once(store, root, tmp_path) -> None:
    (tmp_path / "essay.txt").write_text("The same words.")
    (tmp_path / "copy.txt").write_text("The same words.")
    _, second = add_sources(
        store, root / "corpus", [str(tmp_path / "essay.txt")] * 2, fetcher=_never_fetch
    )
    assert (second.outcome, second.path) == ("already", "essay.txt")
    sync_corpus(store, root / "corpus")
    (third,) = add_sources(store, root / "corpus", [str(tmp_path / "copy.txt")])
    assert (third.outcome, third.path) == ("already", "essay.txt")
    (itself,) = add_sources(store, root / "corpus", [str(root / "corpus" / "essay.txt")])
    assert (itself.outcome, itself.path) == ("already", "essay.txt")
    assert _corpus(root) == ["essay.txt"]


def test_a_name_the_store_remembers_is_not_reused(store, root, tmp_path) -> None:
    (root / "corpus" / "gone.txt").write_text("annotated, then deleted")
    sync_corpus(store, root / "corpus")
    (root / "corpus" / "gone.txt").unlink()
    sync_corpus(store, root / "corpus")  # now a missing document, its annotations kept
    (tmp_path / "gone.txt").write_text("something else")
    (result,) = add_sources(store, root / "corpus", [str(tmp_path / "gone.txt")])
    assert result.path == "gone (2).txt"


def test_hostile_file_names_are_made_safe(store, root, tmp_path) -> None:
    names = ["..\x07bell\u202eevil.txt", "CON.txt", "𝔸" * 60 + ".md", " .hidden.md"]
    for name in names:
        (tmp_path / name).write_text(name)
    results = add_sources(store, root / "corpus", [str(tmp_path / n) for n in names])
    paths = [r.path for r in results]
    assert paths[:2] == ["bellevil.txt", "_CON.txt"]  # the bidi override dropped
    assert paths[2] is not None and len(paths[2].encode()) <= MAX_STEM_BYTES + len(".md")
    assert paths[3] == "hidden.md"
    assert _corpus(root) == sorted(paths)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d, "is a folder"),
        (lambda d: d / "absent.txt", "absent.txt: no such file"),
        (lambda d: "example.com/article", "no such file (for a web page, give the whole"),
        (lambda d: d / "photo.png", "not a kind of file reader reads (.docx, .epub"),
    ],
)
def test_files_that_cannot_be_added(store, root, tmp_path, make, reason) -> None:
    (tmp_path / "photo.png").write_bytes(PNG)
    (result,) = add_sources(store, root / "corpus", [str(make(tmp_path))])
    assert result.outcome == "failed"
    assert reason in result.message
    assert _corpus(root) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_a_reason(store, root, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    (result,) = add_sources(store, root / "corpus", [str(secret)])
    assert "cannot read" in result.message


def test_a_full_disk_leaves_no_file(server, store, root, tmp_path, monkeypatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    (tmp_path / "essay.txt").write_text("words")
    monkeypatch.setattr(os, "fsync", disk_full)
    results = _add(store, root, server.url("/page"), str(tmp_path / "essay.txt"))
    assert all("No space left on device" in r.message for r in results)
    assert _corpus(root) == []


def test_fetch_returns_the_final_address_type_and_charset(server) -> None:
    page = fetch_url(server.url("/r1"), limits=LIMITS)
    assert (page.url, page.content_type, page.charset, page.data) == (
        server.url("/page"), "text/html", "utf-8", PAGE,
    )  # fmt: skip
    with pytest.raises(FetchError):
        fetch_url(server.url("/missing"), limits=LIMITS)
