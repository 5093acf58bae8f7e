"""parse_files: every file parsed as the sync parses it in process, in order, lazily, and a
worker that dies costs only its file."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.corpus import parse_pool
from reader.corpus.formats.isolated import ExtractionWorker, wait_for_released
from reader.corpus.ingest import ParsedDocument, extract_in_process, parse_document, size_limit
from reader.corpus.parse_pool import parse_files
from reader.corpus.scan import FileState, NotReadable, read_corpus_file, scan, skip_reason_unread
from tests.unit.hostile import build_hostile_corpus
from tests.unit.test_format_html import page

ARTICLE = "A Title Here\n\nBy Jane Doe\n\nSerbia’s long-standing ties, {n} of them, go back far.\n"


def _plain_corpus(tmp_path: Path, count: int) -> tuple[Path, list[FileState]]:
    """`count` plain articles in tmp_path/corpus and their states, as a scan gives them."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    states = []
    for n in range(count):
        (corpus / f"{n}.txt").write_text(ARTICLE.format(n=n))
        states.append(FileState(f"{n}.txt", (corpus / f"{n}.txt").stat().st_size, 1))
    return corpus, states


def reference(corpus: Path, state: FileState, max_bytes: int | None) -> ParsedDocument | None:
    """What the sync's in-process read gave before the pool: read, then parse_document."""
    if state.skip_reason:
        return None
    full = corpus / state.path
    try:
        data = read_corpus_file(full, size_limit(full, max_bytes))
    except NotReadable as exc:
        return ParsedDocument("", None, skip_reason=str(exc))
    return parse_document(full, data, extract_in_process)


