"""`reader add`: bring web pages and files into corpus/, each one once.

A web page is saved under a name from its title, with the browser's saved-from comment on top
so the page's address stays with the file; a file is copied in under its own name. A page or a
file the library already holds (the same address, or the same bytes under any name) is not
added again: the result names the file that holds it. Files appear whole or not at all:
each is written under a hidden name, made durable, then linked to a name no file has.
The caller syncs afterwards; nothing here writes to the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reader.corpus.fetch import FetchedPage, Fetcher, fetch_url
from reader.corpus.ingest import RICH_SUFFIXES, SUPPORTED, file_kind
from reader.corpus.naming import html_title, safe_file_stem
from reader.corpus.sync import scan_corpus
from reader.corpus.urls import (
    is_url,
    normalise_url,
    page_body,
    read_saved_from,
    url_file_stem,
    with_saved_from,
)
from reader.errors import ReaderError, UsageError
from reader.models import AddResult
from reader.store import Store
from reader.text.typed_path import expand_home

HTML_SUFFIXES = frozenset(suffix for suffix, kind in RICH_SUFFIXES.items() if kind == "html")
HEAD_BYTES = 4096  # where a saved-from comment is looked for
COPY_CHUNK = 1024 * 1024
MAX_NAME_TRIES = 1000
NEW_FILE_MODE = 0o666  # less the umask, as for any file the user creates (not mkstemp's 0600)

_HOST_AND_PATH = re.compile(r"^(www\.|[\w-]+(\.[\w-]+)*\.[a-z]{2,}/)", re.IGNORECASE)



def add_sources(
    store: Store, corpus_dir: Path, sources: Iterable[str], *, fetcher: Fetcher = fetch_url
) -> list[AddResult]:
    """Add each source (an http(s) address or a file path) to `corpus_dir`, in order; one bad
    source is reported in its result and never stops the others."""
    if not corpus_dir.is_dir():
        raise UsageError(f"{corpus_dir} is not a folder")
    library = _Library(store, corpus_dir)
    results = []
    for source in sources:
        try:
            if is_url(source):
                result = _add_url(library, source, fetcher)
            else:
                result = _add_file(library, source)
        except ReaderError as exc:
            result = AddResult(source, "failed", reason=str(exc))
        except OSError as exc:
            reason = f"{source}: cannot write to {corpus_dir} ({exc.strerror or exc})"
            result = AddResult(source, "failed", reason=reason)
        results.append(result)
    return results


def _add_url(library: _Library, source: str, fetcher: Fetcher) -> AddResult:
    wanted = normalise_url(source)
    held = library.path_for_url(wanted)
    if held is not None:
        return AddResult(source, "already", path=held, url=wanted)
    page = fetcher(wanted)
    final = normalise_url(page.url)
    held = library.path_for_url(final)
    body = _text_as_utf8(page)
    if held is None:
        held = library.path_with_content(_Digests.of(body))
    if held is not None:
        library.remember_urls(held, wanted, final)
        return AddResult(source, "already", path=held, url=final)
    is_html = page.suffix == ".html"
    data = with_saved_from(final, body) if is_html else body
    charset = "utf-8" if body is not page.data else page.charset  # transcoded, or as served
    title = html_title(body, charset) if is_html else None
    stem = safe_file_stem(title or url_file_stem(final), fallback="page")
    with _StagedFile(library.corpus_dir) as staged:
        staged.write(data)
        name = staged.place(stem, page.suffix, library.taken_names())
    library.remember(name, _Digests.of(data), wanted, final)
    return AddResult(source, "added", path=name, url=final)


def _text_as_utf8(page: FetchedPage) -> bytes:
    """Text and web pages in the charset the server named are saved as UTF-8: a plain text file
    cannot say its charset, and a page may not (the header outranks the page's own `<meta>`,
    as in a browser; only a byte-order mark outranks the header)."""
    charset = (page.charset or "").lower()
    if page.suffix not in (".txt", ".md", ".html") or charset in ("", "utf-8", "utf8", "us-ascii"):
        return page.data
    if page.data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return page.data
    try:
        return page.data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return page.data


def _add_file(library: _Library, source: str) -> AddResult:
    path = expand_home(source)
    try:
        info = path.stat()
    except FileNotFoundError:
        looks_like_host = _HOST_AND_PATH.match(source) is not None
        hint = " (for a web page, give the whole address: https://…)" if looks_like_host else ""
        raise UsageError(f"{source}: no such file{hint}") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{source}: is a folder; add the files in it (e.g. {source}/*.html)")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{source}: not a regular file")
    suffix = path.suffix.lower()
    if file_kind(path) is None:
        raise UsageError(f"{source}: not a kind of file reader reads ({SUPPORTED})")
    try:
        source_file = path.open("rb")
    except OSError as exc:
        raise UsageError(f"{source}: cannot read ({exc.strerror or exc})") from None
    with source_file, _StagedFile(library.corpus_dir) as staged:
        head = _read_or_refuse(source, source_file, HEAD_BYTES)
        saved_from = _saved_from_url(head) if suffix in HTML_SUFFIXES else None
        held = library.path_for_url(saved_from) if saved_from else None
        if held is not None:
            return AddResult(source, "already", path=held, url=saved_from)
        digests = _Digests.start(head)
        staged.write(head)
        while chunk := _read_or_refuse(source, source_file, COPY_CHUNK):
            digests.update(chunk)
            staged.write(chunk)
        held = library.path_with_content(digests)
        if held is not None:
            return AddResult(source, "already", path=held)
        stem = safe_file_stem(path.stem, fallback="document")
        name = staged.place(stem, suffix, library.taken_names())
    library.remember(name, digests, saved_from)
    return AddResult(source, "added", path=name, url=saved_from)


def _read_or_refuse(source: str, file: BinaryIO, size: int) -> bytes:
    try:
        return file.read(size)
    except OSError as exc:
        raise UsageError(f"{source}: cannot read ({exc.strerror or exc})") from None


def _saved_from_url(head: bytes) -> str | None:
    url, _ = read_saved_from(head)
    if url is None:
        return None
    try:
        return normalise_url(url)
    except UsageError:
        return None


@dataclass
class _Digests:
    """sha256 of a file's bytes (the store's `content_hash`) and of its page body (the bytes
    after a saved-from comment): the same page saved from two addresses has one body."""

    whole: hashlib._Hash
    body: hashlib._Hash
    body_size: int

    @classmethod
    def start(cls, head: bytes) -> _Digests:
        body = page_body(head)
        return cls(hashlib.sha256(head), hashlib.sha256(body), len(body))

    @classmethod
    def of(cls, data: bytes) -> _Digests:
        digests = cls.start(data[:HEAD_BYTES])
        digests.update(data[HEAD_BYTES:])
        return digests

    def update(self, chunk: bytes) -> None:
        self.whole.update(chunk)
        self.body.update(chunk)
        self.body_size += len(chunk)


@dataclass
class _CorpusFile:
    """A file in corpus/ as far as looked at: size and time, and (for a saved page) its address
    and where its body starts; its body digest once computed."""

    size: int
    mtime_ns: int
    saved_from: str | None = None
    body_offset: int = 0
    body_digest: str | None = None

    @property
    def body_size(self) -> int:
        return self.size - self.body_offset


class _Library:
    """What corpus/ holds, looked at once per `add_sources` call (lazily: a copy never needs
    the addresses) and kept up to date with what the call adds."""

    def __init__(self, store: Store, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._store = store
        self._files: dict[str, _CorpusFile] | None = None
        self._urls: dict[str, str] | None = None

    def files(self) -> dict[str, _CorpusFile]:
        if self._files is None:
            self._files = {}
            for rel, state in scan_corpus(self.corpus_dir).items():
                found = _CorpusFile(state.size, state.mtime_ns)
                if Path(rel).suffix.lower() in HTML_SUFFIXES:
                    found.saved_from, found.body_offset = self._saved_from_of(rel)
                self._files[rel] = found
        return self._files

    def _saved_from_of(self, rel: str) -> tuple[str | None, int]:
        try:
            with (self.corpus_dir / rel).open("rb") as file:
                head = file.read(HEAD_BYTES)
        except OSError:
            return None, 0
        url = _saved_from_url(head)
        return (url, len(head) - len(page_body(head))) if url else (None, 0)

    def path_for_url(self, url: str) -> str | None:
        """The file holding the page at `url` (normalised): its document's source in the store,
        or its saved-from comment."""
        if self._urls is None:
            files = self.files()
            self._urls = {f.saved_from: rel for rel, f in files.items() if f.saved_from}
            rows = self._store.conn.execute(
                "SELECT path, source FROM documents WHERE status != 'missing' "
                "AND source IS NOT NULL ORDER BY id"
            )
            for rel, source in rows:
                with contextlib.suppress(UsageError):
                    if rel in files:
                        self._urls.setdefault(normalise_url(source), rel)
        return self._urls.get(url)

    def path_with_content(self, digests: _Digests) -> str | None:
        """The file with these bytes, or with this page body after its saved-from comment."""
        files = self.files()
        rows = self._store.conn.execute(
            "SELECT path, size, mtime_ns FROM documents WHERE content_hash = ? "
            "AND status != 'missing' ORDER BY id",
            [digests.whole.hexdigest()],
        )
        for rel, size, mtime_ns in rows:
            found = files.get(rel)
            if found is not None and (found.size, found.mtime_ns) == (size, mtime_ns):
                return str(rel)  # the store's hash is of exactly this file, as the sync trusts
        wanted = digests.body.hexdigest()
        for rel, found in sorted(files.items()):
            if found.body_size != digests.body_size:
                continue
            if found.body_digest is None:
                found.body_digest = self._body_digest(rel, found)
            if found.body_digest == wanted:
                return rel
        return None

    def _body_digest(self, rel: str, found: _CorpusFile) -> str:
        hasher = hashlib.sha256()
        try:
            with (self.corpus_dir / rel).open("rb") as file:
                hasher.update(page_body(file.read(HEAD_BYTES)))
                while chunk := file.read(COPY_CHUNK):
                    hasher.update(chunk)
        except OSError:
            return ""
        return hasher.hexdigest()

    def taken_names(self) -> set[str]:
        """Names a new file must not take: the store's, even for a missing document, whose
        annotations would otherwise be re-anchored onto an unrelated new file."""
        rows = self._store.conn.execute("SELECT path FROM documents")
        return {str(rel) for (rel,) in rows} | set(self.files())

    def remember(self, rel: str, digests: _Digests, *urls: str | None) -> None:
        st = (self.corpus_dir / rel).stat()
        body_offset = st.st_size - digests.body_size
        saved_from = next((u for u in reversed(urls) if u), None) if body_offset else None
        self.files()[rel] = _CorpusFile(
            st.st_size, st.st_mtime_ns, saved_from, body_offset, digests.body.hexdigest()
        )
        self.remember_urls(rel, *urls)

    def remember_urls(self, rel: str, *urls: str | None) -> None:
        if self._urls is None:
            self.path_for_url("")  # load what the corpus and the store know first
        assert self._urls is not None
        for url in urls:
            if url:
                self._urls.setdefault(url, rel)


class _StagedFile:
    """A new file in `folder` under a hidden name (the sync skips names starting with a dot),
    made durable, then linked to a free name: never half a file, never over another one.
    Leaving the `with` block without `place` removes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f".reader-add-{secrets.token_hex(8)}.part"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        self._file = os.fdopen(os.open(self.path, flags, NEW_FILE_MODE), "wb")
        self.placed = False

    def __enter__(self) -> _StagedFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._file.closed:
            with contextlib.suppress(OSError):
                self._file.close()
        if not self.placed:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def place(self, stem: str, suffix: str, taken: set[str]) -> str:
        """Make the file durable and give it `stem+suffix`, or `stem (2)+suffix`, … whichever
        is free; return that name."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        taken_folded = {name.casefold() for name in taken}
        for n in range(1, MAX_NAME_TRIES + 1):
            name = f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}"
            if name.casefold() not in taken_folded and self._link(self.folder / name):
                self.placed = True
                _fsync_folder(self.folder)
                return name
        raise UsageError(f"{stem}{suffix}: {MAX_NAME_TRIES} files of that name already")

    def _link(self, target: Path) -> bool:
        """Give the staged file the name `target` unless a file has it: a hard link never
        replaces one; where links are not supported, look first, then rename."""
        try:
            os.link(self.path, target)
        except FileExistsError:
            return False
        except OSError:
            if os.path.lexists(target):
                return False
            os.replace(self.path, target)
            return True
        self.path.unlink()
        return True


def _fsync_folder(folder: Path) -> None:
    """Make the new name itself durable (POSIX); Windows cannot open a folder, and needs not."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
