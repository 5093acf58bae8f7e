"""Say what went wrong with `annotations.db` in words a user can act on.

SQLite reports a lock, a full disk, a read-only file and a damaged one alike as an error; only
its code tells them apart, and only a damaged file "may be corrupt". A full disk or a file we
may not write can also surface as an OSError (while writing a backup).
"""

from __future__ import annotations

import errno
import sqlite3

# SQLite's primary result codes (an extended code keeps its primary one in the low byte).
_PERM, _BUSY, _LOCKED, _NOMEM, _READONLY = 3, 5, 6, 7, 8
_IOERR, _CORRUPT, _FULL, _CANTOPEN, _AUTH, _NOTADB = 10, 11, 13, 14, 23, 26

BUSY = "another reader is writing to it; try again in a moment"
FULL = "the disk is full"
READ_ONLY = "it is read-only or this user may not write to it"
CORRUPT = "the file may be corrupt"

_BY_SQLITE_CODE = {
    _BUSY: BUSY,
    _LOCKED: BUSY,
    _FULL: FULL,
    _READONLY: READ_ONLY,
    _PERM: READ_ONLY,
    _AUTH: READ_ONLY,
    _CORRUPT: CORRUPT,
    _NOTADB: CORRUPT,
    _NOMEM: "there is not enough memory",
    _CANTOPEN: "the file cannot be opened (a missing folder, or no permission)",
}
_BY_ERRNO_NAME = {
    "ENOSPC": FULL,
    "EDQUOT": "the disk quota is used up",
    "EACCES": READ_ONLY,
    "EPERM": READ_ONLY,
    "EROFS": "it is on a read-only file system",
}
_BY_ERRNO = {getattr(errno, n): text for n, text in _BY_ERRNO_NAME.items() if hasattr(errno, n)}


def explain(exc: BaseException) -> str:
    """What `exc` means for the database, as a clause ("the disk is full"); SQLite's own words
    when its code says nothing more specific."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and (code & 0xFF) in _BY_SQLITE_CODE:
            return _BY_SQLITE_CODE[code & 0xFF]
        if isinstance(code, int) and code & 0xFF == _IOERR:
            return f"the disk reported an error ({exc})"
        return str(exc)
    if isinstance(exc, OSError):
        if exc.errno in _BY_ERRNO:
            return _BY_ERRNO[exc.errno]
        return exc.strerror or str(exc)
    return str(exc)
