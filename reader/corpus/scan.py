"""What `corpus/` holds, found without opening a file, and the one way a corpus file is opened.

The workspace is the boundary: a link is followed only to a regular file or folder inside
corpus/, or elsewhere in the workspace folder (papers kept beside corpus/) but never to
reader's own files (the store, its journal and backups, `.reader/`) or a hidden one, all by
real path; FIFOs, sockets and devices are never opened (opening a FIFO waits forever for a
writer). Every entry the sync leaves alone is still found, with the reason, so that `reader
list` can show it: a link out of the workspace, a loop, a dangling link, a FIFO, a name that is
not UTF-8. A folder (or a link) that cannot be looked into is reported, never taken for an
empty one or a gone one, which would orphan annotations.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.fingerprint import ScanDigest
from reader.corpus.ingest import SUPPORTED, ParsedDocument, is_supported, size_limit, too_large
from reader.errors import WorkspaceError

BAD_FILE_NAME = "file name is not valid UTF-8: rename the file to read it"
BAD_FOLDER_NAME = "folder name is not valid UTF-8: rename the folder to read its files"
CANNOT_READ = "cannot read"  # how the reason for a file that would not open begins
_SHOWN_TARGET = 120  # characters of a link's target a reason quotes
_STORE_FILE = "annotations.db"  # and -wal, -shm, -journal, .bak-v… beside it: never followed to
# What a link that cannot be followed fails with when its target is there but cannot be looked
# at (a folder on the way unreadable, a disk error): its documents keep their state.
_CANNOT_LOOK = (errno.EACCES, errno.EPERM, errno.EIO)


class CorpusUnreadable(WorkspaceError):
    """`corpus/` cannot be listed: nothing is synced (an unreadable folder is not an empty one,
    which would mark every document missing)."""

    exit_code = 2


class NotReadable(Exception):
    """A corpus file that was not read; the message is the reason `reader list` shows."""


@dataclass
class FileState:
    """A corpus entry as `lstat`/`stat` sees it. `skip_reason` is set when it is not to be read
    at all; `parsed` is filled only for files that were read."""

    path: str  # relative, `/`-separated, valid UTF-8: the store's key and what people see
    size: int
    mtime_ns: int
    parsed: ParsedDocument | None = None
    skip_reason: str | None = None
    via_link: bool = False  # reached through a link (to a file inside the workspace)


@dataclass
class CorpusScan:
    """Every entry found, by relative path, and what could not be looked into: `unreadable`
    maps a folder or file (relative path) to the reason; what the store knows under it keeps
    its state."""

    unreadable: dict[str, str] = field(default_factory=dict)
    digest: ScanDigest = field(default_factory=ScanDigest)  # every entry's stat, for the sync
    _files: dict[str, FileState] = field(default_factory=dict)
    # Plain regular files as listed, made FileStates only when asked: an unchanged corpus is
    # told by the digest alone, without an object per file (100k files: ~0.1 s).
    _plain: list[tuple[str, os.stat_result]] = field(default_factory=list)

    _built: int = 0  # how many of `_plain` are in `_files` already
    _plain_paths: set[str] | None = None  # made when first asked whether a path was found

    @property
    def files(self) -> dict[str, FileState]:
        for rel, seen in self._plain[self._built :]:
            self._files[rel] = FileState(rel, seen.st_size, seen.st_mtime_ns)
        self._built = len(self._plain)
        return self._files

    def states(self) -> Iterator[FileState]:
        """Every entry as a FileState, those of plain files made as they are asked for and not
        kept: a sync that compares a large corpus with the store keeps only those it applies."""
        yield from list(self._files.values())
        for rel, seen in self._plain[self._built :]:
            yield FileState(rel, seen.st_size, seen.st_mtime_ns)

    def __contains__(self, path: str) -> bool:
        """Whether an entry was found at `path`."""
        if path in self._files:
            return True
        if self._plain_paths is None:
            self._plain_paths = {rel for rel, _ in self._plain}
        return path in self._plain_paths

    def __len__(self) -> int:
        """How many entries were found (files, and entries listed as skipped)."""
        return len(self._files) + len(self._plain) - self._built

    def hexdigest(self, max_file_bytes: int | None, schema: int) -> str:
        """The digest of everything this scan saw, to compare with the last sync's."""
        return self.digest.hexdigest(self._plain, self.unreadable, max_file_bytes, schema)

    def covers(self, path: str) -> bool:
        """Whether `path` is, or is under, something that could not be looked into."""
        return any(path == place or path.startswith(place + "/") for place in self.unreadable)