def mixed_corpus(corpus: Path, plain: int = 12) -> None:
    """txt, Markdown with front matter, a web page, a web page saved as .txt, bad UTF-8, a
    binary, an empty file, a file grown past the limit, a link where a file was."""
    corpus.mkdir()
    for n in range(plain):
        (corpus / f"{n:03}-article.txt").write_text(ARTICLE.format(n=n), encoding="utf-8")
    (corpus / "050-notes.md").write_text(
        "---\ntitle: Notes\nauthor: Ana\ntags: [a, b]\ndate: 2024-05-01\n---\n# Notes\n\nbody\n"
    )
    article = "<p>" + "The harbour lamp burned all night by the sea. " * 30 + "</p>"
    (corpus / "051-page.html").write_bytes(page(f"<article><h1>Page</h1>{article}</article>"))
    (corpus / "052-saved.txt").write_bytes(page(f"<article><h1>Saved</h1>{article}</article>"))
    (corpus / "053-latin1.txt").write_bytes("Caf\xe9 cr\xe8me, na\xefve text.\n".encode("cp1252"))
    (corpus / "054-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (corpus / "055-empty.md").write_text("  \n\n")
    (corpus / "056-grown.txt").write_text("word " * 2000)
    (corpus / "057-target.txt").write_text("the target\n")
    os.symlink(corpus / "057-target.txt", corpus / "058-became-link.txt")
    for n in range(plain):
        (corpus / f"100-{n:03}.md").write_text(f"# Heading {n}\n\nMore text, {n}.\n")


def states_of(corpus: Path) -> list[FileState]:
    """The corpus's files as a scan finds them; one is marked skipped before it is read and
    one has grown since the scan (its size is the old one)."""
    found = []
    for name in sorted(os.listdir(corpus)):
        size = os.lstat(corpus / name).st_size
        state = FileState(name, 100 if name == "056-grown.txt" else size, 1)
        if name == "057-target.txt":
            state.skip_reason = "decided before reading"
        found.append(state)
    return found


@pytest.fixture(autouse=True)
def _few_parsed_here_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two plain files parsed here while the workers start, the rest by the workers."""
    monkeypatch.setattr(parse_pool, "HERE_WHILE_STARTING", 2)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool starts for a handful of files, in small batches."""
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(parse_pool, "BATCH_FILES", 3)
    monkeypatch.setattr(parse_pool, "PARSE_WORKERS", 2)
    _workers_only(monkeypatch)


def _workers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches wait for the workers, never parsed here meanwhile: what a worker does is seen."""
    monkeypatch.setattr(parse_pool, "PARSE_HERE_WHEN_WAITING", False)


@pytest.mark.parametrize("use_pool", [True, False])
@pytest.mark.parametrize("extract", [None, extract_in_process])
def test_parse_files_gives_the_in_process_documents_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_pool: bool, extract: object
) -> None:
    if use_pool:
        monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 1)
        monkeypatch.setattr(parse_pool, "BATCH_FILES", 3)
    else:
        monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 10**9)
    corpus = tmp_path / "corpus"
    mixed_corpus(corpus)
    states = states_of(corpus)
    expected = {state.path: reference(corpus, state, 4000) for state in states}
    out = list(parse_files(corpus, iter(states), extract, 4000))  # type: ignore[arg-type]
    assert [state.path for state in out] == [state.path for state in states]
    assert {state.path: state.parsed for state in out} == expected
    by_path = {state.path: state.parsed for state in out}
    assert by_path["050-notes.md"].tags == ["a", "b"]
    assert by_path["051-page.html"].kind == by_path["052-saved.txt"].kind == "html"
    assert by_path["053-latin1.txt"].encoding == "cp1252"
    assert "binary" in by_path["054-binary.txt"].skip_reason
    assert "grew past the limit" in by_path["056-grown.txt"].skip_reason
    assert "became a link" in by_path["058-became-link.txt"].skip_reason
    assert by_path["057-target.txt"] is None  # skipped before reading: left alone


@pytest.mark.parametrize("use_pool", [True, False])
def test_parse_files_takes_files_lazily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_pool: bool
) -> None:
    monkeypatch.setattr(parse_pool, "IN_FLIGHT", 8)
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 1 if use_pool else 10**9)
    monkeypatch.setattr(parse_pool, "BATCH_FILES", 3)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(60):
        (corpus / f"{n:03}.txt").write_text(ARTICLE.format(n=n))
    taken = 0

    def lazily() -> Iterator[FileState]:
        nonlocal taken
        for n in range(60):
            taken += 1
            yield FileState(f"{n:03}.txt", (corpus / f"{n:03}.txt").stat().st_size, 1)

    given = 0
    for state in parse_files(corpus, lazily(), extract_in_process, None):
        given += 1
        assert state.parsed is not None and state.parsed.text is not None
        assert taken - given <= 8  # never drained ahead by more than the bound
    assert given == taken == 60


def test_a_worker_killed_mid_run_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: None
) -> None:
    monkeypatch.setattr(parse_pool, "PLAIN_TARGET", "tests.unit.parse_pool_killer:parse_batch")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = [f"{n:03}.txt" for n in range(10)]
    names.insert(4, "004-kill-me.txt")
    for name in names:
        (corpus / name).write_text(ARTICLE.format(n=name))
    states = [FileState(name, (corpus / name).stat().st_size, 1) for name in names]
    out = list(parse_files(corpus, states, extract_in_process, None))
    assert [state.path for state in out] == names
    for state in out:
        assert state.parsed is not None
        if state.path == "004-kill-me.txt":
            assert state.parsed.text is None
            assert state.parsed.skip_reason == "the parser crashed (killed by SIGKILL)"
            assert state.parsed.content_hash  # read again when it changes, not every sync
        else:
            assert state.parsed == reference(corpus, state, None)


@pytest.mark.parametrize("use_pool", [True, False])
def test_parse_files_bounds_the_bytes_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_pool: bool
) -> None:
    """Big files: fewer of them in flight, so memory stays flat whatever their size."""
    monkeypatch.setattr(parse_pool, "IN_FLIGHT_BYTES", 5 * 1000)
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 1 if use_pool else 10**9)
    monkeypatch.setattr(parse_pool, "BATCH_FILES", 2)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(60):
        (corpus / f"{n:03}.txt").write_text(f"word{n} " * 200)  # 1,000 bytes and more
    taken = 0

    def lazily() -> Iterator[FileState]:
        nonlocal taken
        for n in range(60):
            taken += 1
            yield FileState(f"{n:03}.txt", (corpus / f"{n:03}.txt").stat().st_size, 1)

    given = 0
    for state in parse_files(corpus, lazily(), extract_in_process, None):
        given += 1
        assert state.parsed is not None and state.parsed.words == 200
        assert taken - given <= 12  # about twice the bytes bound, far below the 256 files
    assert given == 60


def test_workers_start_when_plain_files_come_after_the_first_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first files taken are skipped ones; the plain files after them still get workers."""
    monkeypatch.setattr(parse_pool, "IN_FLIGHT", 4)
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 3)
    monkeypatch.setattr(parse_pool, "PLAIN_TARGET", "tests.unit.parse_pool_killer:parse_batch")
    _workers_only(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    states = [FileState(f"a{n}.txt", 1, 1, skip_reason="too big") for n in range(4)]
    for n in range(6):
        name = f"b{n}-kill-me.txt" if n == 5 else f"b{n}.txt"
        (corpus / name).write_text(ARTICLE.format(n=n))
        states.append(FileState(name, (corpus / name).stat().st_size, 1))
    out = {state.path: state.parsed for state in parse_files(corpus, states, None, None)}
    assert out["b0.txt"] is not None and out["b0.txt"].text is not None
    # Only a worker dies on this file: parsed here, it would have been read.
    assert out["b5-kill-me.txt"].skip_reason == "the parser crashed (killed by SIGKILL)"


def test_the_hostile_corpus_parses_alike_in_workers_and_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every hostile entry (bad names, a FIFO, links in, out and round, a sparse 1 GB file,
    front matter bombs, lone surrogates) gets the same outcome from the workers."""
    corpus = build_hostile_corpus(tmp_path / "ws")

    def parsed(pool_threshold: int) -> dict[str, ParsedDocument | None]:
        monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", pool_threshold)
        found = scan(corpus).files
        states = [found[path] for path in sorted(found)]
        for state in states:
            state.skip_reason = skip_reason_unread(state, None)
        return {state.path: state.parsed for state in parse_files(corpus, states, None, None)}

    here, in_workers = parsed(10**9), parsed(1)
    assert in_workers == here
    assert sum(1 for document in here.values() if document and document.text) >= 10


def test_few_plain_files_start_no_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a worker costs more than parsing a few files here: below the threshold none
    starts (a worker here would answer that it has no reader)."""
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 11)
    monkeypatch.setattr(parse_pool, "PLAIN_TARGET", "tests.unit.no_such_module:parse_batch")
    _workers_only(monkeypatch)
    corpus, states = _plain_corpus(tmp_path, 10)
    for state in parse_files(corpus, states, None, None):
        assert state.parsed == reference(corpus, state, None)
    monkeypatch.setattr(parse_pool, "POOL_THRESHOLD", 10)  # and at it, workers do start
    skipped = [state.parsed.skip_reason for state in parse_files(corpus, states, None, None)]
    assert skipped[:2] == [None, None]  # parsed here while the workers start
    assert all("no reader installed" in (reason or "") for reason in skipped[2:])


