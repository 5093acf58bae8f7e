"""What `corpus/` holds, found without opening a file, and the one way a corpus file is opened.

`corpus/` is the boundary: a link is followed only to a regular file or folder inside it (its
real path), and FIFOs, sockets and devices are never opened (opening a FIFO waits forever for a
writer). Every entry the sync leaves alone is still found, with the reason, so that `reader
list` can show it: a link out of corpus/, a loop, a dangling link, a FIFO, a name that is not
UTF-8. A folder that cannot be listed is reported, never taken for an empty one.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.ingest import SUPPORTED, ParsedDocument, is_supported, too_large
from reader.errors import WorkspaceError

BAD_FILE_NAME = "file name is not valid UTF-8: rename the file to read it"
BAD_FOLDER_NAME = "folder name is not valid UTF-8: rename the folder to read its files"
CANNOT_READ = "cannot read"  # how the reason for a file that would not open begins
_SHOWN_TARGET = 120  # characters of a link's target a reason quotes


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
    via_link: bool = False  # reached through a link (to a file inside corpus/)


@dataclass
class CorpusScan:
    """Every entry found, by relative path, and what could not be looked into: `unreadable`
    maps a folder or file (relative path) to the reason; what the store knows under it keeps
    its state."""

    files: dict[str, FileState] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)

    def covers(self, path: str) -> bool:
        """Whether `path` is, or is under, something that could not be looked into."""
        return any(path == place or path.startswith(place + "/") for place in self.unreadable)


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
    a `realpath` more). Real folders are read before linked ones, so that which of two names
    reaches a folder does not depend on listing order. Raises CorpusUnreadable when
    `corpus_dir` itself cannot be listed."""
    top = os.fspath(corpus_dir)
    try:
        entries = _listing(top)
    except OSError as exc:
        problem = "is not a folder" if exc.errno == errno.ENOTDIR else (
            f"cannot be read ({exc.strerror or exc})")  # fmt: skip
        raise CorpusUnreadable(
            f"{shown_name(top)} {problem}: nothing was synced and every document keeps its "
            f"state; make the folder readable and run again"
        ) from exc
    walk = _Walk(os.path.realpath(top))
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
    full = Path(state.path)
    if not is_supported(full):
        suffix = full.suffix or "(no extension)"
        return f"unsupported file type {suffix}: {SUPPORTED} are read"
    return too_large(full, state.size, max_bytes)

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


class _Walk:
    """One scan: folders still to read (real ones first, then those reached by a link) and
    the real path of every folder read, so that none is read twice and no loop is followed."""

    def __init__(self, real_top: str) -> None:
        self.real_top = real_top
        self.found = CorpusScan()
        self.folders: list[tuple[str, str]] = []  # (relative path, path to list)
        self.linked: list[tuple[str, str, os.stat_result]] = []  # links to folders inside
        self.read_as: dict[str, str] = {real_top: ""}  # real path -> relative path read as

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
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = shown_name(entry.name)
            rel = prefix + name
            try:
                self.add_entry(entry, rel, bad_name=name != entry.name)
            except FileNotFoundError:
                continue  # gone since the listing
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
            self.found.files[rel] = FileState(rel, own.st_size, own.st_mtime_ns)
        else:
            self.skip(rel, own, not_regular(own.st_mode))

    def skip(self, rel: str, seen: os.stat_result, reason: str) -> None:
        self.found.files[rel] = FileState(rel, seen.st_size, seen.st_mtime_ns, skip_reason=reason)

    def add_subfolder(self, rel: str, path: str, own: os.stat_result) -> None:
        real = os.path.realpath(path)
        if real in self.read_as:  # a bind mount, or a folder a link reached first
            self.skip(rel, own, f"folder read already as {self.read_as[real] or 'corpus'}/")
            return
        self.read_as[real] = rel
        self.folders.append((rel, path))

    def add_link(self, path: str, rel: str, own: os.stat_result) -> None:
        """A link is followed only to a regular file or a folder inside corpus/."""
        target = _shown_target(path)
        try:
            followed = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.skip(rel, own, f"link to {target}, which loops: not followed")
            elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self.skip(rel, own, f"link to {target}, which does not exist")
            else:
                self.skip(rel, own, f"link to {target}, which cannot be followed: {exc.strerror}")
            return
        if not _inside(os.path.realpath(path), self.real_top):
            self.skip(rel, own, f"link to {target}, outside the workspace's corpus/: not followed")
        elif stat.S_ISDIR(followed.st_mode):
            self.linked.append((rel, path, own))
        elif stat.S_ISREG(followed.st_mode):
            self.found.files[rel] = FileState(
                rel, followed.st_size, followed.st_mtime_ns, via_link=True
            )
        else:
            self.skip(rel, own, f"link to {target}: " + not_regular(followed.st_mode))

    def follow(self, rel: str, path: str, own: os.stat_result) -> None:
        """A link to a folder inside corpus/, read once all real folders are: followed unless
        that folder was read already (under its own name, or it holds the link: a loop)."""
        real = os.path.realpath(path)
        seen_as = self.read_as.get(real)
        if seen_as is None:
            self.read_as[real] = rel
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
    without following a link unless `inside` is given (the scan followed one there): then its
    target must still be inside that folder. A file turned into a FIFO or a link since the scan
    is refused, never blocked on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if inside is None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    elif not _inside(os.path.realpath(path), os.path.realpath(inside)):
        raise NotReadable(f"{CANNOT_READ}: its link leads out of corpus/ since it was found")
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
