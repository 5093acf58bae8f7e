"""Parse the corpus files a sync reads on every core, in order, with memory flat.

`parse_files` takes the files to read lazily and yields each with `.parsed` set, in the order
given, never holding more than `IN_FLIGHT` of them. Plain text and Markdown go, in batches of
paths, to parse workers once there are enough of them to pay for starting one (below that they
are parsed here); each worker reads its files itself and sends back parsed documents. A batch
no worker has taken yet when its first file is wanted is parsed here instead of waited for
(while the workers start, or when they fall behind), so this thread never idles. Web pages,
EPUB, PDF and DOCX go to the isolated extraction workers under their time and memory limits,
as before. Workers are fresh interpreters (`ExtractionWorker`, never a fork of this process,
which may run threads: the TUI syncs in one); a worker that dies (killed, out of memory) costs
only the file that killed it, which gets the reason, and the rest goes on.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from reader.corpus.file_parse import encode_batch, read_and_parse, unparsed
from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.isolated import ExtractionWorker
from reader.corpus.ingest import RICH_SUFFIXES, TEXT_SUFFIXES, Extractor, ParsedDocument
from reader.corpus.scan import FileState

IN_FLIGHT = 2048  # files taken ahead of the one yielded: bounds memory whatever the corpus size
IN_FLIGHT_BYTES = 64 * 2**20  # and their bytes (by size found), so big files do not pile up
# A worker costs ~0.1 s to start (a fresh interpreter and its imports), a file ~0.2-0.3 ms to
# parse: workers start once this many plain files are to be read, and the first ones are
# parsed here meanwhile, so the start-up is not waited for.
POOL_THRESHOLD = 400
HERE_WHILE_STARTING = 160
PARSE_WORKERS = max(1, min(4, os.cpu_count() or 1))
EXTRACTION_WORKERS = max(1, min(4, os.cpu_count() or 1))
RICH_FILES_PER_WORKER = 16  # below this many rich files a second worker costs more than it saves
BATCH_FILES = 32  # paths per request: one round trip per batch, not per file
BATCH_BYTES = 4 * 2**20  # and at most this much text in a batch
IN_POOL_MAX_BYTES = 16 * 2**20  # larger plain files are parsed here, as they always were
PLAIN_TIMEOUT = 600.0  # a batch's bound: only a stuck worker reaches it
PLAIN_TARGET = "reader.corpus.file_parse:parse_batch"  # what a parse worker runs
PARSE_HERE_WHEN_WAITING = True  # a batch no worker took yet is parsed here rather than waited for


def parse_files(
    corpus_dir: Path,
    states: Iterable[FileState],
    extract: Extractor | None,
    max_bytes: int | None,
) -> Iterator[FileState]:
    """Each of `states` with `.parsed` set (left alone when `skip_reason` says it is not to be
    read), in order. `extract` reads web pages, EPUB, PDF and DOCX (None: isolated workers)."""
    with _Parser(corpus_dir, extract, max_bytes) as parser:
        yield from parser.run(iter(states))


class _RichWorkers:
    """Isolated extraction workers, started as rich files come, taken in turns by threads."""

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[ExtractionWorker] = queue.SimpleQueue()
        self._all: list[ExtractionWorker] = []
        self._lock = threading.Lock()

    def grow(self, kinds: set[str], wanted: int) -> None:
        """At least `wanted` workers (up to EXTRACTION_WORKERS), new ones started at once."""
        with self._lock:
            while len(self._all) < min(max(1, wanted), EXTRACTION_WORKERS):
                worker = ExtractionWorker()
                worker.start(*kinds)
                self._all.append(worker)
                self._idle.put(worker)

    def extract(self, kind: str, data: bytes) -> Extracted:
        self.grow({kind}, 1)
        worker = self._idle.get()
        try:
            return worker.extract(kind, data)
        finally:
            self._idle.put(worker)

    def release(self) -> None:
        for worker in self._all:
            worker.release()


class _Parser:
    """One run of `parse_files`: the window of files in flight and the workers behind it."""

    def __init__(self, corpus_dir: Path, extract: Extractor | None, max_bytes: int | None):
        self.corpus_dir = corpus_dir
        self.max_bytes = max_bytes
        self.rich = _RichWorkers()
        self.extract: Extractor = extract or self.rich.extract
        self.isolated = extract is None
        self._plain: queue.SimpleQueue[ExtractionWorker] = queue.SimpleQueue()
        self._plain_all: list[ExtractionWorker] = []
        self._plain_started: set[ExtractionWorker] = set()
        self._threads = ThreadPoolExecutor(
            PARSE_WORKERS + EXTRACTION_WORKERS, thread_name_prefix="reader-parse"
        )

    def __enter__(self) -> _Parser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        for worker in self._plain_all:  # reaped by threads of their own: no waiting here
            worker.release()
        self.rich.release()

    def run(self, states: Iterator[FileState]) -> Iterator[FileState]:
        window: deque[_Entry] = deque()
        head = _first(states)
        use_pool = sum(1 for state in head if self._poolable(state)) >= max(1, POOL_THRESHOLD)
        if use_pool:
            self._start_plain_workers()
        self._start_rich_workers(head)
        pending = iter(head)
        batch: list[FileState] = []
        taken_bytes = 0  # of the files in `window` and `batch`
        seen_plain = 0  # plain files taken while parsing here
        here_first = HERE_WHILE_STARTING
        batch_bytes = 0
        while True:
            # Fill the window: from the first files taken, then lazily from `states`.
            while len(window) + len(batch) < IN_FLIGHT and (
                not window or taken_bytes < IN_FLIGHT_BYTES
            ):
                state = next(pending, None) or next(states, None)
                if state is None:
                    break
                taken_bytes += _weight(state)
                poolable = self._poolable(state)
                if not use_pool and poolable:
                    seen_plain += 1
                    if seen_plain >= POOL_THRESHOLD:  # more plain files came after the first
                        self._start_plain_workers()
                        use_pool = True
                if use_pool and poolable and here_first > 0:
                    here_first -= 1  # parsed here while the workers start
                elif use_pool and poolable:
                    batch.append(state)
                    batch_bytes += state.size
                    if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
                        window.extend(self._submit_batch(batch))
                        batch, batch_bytes = [], 0
                    continue
                window.extend(self._submit_batch(batch))
                batch, batch_bytes = [], 0
                window.append((state, self._submit_one(state), None, 0))
            if not window and batch:
                window.extend(self._submit_batch(batch))
                batch, batch_bytes = [], 0
            if not window:
                return
            state, future, plain, index = window.popleft()
            taken_bytes -= _weight(state)
            if plain is not None:
                if index == 0 and not plain.future.done():
                    self._parse_here_unless_taken(plain)
                if not plain.here:  # else parsed here, above, when its first file was wanted
                    state.parsed = plain.future.result()[index]
            elif future is not None:
                state.parsed = future.result()
            elif not state.skip_reason:
                state.parsed = self._read_here(state)
            yield state

    def _poolable(self, state: FileState) -> bool:
        return (
            not state.skip_reason
            and state.size <= IN_POOL_MAX_BYTES
            and os.path.splitext(state.path)[1].lower() in TEXT_SUFFIXES
        )

    def _submit_one(self, state: FileState) -> Future[ParsedDocument] | None:
        """A rich file goes to a thread that waits on an extraction worker; others are read
        when their turn comes (skipped ones not at all)."""
        if state.skip_reason or not self.isolated:
            return None
        if os.path.splitext(state.path)[1].lower() not in RICH_SUFFIXES:
            return None
        return self._threads.submit(self._read_here, state)

    def _read_here(self, state: FileState) -> ParsedDocument:
        return read_and_parse(
            self.corpus_dir, state.path, state.via_link, self.extract, self.max_bytes
        )

    def _submit_batch(self, batch: list[FileState]) -> list[_Entry]:
        if not batch:
            return []
        plain = _PlainBatch(list(batch))
        plain.future = self._threads.submit(self._batch_in_worker, plain)
        return [(state, None, plain, index) for index, state in enumerate(batch)]

    def _parse_here_unless_taken(self, plain: _PlainBatch) -> None:
        """Parse a batch here when no worker has taken it yet (the workers are starting, or
        behind): this thread would otherwise only wait for it."""
        if PARSE_HERE_WHEN_WAITING and plain.claim():
            for state in plain.states:
                state.parsed = self._read_here(state)
            plain.here = True

    def _batch_in_worker(self, plain: _PlainBatch) -> list[ParsedDocument | None]:
        """The batch parsed by a worker, once one is started and free, unless the consuming
        thread parsed it meanwhile (then nothing: its files hold their documents already)."""
        worker = self._plain.get()
        try:
            if worker not in self._plain_started:  # an empty batch: answered once it started
                with contextlib.suppress(Unreadable):  # (one that cannot start says so below)
                    worker.extract("plain", encode_batch(self.corpus_dir, self.max_bytes, []))
                self._plain_started.add(worker)
            claimed = plain.claim()
        finally:
            self._plain.put(worker)
        if not claimed:
            return [None] * len(plain.states)
        return list(self._parse_batch(plain.states))

    def _parse_batch(self, batch: list[FileState]) -> list[ParsedDocument]:
        """The batch parsed by a parse worker; when the worker dies, each file again alone, so
        that only the file that kills a worker is skipped (with the reason)."""
        try:
            found = self._in_worker(batch)
        except Unreadable:
            found = []
            for state in batch:
                try:
                    found.extend(self._in_worker([state]))
                except Unreadable as exc:
                    found.append(
                        unparsed(
                            self.corpus_dir, state.path, state.via_link, self.max_bytes, str(exc)
                        )
                    )
        return [
            parsed if parsed is not None else self._read_here(state)  # a web page in a .txt
            for state, parsed in zip(batch, found, strict=True)
        ]

    def _in_worker(self, batch: list[FileState]) -> list[ParsedDocument | None]:
        payload = encode_batch(
            self.corpus_dir, self.max_bytes, [(state.path, state.via_link) for state in batch]
        )
        worker = self._plain.get()
        try:
            found = worker.extract("plain", payload)
        finally:
            self._plain.put(worker)
        if not isinstance(found, list) or len(found) != len(batch):
            raise Unreadable("the parse worker answered out of turn")
        return found

    def _start_plain_workers(self) -> None:
        for _ in range(PARSE_WORKERS):
            worker = ExtractionWorker(timeout=PLAIN_TIMEOUT, extractors={"plain": PLAIN_TARGET})
            worker.start("plain")
            self._plain_all.append(worker)
            self._plain.put(worker)

    def _start_rich_workers(self, head: list[FileState]) -> None:
        """Start as many extraction workers as the first files call for, together, so their
        start-up overlaps; more are never needed than that, fewer start on demand."""
        if not self.isolated:
            return
        kinds = {
            kind
            for state in head
            if not state.skip_reason
            and (kind := RICH_SUFFIXES.get(os.path.splitext(state.path)[1].lower()))
        }
        rich = sum(
            1
            for state in head
            if not state.skip_reason
            and os.path.splitext(state.path)[1].lower() in RICH_SUFFIXES
        )
        if rich:
            self.rich.grow(kinds, rich // RICH_FILES_PER_WORKER)


class _PlainBatch:
    """Plain files sent to the parse workers together, parsed by whoever claims them first: a
    worker's thread once a worker is free, or the consuming thread when it wants the first."""

    def __init__(self, states: list[FileState]) -> None:
        self.states = states
        self.future: Future[list[ParsedDocument | None]]  # its worker's thread's, once submitted
        self.here = False  # parsed by the consuming thread
        self._claimed = False
        self._lock = threading.Lock()

    def claim(self) -> bool:
        with self._lock:
            taken, self._claimed = self._claimed, True
        return not taken


# A file in flight: its future (None: read when its turn comes), or the plain batch it is in
# and its place there.
_Entry = tuple[FileState, "Future[ParsedDocument] | None", "_PlainBatch | None", int]


def _first(states: Iterator[FileState]) -> list[FileState]:
    """The first files, as many as may be in flight: what decides whether workers start."""
    head: list[FileState] = []
    size = 0
    while len(head) < IN_FLIGHT and (not head or size < IN_FLIGHT_BYTES):
        state = next(states, None)
        if state is None:
            break
        head.append(state)
        size += _weight(state)
    return head


def _weight(state: FileState) -> int:
    """The bytes a file in flight may hold: none for one that is not to be read."""
    return 0 if state.skip_reason else state.size