def test_a_batch_no_worker_is_free_for_is_parsed_here_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: None
) -> None:
    """Workers that are not free (starting, or behind) are not waited for: the first batch is
    parsed here, and the files still come in order, parsed alike."""
    monkeypatch.setattr(parse_pool, "PARSE_HERE_WHEN_WAITING", True)
    monkeypatch.setattr(parse_pool, "HERE_WHILE_STARTING", 0)
    monkeypatch.setattr(parse_pool, "PLAIN_TARGET", "tests.unit.parse_pool_held:parse_batch")
    hold = tmp_path / "hold"
    os.mkfifo(hold)
    monkeypatch.setenv("READER_TEST_HOLD", str(hold))
    corpus, states = _plain_corpus(tmp_path, 9)
    released, let_go = threading.Event(), threading.Event()
    held: list[int] = []

    def release() -> None:  # at the first file, or after a minute if none ever comes
        released.wait(60)
        held.append(os.open(hold, os.O_RDWR))  # a writer: the held workers' opens return
        let_go.set()

    letting_go = threading.Thread(target=release)
    letting_go.start()
    out: list[tuple[str, bool]] = []
    try:
        for state in parse_files(corpus, states, None, None):
            out.append((state.path, let_go.is_set()))
            released.set()
            assert state.parsed == reference(corpus, state, None)
    finally:
        released.set()
        letting_go.join()
        for fd in held:
            os.close(fd)
    assert [path for path, _ in out] == [state.path for state in states]
    assert out[0] == ("0.txt", False)  # there before the workers were let go: parsed here


def test_parsing_ends_without_waiting_for_the_workers_to_leave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: None
) -> None:
    """The workers are told to stop and reaped by threads of their own: the last file comes
    while they still shut down, and none is left behind, not even as a zombie."""
    monkeypatch.setattr(parse_pool, "PLAIN_TARGET", "tests.unit.parse_pool_lingering:parse_batch")
    hold = tmp_path / "hold"
    os.mkfifo(hold)
    monkeypatch.setenv("READER_TEST_HOLD", str(hold))
    pids: list[int] = []

    class Recorded(ExtractionWorker):
        def start(self, *kinds: str) -> None:
            super().start(*kinds)
            assert self.pid is not None
            pids.append(self.pid)

    monkeypatch.setattr(parse_pool, "ExtractionWorker", Recorded)
    corpus, states = _plain_corpus(tmp_path, 9)
    for state in parse_files(corpus, states, None, None):
        assert state.parsed == reference(corpus, state, None)
    assert len(pids) == 2
    for pid in pids:
        os.kill(pid, 0)  # still there, held at its exit: the parse did not wait for it
    let_go = os.open(hold, os.O_RDWR)  # a writer: the held workers' opens return
    try:
        assert wait_for_released(timeout=60)
    finally:
        os.close(let_go)
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped: no zombie left
            os.waitpid(pid, os.WNOHANG)
