"""A Markdown export as reader's managed blocks, so a later export can update them in place.

Each block reader writes sits between two HTML comments, which no Markdown or Obsidian view
shows:

    <!-- reader:hl hl-0a1b2c3d4e5f -->
    …the highlight…
    <!-- /reader:hl -->

Everything outside those markers (and the front matter keys reader does not own) is the
user's; reader/exchange/vault_merge.py keeps it when it exports into the file again. A marker
counts only as a whole line at the start of a line, so no quote or note (always indented
behind `> `) can open or close a block.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from reader.exchange.escaping import yaml_mapping

FRONT_KEYS = ("title", "author", "date", "source", "tags")
"""The front-matter keys reader owns; any other key is the user's."""
_START = re.compile(r"<!-- reader:(head|doc|tag|hl) ([A-Za-z0-9.-]{1,200}) -->[ \t]*\r?\n?")
_END = "<!-- /reader:{kind} -->"


@dataclass(frozen=True)
class Block:
    """One block reader manages: `kind` (head, doc, tag, hl), a `key` unique in its file
    (letters, digits, `.` and `-`), and its Markdown without the markers."""

    kind: str
    key: str
    text: str

    def wrapped(self) -> str:
        start, end = f"<!-- reader:{self.kind} {self.key} -->", _END.format(kind=self.kind)
        return f"{start}\n\n{self.text}\n\n{end}"


@dataclass(frozen=True)
class ManagedFile:
    """A whole Markdown export: front matter (None: none) and its blocks, in order."""

    front: dict[str, Any] | None
    blocks: list[Block] = field(default_factory=list)

    def text(self, markers: bool = True) -> str:
        """The file; without `markers`, plain Markdown for a clipboard or a pane."""
        parts = [front_matter_text(self.front)] if self.front is not None else []
        parts += [b.wrapped() if markers else b.text for b in self.blocks]
        return "\n\n".join(parts) + "\n"

    def head_key(self) -> str | None:
        """The key of its head block: which document or scope the file holds."""
        return next((b.key for b in self.blocks if b.kind == "head"), None)

    def digests(self) -> dict[str, str]:
        """What the ledger keeps of this file: a digest per block and per front-matter key."""
        found = {f"block:{b.kind}:{b.key}": block_digest(b.text) for b in self.blocks}
        for key, value in (self.front or {}).items():
            found[f"front:{key}"] = value_digest(value)
        return found


def front_matter_text(front: dict[str, Any]) -> str:
    return f"---\n{yaml_mapping(front)}---"


def block_digest(text: str) -> str:
    """A block's content, blind to what editors change unasked: line endings, trailing spaces
    and blank lines at its edges."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    data = "\n".join(lines).strip("\n").encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def value_digest(value: Any) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Segment:
    """A piece of an existing file: the user's text (`block` None), or one of reader's blocks
    with its content (`inner`) and its exact text (`raw`, markers included)."""

    raw: str
    block: Block | None = None


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(the front matter's YAML, or None; the rest of the file)."""
    first, sep, rest = text.partition("\n")
    if first.rstrip("\r") != "---" or not sep:
        return None, text
    offset = 0
    for line in _lines(rest):
        if line.rstrip("\r\n") in ("---", "..."):
            return rest[:offset], rest[offset + len(line) :]
        offset += len(line)
    return None, text


def _lines(text: str) -> list[str]:
    """Lines at \\n only (each keeping it): a bare \\r inside a line stays there."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def segments(body: str) -> list[Segment]:
    """The file after its front matter as the user's text and reader's blocks. A start marker
    without its end marker, or a key seen before, is the user's text."""
    lines = _lines(body)
    found: list[Segment] = []
    seen: set[tuple[str, str]] = set()
    user: list[str] = []
    i = 0
    while i < len(lines):
        start = _START.fullmatch(lines[i])
        end = None
        if start and (start[1], start[2]) not in seen:
            closing = _END.format(kind=start[1])
            for j in range(i + 1, len(lines)):
                if lines[j].rstrip() == closing:
                    end = j
                    break
                if _START.fullmatch(lines[j]):
                    break
        if start is None or end is None:
            user.append(lines[i])
            i += 1
            continue
        if user:
            found.append(Segment("".join(user)))
            user = []
        inner = "".join(lines[i + 1 : end]).strip("\r\n")
        found.append(Segment("".join(lines[i : end + 1]), Block(start[1], start[2], inner)))
        seen.add((start[1], start[2]))
        i = end + 1
    if user:
        found.append(Segment("".join(user)))
    return found


LEGACY_HEAD = "head"
"""The head key every file had before keys named their document or scope."""


def newline_of(text: str) -> str:
    """The file's line ending: CRLF when most of its lines end so, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def has_blocks(text: str) -> bool:
    return any(s.block is not None for s in segments(split_front_matter(text)[1]))
