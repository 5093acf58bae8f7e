"""Extractors in a worker process: answers, refusals, and survival of loops, crashes and
memory hogs. Limits are upper bounds here, never timings: nothing asserts a duration."""

from __future__ import annotations

import os
import signal

import pytest

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.isolated import ExtractionWorker, extract_isolated
from reader.corpus.formats.pdf import SCANNED
from tests.unit.test_format_docx import article_docx
from tests.unit.test_format_pdf import article_pdf, scanned_pdf

HERE = __name__
MISBEHAVING = {
    "loop": f"{HERE}:loop_forever",
    "hog": f"{HERE}:allocate_too_much",
    "greedy": f"{HERE}:allocate_bit_by_bit",
    "raise": f"{HERE}:raise_a_bug",
    "exit": f"{HERE}:exit_the_process",
    "segfault": f"{HERE}:kill_with_sigsegv",
    "echo": f"{HERE}:echo",
    "missing": "reader.corpus.formats.no_such_module:extract",
}
LIMIT = 256 * 1024**2  # small, so the greedy extractor fills it fast


def loop_forever(data: bytes) -> Extracted:
    while True:
        pass


def allocate_too_much(data: bytes) -> Extracted:
    hoard = bytearray(2 * LIMIT)
    return Extracted(text=str(len(hoard)))


def allocate_bit_by_bit(data: bytes) -> Extracted:
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024**2))


def raise_a_bug(data: bytes) -> Extracted:
    raise KeyError("/Kids")


def exit_the_process(data: bytes) -> Extracted:
    os._exit(3)


def kill_with_sigsegv(data: bytes) -> Extracted:
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("unreachable")


def echo(data: bytes) -> Extracted:
    return Extracted(text=data.decode())


@pytest.fixture(scope="module")
def worker():
    with ExtractionWorker(timeout=60, memory_limit=LIMIT, extractors=MISBEHAVING) as worker:
        yield worker


def test_a_pdf_is_read_in_the_worker_and_the_worker_is_reused(worker) -> None:
    first = worker.extract("pdf", article_pdf(pages=2))
    pid = worker.pid
    again = worker.extract("echo", b"hello")
    assert "sanctions has divided" in first.text
    assert first.title == "Sanctions and the Serbian Government"
    assert again.text == "hello"
    assert worker.pid == pid and pid != os.getpid()


def test_a_docx_is_read_in_the_worker(worker) -> None:
    extracted = worker.extract("docx", article_docx())
    assert extracted.author == "Jelena Markovic"
    assert "the gas contract\nthe grain corridor" in extracted.text


def test_the_extractor_s_own_reason_comes_back(worker) -> None:
    with pytest.raises(Unreadable) as caught:
        worker.extract("pdf", scanned_pdf())
    assert str(caught.value) == SCANNED


def test_a_looping_extractor_times_out_and_the_next_file_still_reads(worker) -> None:
    with pytest.raises(Unreadable) as caught:
        worker.extract("loop", b"", timeout=1)
    assert str(caught.value) == "LOOP took longer than 1 s to read"
    assert worker.extract("echo", b"after the loop").text == "after the loop"


def test_the_time_out_names_the_kind(worker) -> None:
    worker_pdf = ExtractionWorker(timeout=0.5, extractors={"pdf": f"{HERE}:loop_forever"})
    with worker_pdf, pytest.raises(Unreadable, match=r"^PDF took longer than 0.5 s to read$"):
        worker_pdf.extract("pdf", b"%PDF-1.7")


@pytest.mark.parametrize("kind", ["hog", "greedy"])
def test_memory_beyond_the_limit_is_unreadable(worker, kind: str) -> None:
    with pytest.raises(Unreadable) as caught:
        worker.extract(kind, b"")
    assert str(caught.value) == "ran out of memory (limit 256 MB)"
    assert worker.extract("echo", b"still here").text == "still here"


def test_an_exception_in_the_parser_is_a_crash_not_a_dead_worker(worker) -> None:
    worker.extract("echo", b"warm")
    pid = worker.pid
    with pytest.raises(Unreadable) as caught:
        worker.extract("raise", b"")
    assert str(caught.value) == "the parser crashed (KeyError: '/Kids')"
    assert worker.pid == pid


@pytest.mark.parametrize(
    ("kind", "how"),
    [("exit", "the worker exited with code 3"), ("segfault", "killed by SIGSEGV")],
)
def test_a_worker_that_dies_is_replaced(worker, kind: str, how: str) -> None:
    with pytest.raises(Unreadable) as caught:
        worker.extract(kind, b"")
    assert str(caught.value) == f"the parser crashed ({how})"
    assert worker.extract("echo", b"reborn").text == "reborn"


def test_unknown_kinds_and_missing_readers(worker) -> None:
    with pytest.raises(Unreadable, match="no reader for 'xls' files"):
        worker.extract("xls", b"")
    with pytest.raises(Unreadable, match="no reader installed for this format"):
        worker.extract("missing", b"")


def test_one_shot_extraction() -> None:
    extracted = extract_isolated("pdf", article_pdf(pages=1))
    assert extracted.author == "Ana Petrovic"
    with pytest.raises(Unreadable, match="damaged PDF"):
        extract_isolated("pdf", b"%PDF-1.7\n" + b"\x00" * 100)


def test_closing_stops_the_worker() -> None:
    with ExtractionWorker(extractors={"echo": f"{HERE}:echo"}) as worker:
        worker.extract("echo", b"x")
        pid = worker.pid
    assert pid is not None and worker.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
