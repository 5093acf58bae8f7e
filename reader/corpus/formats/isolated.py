"""Run an extractor in a child process under a time and memory limit.

Parsers can loop, crash or eat memory on hostile input (pypdf is pure Python: a crafted PDF
can loop for minutes). A sync reads thousands of files, so one long-lived worker process does
them all and is killed and replaced only when a file overruns. The TUI runs threads, so the
worker is a fresh interpreter (`subprocess`, which never forks a threaded parent into running
Python), not `multiprocessing`: its spawn and fork server re-run the parent's main script in
every child (the `reader` script imports the whole CLI), and an unguarded script fails outright.
Requests and answers are length-prefixed pickles over the child's stdin and a private copy of
its stdout; what the parser prints goes to /dev/null, never over the TUI.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
from multiprocessing.connection import wait
from types import TracebackType
from typing import IO, Any

from reader.corpus.formats import Extracted, Unreadable

try:
    import resource
except ImportError:  # Windows: no address-space limit, the time limit still holds
    resource = None  # type: ignore[assignment]

EXTRACTORS = {
    "pdf": "reader.corpus.formats.pdf:extract_pdf",
    "docx": "reader.corpus.formats.docx:extract_docx",
    "html": "reader.corpus.formats.html:extract_html",
    "epub": "reader.corpus.formats.epub:extract_epub",
}
"""Kind to `module:function`, imported in the worker only when a file of that kind comes."""

DEFAULT_TIMEOUT = 30.0
MEMORY_LIMIT = 2 * 1024**3
START_TIMEOUT = 120.0  # starting the interpreter is not the file's fault: a generous bound
LEAVE_TIMEOUT = 5.0  # a worker told to stop that is still there after this is killed
_HEADER = struct.Struct("!Q")
_CHILD = "from reader.corpus.formats.isolated import serve; serve()"


def _size(limit: int) -> str:
    """`2 GB`, `512 MB`: a limit as the user reads it."""
    return f"{limit / 1024**3:g} GB" if limit >= 1024**3 else f"{limit / 1024**2:g} MB"


class ExtractionWorker:
    """One child process that extracts files one at a time; open it once per sync.

    `extract` returns the `Extracted` or raises `Unreadable` (the extractor's own reason, a
    time-out, running out of memory, or a crash). After a time-out or a crash the child is
    killed and the next call starts a fresh one. Calls from several threads take turns.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int = MEMORY_LIMIT,
        extractors: dict[str, str] | None = None,
    ) -> None:
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.extractors = {**EXTRACTORS, **(extractors or {})}
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._lock = threading.Lock()

    def __enter__(self) -> ExtractionWorker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker process's id while one runs (a new one after a time-out or crash)."""
        process = self._process
        return process.pid if process is not None else None

    def extract(self, kind: str, data: bytes, *, timeout: float | None = None) -> Extracted:
        """The file's article, read by the extractor registered for `kind`."""
        target = self.extractors.get(kind)
        if target is None:
            raise Unreadable(f"no reader for {kind!r} files")
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            process = self._ensure_started(kind)
            try:
                _send(process.stdin, (target, data))
                if not wait([process.stdout], limit):  # type: ignore[list-item]
                    self._stop(kill=True)
                    raise Unreadable(f"{kind.upper()} took longer than {limit:g} s to read")
                status, value = _receive(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                code = self._stop(kill=True)
                raise Unreadable(f"the parser crashed ({_exit_reason(code)})") from None
            if status == "memory":
                self._stop(kill=True)
        if status == "ok":
            return value
        if status == "memory":
            raise Unreadable(f"ran out of memory (limit {_size(self.memory_limit)})")
        if status == "crashed":
            raise Unreadable(f"the parser crashed ({value})")
        raise Unreadable(str(value))

    def close(self) -> None:
        """Stop the worker (it finishes nothing: call between files)."""
        with self._lock:
            self._stop(kill=False)

    def release(self) -> None:
        """Ask the worker to stop (its stdin closed) and return at once: a thread of its own
        waits for it to exit and reaps it, so a sync does not wait ~15 ms per worker for
        interpreters to shut down. `wait_for_released` waits for every one released."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            _close_pipes(process)
            reaper = threading.Thread(
                target=_reap, args=(process,), name="reader-reap", daemon=True
            )
            with _REAPERS_LOCK:
                _REAPERS.add(reaper)
            reaper.start()

    def start(self, *kinds: str) -> None:
        """Start the worker now, importing the readers for `kinds`, without waiting: a sync
        calls this before it scans the folder, so the start overlaps that work."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._launch(kinds)

    def _ensure_started(self, kind: str) -> subprocess.Popen[bytes]:
        """A live, ready worker, starting one when there is none (or it died between files)."""
        if self._process is None or self._process.poll() is not None:
            self._launch((kind,))
        process = self._process
        assert process is not None
        if not self._ready:
            try:  # the start and imports are not the file's fault: they get their own bound
                if not wait([process.stdout], START_TIMEOUT):  # type: ignore[list-item]
                    raise EOFError
                _receive(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                code = self._stop(kill=True)
                raise Unreadable(f"the parser could not start ({_exit_reason(code)})") from None
            self._ready = True
        return process

    def _launch(self, kinds: tuple[str, ...]) -> None:
        """Start a fresh interpreter running `serve`, which imports the readers for `kinds`."""
        self._stop(kill=True)
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(entry for entry in sys.path if entry)
        environment["READER_EXTRACTOR_MEMORY"] = str(self.memory_limit)
        environment["READER_EXTRACTOR_PRELOAD"] = " ".join(
            self.extractors[kind] for kind in kinds if kind in self.extractors
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,  # Ctrl+C in the terminal is the parent's to handle
        )
        self._ready = False

    def _stop(self, *, kill: bool) -> int | None:
        """End the worker: let it leave (its stdin closed), or kill it; its exit code."""
        process, self._process = self._process, None
        if process is None:
            return None
        if kill:
            process.kill()
        _close_pipes(process)
        return _wait_or_kill(process, None if kill else LEAVE_TIMEOUT)


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    """Close our ends of the worker's pipes: its stdin ending tells it to leave."""
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _wait_or_kill(process: subprocess.Popen[bytes], timeout: float | None) -> int:
    """The exit code once the worker is gone, killed when it does not leave in `timeout`."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


_REAPERS: set[threading.Thread] = set()
_REAPERS_LOCK = threading.Lock()


def _reap(process: subprocess.Popen[bytes]) -> None:
    """A released worker's thread: wait for it to leave (kill it if it lingers), reap it."""
    try:
        _wait_or_kill(process, LEAVE_TIMEOUT)
    finally:
        with _REAPERS_LOCK:
            _REAPERS.discard(threading.current_thread())


def wait_for_released(timeout: float | None = None) -> bool:
    """Wait until every released worker has exited and been reaped; False if `timeout` ran
    out first (for tests, and for a caller that must know no worker outlives it)."""
    with _REAPERS_LOCK:
        reapers = list(_REAPERS)
    for reaper in reapers:
        reaper.join(timeout)
        if reaper.is_alive():
            return False
    return True


def _send(stream: IO[bytes] | None, message: Any) -> None:
    """Write one length-prefixed pickle and flush it."""
    if stream is None:
        raise EOFError
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive(stream: IO[bytes] | None) -> Any:
    """Read one length-prefixed pickle; `EOFError` when the other side is gone."""
    if stream is None:
        raise EOFError
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (length,) = _HEADER.unpack(header)
    payload = stream.read(length)
    if len(payload) < length:
        raise EOFError
    return pickle.loads(payload)


def _exit_reason(code: int | None) -> str:
    """How the worker ended, for the crash reason."""
    if code is None:
        return "the worker did not answer"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"the worker exited with code {code}"


def extract_isolated(kind: str, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> Extracted:
    """One file through a worker of its own; a sync should keep one `ExtractionWorker` instead."""
    with ExtractionWorker(timeout=timeout) as worker:
        return worker.extract(kind, data)


def serve() -> None:
    """The worker's loop: read `(target, bytes)`, answer `(status, value)`, until stdin ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # a parser's prints and warnings must reach neither protocol nor TUI
        os.dup2(devnull, fd)
    os.close(devnull)
    memory_limit = int(os.environ.get("READER_EXTRACTOR_MEMORY", MEMORY_LIMIT))
    if resource is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    for target in os.environ.get("READER_EXTRACTOR_PRELOAD", "").split():
        with contextlib.suppress(Exception):  # a broken reader is reported per file instead
            _resolve(target)
    _send(answers, ("ready", None))
    while True:
        try:
            target, data = _receive(requests)
        except (EOFError, OSError):
            return
        answer = _answer(target, data)
        del data
        try:
            _send(answers, answer)
        except MemoryError:
            _send(answers, ("memory", None))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # unpicklable result
            _send(answers, ("crashed", f"{type(exc).__name__}: {str(exc)[:200]}"))
        if answer[0] == "memory":
            return  # a fresh worker is safer than one that ran out of memory mid-parse


def _answer(target: str, data: bytes) -> tuple[str, Any]:
    """Run one extraction; every outcome becomes a `(status, value)` answer."""
    try:
        extracted = _resolve(target)(data)
        if isinstance(extracted, Extracted) and extracted.words is None:
            extracted.words = _count_words(extracted.text)
        return ("ok", extracted)
    except Unreadable as exc:
        return ("unreadable", str(exc))
    except MemoryError:
        return ("memory", None)
    except RecursionError:
        return ("crashed", "the file nests too deeply")
    except Exception as exc:  # any parser bug becomes the reason, the worker lives on
        return ("crashed", f"{type(exc).__name__}: {str(exc)[:200]}")


def _count_words(text: str) -> int:
    """Words of the text as the sync counts them, here in the worker, in parallel."""
    from reader.corpus.metadata import count_words
    from reader.text.canonical import canonical_text

    return count_words(canonical_text(text))


def _resolve(target: str) -> Any:
    """The function named `module:function`; a missing module means no reader for the kind."""
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise Unreadable(f"no reader installed for this format ({exc})") from None
    return getattr(module, function_name)
