"""Writing export files that never clobber: regular files only, atomically, keeping the mode.

An export may create a file, or replace one reader wrote itself that nobody changed since (the
workspace's ExportLedger knows), or one already holding exactly what would be written. Anything
else needs `force`: a file reader did not write, and a symbolic link (forced, the file the link
points to is replaced and the link kept). Never, even forced: a folder, a device, a FIFO or a
socket (as root, `-o /dev/null` would otherwise replace the system's /dev/null).

Replacing is a rename of a finished temporary file, so no one ever sees half a file and a full
disk leaves the old one as it was. The new file keeps the old one's permissions (and owner and
group, where allowed); a new file gets the usual 0666 less the umask. A rename makes a new file,
so other hard links to the old one keep the old content.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.errors import UsageError, WouldReplace
from reader.exchange.ledger import ExportLedger, content_digest, file_digest
from reader.text.sanitize import display_safe_line

_TEMP_ATTEMPTS = 100


@dataclass(frozen=True)
class Target:
    """Where one write lands: `path` as named, `real` the file replaced (a forced link's
    target), and what is there now (None: nothing)."""

    path: Path
    real: Path
    existing: os.stat_result | None


def shown(path: Path) -> str:
    """A path for a one-line message: never a live control character."""
    return display_safe_line(str(path))


def cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {shown(path)}: {exc.strerror or exc}")


def _not_a_file(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    kinds = [
        (stat.S_ISREG, ""),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    ]
    for test, kind in kinds:
        if test(mode):
            return kind or None
    return "not a regular file"


STORE_NAME = "annotations.db"


def workspace_file(root: Path, real: Path) -> str | None:
    """What `real` is to the workspace at `root` when an export must never replace it, forced
    or not: the annotation database (and its journal and backups), reader's own state, or the
    articles in corpus/ (an export written there would also be read back as an article)."""
    base = Path(os.path.realpath(root))
    try:
        inside = Path(os.path.realpath(real)).relative_to(base)
    except ValueError:
        return None
    first = inside.parts[0] if inside.parts else ""
    if first == STORE_NAME or first.startswith((f"{STORE_NAME}-", f"{STORE_NAME}.bak")):
        return "the workspace's annotation database"
    if first == ".reader":
        return "reader's own state in the workspace"
    if first == "corpus":
        return "inside corpus/, which holds the articles"
    return None


def _refuse_workspace_file(path: Path, real: Path, ledger: ExportLedger | None) -> None:
    root = ledger.root if ledger is not None else None
    if root is not None and (what := workspace_file(root, real)):
        raise UsageError(f"{shown(path)} is {what}: an export never writes there")


def _may_replace(
    real: Path, existing: os.stat_result, data: bytes, ledger: ExportLedger | None
) -> bool:
    """Whether nothing is lost by replacing `real` unasked: it holds what reader last wrote
    there, or already exactly `data`."""
    if existing.st_size == len(data) and file_digest(real) == content_digest(data):
        return True
    return ledger is not None and ledger.unchanged_since_written(real, existing.st_size)


def _same_file(now: os.stat_result, seen: os.stat_result | None) -> bool:
    """Whether the file is still the one read (to merge into) and unchanged since."""
    return seen is not None and (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) == (
        seen.st_ino, seen.st_dev, seen.st_size, seen.st_mtime_ns)  # fmt: skip


def examine(
    path: Path,
    data: bytes,
    force: bool,
    ledger: ExportLedger | None,
    merged_from: os.stat_result | None = None,
) -> Target:
    """Where writing `data` to `path` would land, or the refusal saying why it may not.
    `merged_from`: the file was read, and `data` keeps what the user wrote in it (a Markdown
    export merged into reader's earlier one), so it may be replaced if it has not changed."""
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        _refuse_workspace_file(path, path, ledger)
        return Target(path, path, None)
    except OSError as exc:  # a file where a folder should be, a name too long, no access
        raise cannot_write(path, exc) from exc
    real = path
    if stat.S_ISLNK(existing.st_mode):
        if not force:
            raise WouldReplace(shown(path), "is a symbolic link", "write to the file it points to")
        real = Path(os.path.realpath(path))
        try:
            existing = os.stat(real)
        except FileNotFoundError:
            raise UsageError(f"{shown(path)} is a symbolic link to nothing: name a file") from None
        except OSError as exc:  # a loop of links
            raise cannot_write(path, exc) from exc
    _refuse_workspace_file(path, real, ledger)
    kind = _not_a_file(existing.st_mode)
    if kind:
        raise UsageError(f"{shown(path)} is {kind}, not a file: reader writes only regular files")
    merged = real == path and _same_file(existing, merged_from)
    if not force and not merged and not _may_replace(real, existing, data, ledger):
        reason = "exists and reader did not write it (or it changed since)"
        raise WouldReplace(shown(path), reason, "replace it")
    return Target(path, real, existing)


def _temp_file(folder: Path, private: bool) -> tuple[Path, int]:
    """A new empty file in `folder` for the rename. Private (0600) while it replaces a file
    whose mode it takes at the end; else created 0666 for the umask to trim, as any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TEMP_ATTEMPTS):
        temp = folder / f".reader-{secrets.token_hex(6)}.tmp"  # short: any name fits beside it
        try:
            return temp, os.open(temp, flags, 0o600 if private else 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _keep_owner_and_mode(fd: int, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group (where allowed) and permissions."""
    now = os.fstat(fd)
    if hasattr(os, "fchown") and (now.st_uid, now.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.fchown(fd, existing.st_uid, existing.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))  # after chown, which may clear set-id bits


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _remove(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()


def write_target(target: Target, data: bytes) -> None:
    """Write `data` to a temporary file beside the target, then rename it over the target."""
    folder = target.real.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp, fd = _temp_file(folder, private=target.existing is not None)
    except OSError as exc:
        raise cannot_write(target.path, exc) from exc
    try:
        try:
            if target.existing is not None:
                _keep_owner_and_mode(fd, target.existing)
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, target.real)
    except OSError as exc:
        _remove(temp)
        raise cannot_write(target.path, exc) from exc
    except BaseException:
        _remove(temp)
        raise


def _one_refusal(refusals: list[UsageError]) -> UsageError:
    """The refusal to report for several files: one force cannot lift first, and how many more."""
    refusals.sort(key=lambda r: isinstance(r, WouldReplace))
    first, more = refusals[0], len(refusals) - 1
    if not more:
        return first
    if isinstance(first, WouldReplace):
        reason = f"{first.reason}, and {more} more file(s) like it"
        return WouldReplace(first.shown, reason, first.forced.replace(" it", " them"))
    return UsageError(f"{first} (and {more} more file(s) refused)")


def write_files(
    files: Sequence[tuple[Path, str]],
    force: bool = False,
    ledger: ExportLedger | None = None,
    merged_from: Mapping[Path, os.stat_result] | None = None,
    managed: Mapping[Path, dict[str, str]] | None = None,
) -> list[Path]:
    """Write each (path, text) as UTF-8. Every target is checked before any is written, so a
    refusal writes nothing; `ledger` learns (and keeps) what was written, with the `managed`
    digests of a Markdown file. A path in `merged_from` holds a merge of the file as it was
    then (see `examine`). Returns the paths."""
    encoded = [(path, text.encode("utf-8")) for path, text in files]
    merged_from = merged_from or {}
    managed = managed or {}
    targets: list[Target] = []
    refusals: list[UsageError] = []
    for path, data in encoded:
        try:
            targets.append(examine(path, data, force, ledger, merged_from.get(path)))
        except UsageError as refusal:
            refusals.append(refusal)
    if refusals:
        raise _one_refusal(refusals)
    try:
        for target, (path, data) in zip(targets, encoded, strict=True):
            write_target(target, data)
            if ledger is not None:
                ledger.record(target.real, data, managed.get(path))
    finally:
        if ledger is not None:
            ledger.save()
    return [target.path for target in targets]