_FILE_TYPE = 0o170000  # the bits of st_mode that say what kind of entry it is (S_IFMT)


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone surrogates, which
    SQLite refuses) written as `\\xff`, so the entry can be stored, listed and found."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def not_regular(mode: int) -> str:
    """The reason a FIFO, socket or device is left alone."""
    if stat.S_ISFIFO(mode):
        kind = "a FIFO"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "neither file nor folder"
    return f"not a regular file but {kind}: never opened"


def scan(corpus_dir: Path) -> CorpusScan:
    """Every entry under `corpus_dir` but hidden ones, one `lstat` each (a link: a `stat` and
    a `realpath` more); a folder is known by its device and inode, so none costs a path walk.
    Real folders are read before linked ones, so that which of two names reaches a folder does
    not depend on listing order. Raises CorpusUnreadable when `corpus_dir` itself cannot be
    listed."""
    top = os.fspath(corpus_dir)
    try:
        itself = os.stat(top)
        entries = _listing(top)
    except OSError as exc:
        problem = "is not a folder" if exc.errno == errno.ENOTDIR else (
            f"cannot be read ({exc.strerror or exc})")  # fmt: skip
        raise CorpusUnreadable(
            f"{shown_name(top)} {problem}: nothing was synced and every document keeps its "
            f"state; make the folder readable and run again"
        ) from exc
    walk = _Walk(top, _key(itself))
    walk.add_folder("", entries)
    walk.run()
    return walk.found


def scan_corpus(corpus_dir: Path) -> dict[str, FileState]:
    """The regular files under `corpus_dir` that may be read, by relative path."""
    return {path: state for path, state in scan(corpus_dir).files.items() if not state.skip_reason}


def skip_reason_unread(state: FileState, max_bytes: int | None) -> str | None:
    """Why `state` is skipped without being opened (what the scan found, an unsupported type,
    a size past the limit), or None: decided from its name and `stat` alone."""
    if state.skip_reason:
        return state.skip_reason
    limit = _read_limit(_suffix(state.path).lower(), max_bytes)
    if limit is not None and state.size <= limit:
        return None  # the common case, decided without a Path per file (100k files: ~0.5 s)
    full = Path(state.path)
    if not is_supported(full):
        suffix = full.suffix or "(no extension)"
        return f"unsupported file type {suffix}: {SUPPORTED} are read"
    return too_large(full, state.size, max_bytes)

def _suffix(path: str) -> str:
    """`Path(path).suffix` for a path the scan made (`/`-separated, no `.` parts), by the
    same rule: from the last dot of the name, unless the name starts or ends there."""
    name = path[path.rfind("/") + 1 :]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


@functools.lru_cache(maxsize=512)
def _read_limit(suffix: str, max_bytes: int | None) -> int | None:
    """The largest file with `suffix` that is read, or None when such files are not read."""
    probe = Path("file" + suffix)
    return size_limit(probe, max_bytes) if is_supported(probe) else None


def decided_unread(
    state: FileState, status: str, content_hash: str | None, warning: str | None
) -> bool:
    """Whether the store holds (`status`, `content_hash`, `warning`) of a file skipped unread
    for a reason that may change with no new size or mtime (the size limit, a link's target):
    then the reason is worked out again. A file that would not open is tried when it changes."""
    if state.skip_reason:
        return True
    return status == "skipped" and not content_hash and not (warning or "").startswith(CANNOT_READ)


def _listing(folder: str) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return list(entries)


def _inside(real: str, real_top: str) -> bool:
    return real == real_top or real.startswith(real_top.rstrip(os.sep) + os.sep)


def _key(seen: os.stat_result) -> tuple[int, int]:
    """A folder's identity whatever the name it is reached by."""
    return seen.st_dev, seen.st_ino


