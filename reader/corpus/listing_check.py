"""A cheaper proof that `corpus/` is unchanged: GNU `find` lists every entry with its stats in a
process of its own, hashed as it comes, while Python imports the rest of a command.

At 100,000 files the scan's `lstat` of each entry from Python costs ~0.45 s; `find -printf`
lists the same in ~0.3 s on another core, started before the command's imports (~0.15 s), so an
unchanged corpus costs a command little more than `find` itself.

The listing's token is stored beside the scan's digest (reader/corpus/fingerprint.py), only by a
sync whose listing ended before its scan began: every entry was then listed before the scan
looked at it and before any file was read, so whatever changes afterwards changes the next
listing too (ctime moves on every write and cannot be set back). A token is never stored where
the listing cannot see everything the scan depends on: a link (its target may change unseen), a
folder that could not be read, an error from `find`, or output not in the expected form (a
`find` that is not GNU's). Then, and wherever `find` is missing, the scan decides alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
from pathlib import Path

# Every entry but hidden ones (the scan skips them too): type, size, mtime, ctime, inode,
# device, mode, then the path relative to corpus/ as bytes, ended by NUL (a name may hold a
# newline but never a NUL). A folder's times are left out: they move when a hidden file in it
# does (an editor's swap file), and what they would tell, an entry added or gone, is listed.
_FORMAT = r"%y %s %T@ %C@ %i %D %m %P\0"
_FOLDER_FORMAT = r"d %i %D %m %P\0"
_RECORD = re.compile(rb"(?:^|\0)[a-ce-zA-Z] \d+ \d+\.\d+ \d+\.\d+ \d+ \d+ [0-7]+ [^\0]+\0")
_FIND = ["find"]
_EXPRESSION = [
    "-mindepth", "1", "-name", ".*", "-prune",
    "-o", "-type", "d", "-printf", _FOLDER_FORMAT,
    "-o", "-printf", _FORMAT,
]  # fmt: skip
_CHUNK = 1 << 16
# Bump when the form of the listing or what it is compared with changes.
LISTING_RULES = "1"


class ListingCheck:
    """One `find` over a corpus folder, started at once; `token()` waits for it to end."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = os.path.abspath(corpus_dir)
        self._hash = hashlib.blake2b(digest_size=20)
        self._first = b""  # the first records, to tell a `find` that understood the format
        self._links = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._token: str | None = None
        self._done = False
        try:
            self._process = subprocess.Popen(
                [*_FIND, self.corpus_dir, *_EXPRESSION],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # any error shows in the exit status
                env={**os.environ, "LC_ALL": "C"},
            )
        except OSError:  # no `find` here: the scan decides alone
            return
        self._thread = threading.Thread(target=self._drain, name="corpus-listing", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        """Hash the listing as it comes, so `find` never waits on a full pipe."""
        assert self._process is not None and self._process.stdout is not None
        read = self._process.stdout.read1
        tail = b"\0"  # the bytes before the chunk: a record starts after a NUL
        while chunk := read(_CHUNK):
            if len(self._first) < 4096:
                self._first += chunk[:4096]
            # A link's record begins `l `; one split between two chunks is counted once.
            self._links += (tail + chunk[:2]).count(b"\0l ") + chunk.count(b"\0l ")
            tail = (tail + chunk)[-2:]
            self._hash.update(chunk)

    def token(self, max_file_bytes: int | None, schema: int) -> str | None:
        """The listing's token, or None when it proves nothing (no `find`, an error, an
        unexpected form, an empty folder). Waits for `find` to end."""
        if not self._done:
            self._done = True
            self._token = self._finish()
        if self._token is None:
            return None
        settings = f"limit\0{max_file_bytes}\0schema\0{schema}\0rules\0{LISTING_RULES}"
        return hashlib.blake2b(f"{self._token}\0{settings}".encode(), digest_size=20).hexdigest()

    def _finish(self) -> str | None:
        if self._process is None or self._thread is None:
            return None
        self._thread.join()
        self._process.stdout.close()  # type: ignore[union-attr]
        if self._process.wait() != 0 or self._links or not _RECORD.search(self._first):
            return None
        return self._hash.hexdigest()

    def close(self) -> None:
        """Stop `find` if the token was never asked for (the command failed before)."""
        if self._process is not None and not self._done:
            self._done = True
            self._process.kill()
            if self._thread is not None:
                self._thread.join()
            self._process.stdout.close()  # type: ignore[union-attr]
            self._process.wait()


def start_listing(corpus_dir: Path) -> ListingCheck | None:
    """A listing of `corpus_dir` under way, or None where `find` is not the POSIX tool."""
    if os.name != "posix":
        return None
    return ListingCheck(corpus_dir)
