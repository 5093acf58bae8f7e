"""Run an extractor in a child process under a time and memory limit.

Parsers can loop, crash or eat memory on hostile input (pypdf is pure Python: a crafted PDF
can loop for minutes). A sync reads thousands of files, so one long-lived worker process does
them all and is killed and replaced only when a file overruns; the TUI runs threads, so the
worker comes from a fork server (or spawn), never from `fork` of the threaded parent.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection, wait
from types import TracebackType
from typing import Any

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
START_TIMEOUT = 120.0  # a worker's start (imports) is not the file's fault: a generous bound
_PRELOAD = ["reader.corpus.formats.isolated", "reader.corpus.formats.pdf"]


def _context() -> multiprocessing.context.BaseContext:
    """The fork server where there is one (cheap starts, no fork of a threaded parent)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)  # takes effect if the server is not up yet
        return context
    return multiprocessing.get_context("spawn")


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
        self._process: Any = None
        self._connection: Connection | None = None
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
            connection = self._ensure_started()
            try:
                connection.send((target, data))
            except OSError:
                code = self._stop(kill=True)
                raise Unreadable(f"the parser crashed ({_exit_reason(code)})") from None
            ready = wait([connection, self._process.sentinel], limit)
            if not ready:
                self._stop(kill=True)
                raise Unreadable(f"{kind.upper()} took longer than {limit:g} s to read")
            try:
                status, value = connection.recv()
            except (EOFError, OSError):
                code = self._stop(kill=True)
                raise Unreadable(f"the parser crashed ({_exit_reason(code)})") from None
        if status == "ok":
            return value
        if status == "memory":
            self._stop(kill=True)
            raise Unreadable(f"ran out of memory (limit {_size(self.memory_limit)})")
        if status == "crashed":
            raise Unreadable(f"the parser crashed ({value})")
        raise Unreadable(str(value))

    def close(self) -> None:
        """Stop the worker (it finishes nothing: call between files)."""
        with self._lock:
            self._stop(kill=False)

    def _ensure_started(self) -> Connection:
        """The pipe to a live worker, starting one and waiting until it is ready."""
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._stop(kill=True)
        parent, child = multiprocessing.Pipe()
        process = _context().Process(
            target=_serve,
            args=(child, list(sys.path), self.memory_limit),
            name="reader-extractor",
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        if not wait([parent, process.sentinel], START_TIMEOUT) or not parent.poll():
            code = self._stop(kill=True)
            raise Unreadable(f"the parser could not start ({_exit_reason(code)})")
        try:
            parent.recv()  # "ready"
        except (EOFError, OSError):
            code = self._stop(kill=True)
            raise Unreadable(f"the parser could not start ({_exit_reason(code)})") from None
        return parent

    def _stop(self, *, kill: bool) -> int | None:
        """End the worker: ask it to leave, or kill it; its exit code, if it had one."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is None:
            return None
        if connection is not None and not kill:
            with contextlib.suppress(OSError):
                connection.send(None)
            process.join(timeout=5)
        if connection is not None:
            connection.close()
        if process.is_alive():
            process.kill()
        process.join()
        code = process.exitcode
        process.close()
        return code


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


def _serve(connection: Connection, path: list[str], memory_limit: int) -> None:
    """The worker's loop: take `(target, bytes)`, answer `(status, value)`, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _silence_output()
    sys.path[:0] = [entry for entry in path if entry not in sys.path]
    if resource is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        target, data = request
        try:
            answer: tuple[str, Any] = ("ok", _resolve(target)(data))
        except Unreadable as exc:
            answer = ("unreadable", str(exc))
        except MemoryError:
            answer = ("memory", None)
        except RecursionError:
            answer = ("crashed", "the file nests too deeply")
        except Exception as exc:  # any parser bug becomes the reason, the worker lives on
            answer = ("crashed", f"{type(exc).__name__}: {str(exc)[:200]}")
        del data
        try:
            connection.send(answer)
        except MemoryError:
            connection.send(("memory", None))
        except Exception as exc:  # an unpicklable result
            connection.send(("crashed", f"{type(exc).__name__}: {str(exc)[:200]}"))
        if answer[0] == "memory":
            return  # a fresh worker is safer than one that ran out of memory mid-parse


def _resolve(target: str) -> Any:
    """The function named `module:function`; a missing module means no reader for the kind."""
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise Unreadable(f"no reader installed for this format ({exc})") from None
    return getattr(module, function_name)


def _silence_output() -> None:
    """Send the worker's stdout and stderr to /dev/null: parser warnings must not draw over
    the TUI, which owns the terminal."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
