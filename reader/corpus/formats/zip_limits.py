"""Open a zip container (EPUB, DOCX) only when its members are few and small enough.

A zip bomb declares its sizes in the central directory; members are also read through a
bounded reader, so a lying header cannot make us inflate more than the limit either.
"""

from __future__ import annotations

import io
import zipfile

from reader.corpus.formats import Unreadable

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members above a megabyte


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The archive, or `Unreadable` naming why it is refused (`kind` is "EPUB", "DOCX" …)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(f"not a valid {kind} (damaged zip container: {exc})") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Unreadable(f"{kind} has {len(members):,} files inside; the limit is {MAX_MEMBERS:,}")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 1 << 20 and ratio > MAX_RATIO):
            raise Unreadable(
                f"{kind} looks like a zip bomb: {info.filename[:80]!r} inflates to "
                f"{info.file_size:,} bytes"
            )
    if total > MAX_TOTAL_BYTES:
        raise Unreadable(f"{kind} inflates to {total:,} bytes; the limit is {MAX_TOTAL_BYTES:,}")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    """One member's bytes, never more than `MAX_MEMBER_BYTES` whatever its header says."""
    try:
        with archive.open(name) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
    except KeyError:
        raise Unreadable(f"{kind} is missing {name[:80]!r}") from None
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise Unreadable(f"{kind} member {name[:80]!r} is damaged ({exc})") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise Unreadable(f"{kind} member {name[:80]!r} inflates past {MAX_MEMBER_BYTES:,} bytes")
    return data