class _Bounds:
    """Where a link may lead: anywhere in corpus/, or elsewhere in the workspace folder (the
    one holding corpus/ and the store), but not to the store, its journal and backups, nor
    anything hidden (`.reader/`, `.git/`). Real paths, worked out only once a link is met."""

    def __init__(self, corpus_dir: str) -> None:
        self.corpus = os.path.realpath(corpus_dir)
        self.root = os.path.realpath(os.path.dirname(os.path.abspath(corpus_dir)))

    def refusal(self, real: str) -> str | None:
        """Why a link to `real` is not followed, or None."""
        if _inside(real, self.corpus):
            return None
        if not _inside(real, self.root):
            return "outside the workspace"
        parts = [] if real == self.root else os.path.relpath(real, self.root).split(os.sep)
        first = parts[0] if parts else ""
        if first == _STORE_FILE or first.startswith((f"{_STORE_FILE}-", f"{_STORE_FILE}.")):
            return "the workspace's annotation store"
        if any(part.startswith(".") for part in parts):
            return "hidden, in the workspace"
        return None


class _Walk:
    """One scan: folders still to read (real ones first, then those reached by a link) and
    every folder read, by device and inode, so that none is read twice and no loop is
    followed."""

    def __init__(self, top: str, top_key: tuple[int, int]) -> None:
        self.top = top
        self._bounds: _Bounds | None = None
        self.found = CorpusScan()
        self.folders: list[tuple[str, str]] = []  # (relative path, path to list)
        # links to folders: (relative path, path, its lstat, the folder's key)
        self.linked: list[tuple[str, str, os.stat_result, tuple[int, int]]] = []
        self.read_as: dict[tuple[int, int], str] = {top_key: ""}  # folder -> relative path

    @property
    def bounds(self) -> _Bounds:
        if self._bounds is None:
            self._bounds = _Bounds(self.top)
        return self._bounds

    def run(self) -> None:
        while self.folders or self.linked:
            if self.folders:
                rel, path = self.folders.pop()
                try:
                    entries = _listing(path)
                except OSError as exc:
                    self.found.unreadable[rel] = f"cannot be read: {exc.strerror or exc}"
                    continue
                self.add_folder(rel + "/", entries)
            else:
                self.linked.sort(key=lambda link: link[0], reverse=True)
                self.follow(*self.linked.pop())

    def add_folder(self, prefix: str, entries: list[os.DirEntry[str]]) -> None:
        """Valid names first: a name that is not UTF-8, shown as text, may read like a real
        one (`caf\\xe9.txt`); then the real file keeps the place and its annotations."""
        bad: list[tuple[os.DirEntry[str], str]] = []
        plain = self.found._plain
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if not name.isascii() and (shown := shown_name(name)) != name:
                bad.append((entry, shown))
                continue
            # The common case inline (a regular file by a plain name): at 100,000 files every
            # call saved here is felt by every command.
            try:
                own = entry.stat(follow_symlinks=False)
            except OSError:
                self.add(entry, prefix + name, bad_name=False)  # tells why, or that it went
                continue
            if own.st_mode & _FILE_TYPE == stat.S_IFREG:
                plain.append((prefix + name, own))
            else:
                self.add(entry, prefix + name, bad_name=False)
        taken = {entry.name for entry in entries} if bad else set()
        for entry, name in bad:
            if name not in taken:  # two bad names shown alike: the first listed
                taken.add(name)
                self.add(entry, prefix + name, bad_name=True)

    def add(self, entry: os.DirEntry[str], rel: str, bad_name: bool) -> None:
        try:
            self.add_entry(entry, rel, bad_name)
        except FileNotFoundError:
            return  # gone since the listing
        except OSError as exc:
            self.found.unreadable[rel] = f"cannot be looked at: {exc.strerror or exc}"

    def add_entry(self, entry: os.DirEntry[str], rel: str, bad_name: bool) -> None:
        own = entry.stat(follow_symlinks=False)
        if bad_name:
            folder = stat.S_ISDIR(own.st_mode)
            self.skip(rel, own, BAD_FOLDER_NAME if folder else BAD_FILE_NAME)
        elif stat.S_ISLNK(own.st_mode):
            self.add_link(entry.path, rel, own)
        elif stat.S_ISDIR(own.st_mode):
            self.add_subfolder(rel, entry.path, own)
        elif stat.S_ISREG(own.st_mode):
            self.found._plain.append((rel, own))
        else:
            self.skip(rel, own, not_regular(own.st_mode))

    def skip(self, rel: str, seen: os.stat_result, reason: str) -> None:
        self.found.files[rel] = FileState(rel, seen.st_size, seen.st_mtime_ns, skip_reason=reason)
        self.found.digest.saw(rel, seen, reason)

    def add_subfolder(self, rel: str, path: str, own: os.stat_result) -> None:
        seen_as = self.read_as.get(_key(own))
        if seen_as is not None:  # a bind mount, or a folder a link reached first
            self.skip(rel, own, f"folder read already as {seen_as or 'corpus'}/")
            return
        self.read_as[_key(own)] = rel
        self.folders.append((rel, path))

    def add_link(self, path: str, rel: str, own: os.stat_result) -> None:
        """A link is followed only to a regular file or a folder within bounds."""
        target = _shown_target(path)
        try:
            followed = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.skip(rel, own, f"link to {target}, which loops: not followed")
            elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self.skip(rel, own, f"link to {target}, which does not exist")
            elif exc.errno in _CANNOT_LOOK:  # there, but out of sight: not gone
                self.found.unreadable[rel] = (
                    f"link to {target}, which cannot be followed: {exc.strerror or exc}"
                )
            else:
                self.skip(rel, own, f"link to {target}, which cannot be followed: {exc.strerror}")
            return
        real = os.path.realpath(path)
        refusal = self.bounds.refusal(real)
        if refusal:
            self.skip(rel, own, f"link to {target}, {refusal}: not followed")
        elif stat.S_ISDIR(followed.st_mode):
            if _inside(self.bounds.corpus, real):  # corpus/ or the workspace folder round it
                self.skip(rel, own, f"link to {target}, a folder it is in: not followed")
            else:
                self.linked.append((rel, path, own, _key(followed)))
        elif stat.S_ISREG(followed.st_mode):
            self.found.files[rel] = FileState(
                rel, followed.st_size, followed.st_mtime_ns, via_link=True
            )
            self.found.digest.saw(rel, own, "link")
            self.found.digest.saw(rel, followed, "target " + real)
        else:
            self.skip(rel, own, f"link to {target}: " + not_regular(followed.st_mode))

    def follow(self, rel: str, path: str, own: os.stat_result, key: tuple[int, int]) -> None:
        """A link to a folder within bounds, read once all real folders are: followed unless
        that folder was read already (under its own name, or it holds the link: a loop)."""
        seen_as = self.read_as.get(key)
        if seen_as is None:
            self.read_as[key] = rel
            self.folders.append((rel, path))
        elif seen_as == "" or rel.startswith(seen_as + "/"):
            self.skip(rel, own, f"link to {_shown_target(path)}, a folder it is in: not followed")
        else:
            self.skip(rel, own, f"link to {seen_as}/, read there: not followed")


def _shown_target(path: str) -> str:
    try:
        target = shown_name(os.readlink(path))
    except OSError:
        return "?"
    return target if len(target) <= _SHOWN_TARGET else target[: _SHOWN_TARGET - 1] + "…"


def read_corpus_file(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them. Opened without waiting, and
    without following a link unless `inside` (corpus/) is given (the scan followed one there):
    then its target must still be within the scan's bounds. A file turned into a FIFO or a link
    since the scan is refused, never blocked on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if inside is None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    elif refusal := _Bounds(os.fspath(inside)).refusal(os.path.realpath(path)):
        raise NotReadable(f"{CANNOT_READ}: its link leads elsewhere since it was found ({refusal})")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotReadable(f"{CANNOT_READ}: it became a link since it was found") from exc
        raise NotReadable(f"{CANNOT_READ}: {exc.strerror or exc}") from exc
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(not_regular(mode))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise NotReadable(f"{CANNOT_READ}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise NotReadable(f"file grew past the limit of {limit / 2**20:,.0f} MB while read")
    return data
