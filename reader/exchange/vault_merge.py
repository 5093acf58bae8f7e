"""Exporting into a Markdown file reader wrote before, keeping everything the user did there.

- Lines outside reader's blocks are the user's: kept exactly, where they are.
- A block the user did not touch is updated in place; a new highlight is inserted in text
  order (just before the next block already in the file, else just after the previous one).
- A highlight deleted in reader is not dropped: its block stays, marked `[!warning] Deleted in
  reader`, and from then on it is the user's text.
- A block the user edited (its content differs from what reader last wrote there, as the
  ledger's digest says) is kept as the user left it. When reader's version changed as well,
  the export says so (a note naming the block), and the user's version still wins: delete the
  block (markers included) to take reader's again.
- Front matter: reader owns title, author, date, source and tags; every other key is the
  user's, kept with its comments and layout. A key of reader's the user changed is kept like an
  edited block.
Without the ledger's digests (a vault copied elsewhere) an edit cannot be told from an old
version, so a block that differs from reader's new one is kept, with a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from reader.exchange.escaping import yaml_mapping
from reader.exchange.managed import (
    FRONT_KEYS,
    LEGACY_HEAD,
    Block,
    ManagedFile,
    Segment,
    block_digest,
    newline_of,
    segments,
    split_front_matter,
    value_digest,
)

_MISSING = object()
_TOP_KEY = re.compile(  # a top-level `key:` (quoted or plain) at the start of a line
    r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:][^:]*?)[ \t]*:(?:[ \t]|$)"""
)


@dataclass
class MergeResult:
    text: str
    notes: list[str] = field(default_factory=list)


def _deleted(segment: Segment) -> str:
    """A block whose highlight is gone, kept and marked; no longer reader's to update."""
    block = segment.block
    assert block is not None
    warning = (
        "> [!warning] Deleted in reader\n"
        "> This was deleted in reader after it was exported here; reader will not update it "
        "again. Delete these lines when you no longer need them."
    )
    start, end = f"<!-- reader:deleted {block.key} -->", "<!-- /reader:deleted -->"
    return f"{start}\n\n{warning}\n\n{block.text}\n\n{end}\n"


def _resolve(old: Block, new: Block, base: str | None, notes: list[str]) -> str | None:
    """The text for a block in the file now (None: keep the user's version)."""
    current, fresh = block_digest(old.text), block_digest(new.text)
    if current in (fresh, base):
        return new.wrapped()
    if base is None:
        notes.append(f"kept {_name(new)} as it is in the file: reader cannot tell whether you "
                     "edited it (delete the block to take reader's version)")  # fmt: skip
    elif fresh != base:
        notes.append(f"kept your edit of {_name(new)}; it changed in reader too (delete the "
                     "block to take reader's version)")  # fmt: skip
    return None


def _name(block: Block) -> str:
    if block.kind == "hl":
        return f"highlight ^{block.key.rsplit('.', 1)[-1]}"
    return {"head": "the title", "doc": "a document's heading", "tag": "a tag's heading"}.get(
        block.kind, block.key
    )


def _places(new_blocks: list[Block], present: set[str]) -> tuple[dict, dict, list[Block]]:
    """Where each block not in the file goes: before the next one that is, else after the
    previous one that is, else at the end."""
    before: dict[str, list[Block]] = {}
    after: dict[str, list[Block]] = {}
    end: list[Block] = []
    keys = [f"{b.kind}:{b.key}" for b in new_blocks]
    for i, block in enumerate(new_blocks):
        if keys[i] in present:
            continue
        following = next((k for k in keys[i + 1 :] if k in present), None)
        preceding = next((k for k in reversed(keys[:i]) if k in present), None)
        if following is not None:
            before.setdefault(following, []).append(block)
        elif preceding is not None:
            after.setdefault(preceding, []).append(block)
        else:
            end.append(block)
    return before, after, end


def _with_gap(out: list[str], text: str) -> None:
    """Append a new block with a blank line between it and what precedes it."""
    so_far = "".join(out[-2:])
    if so_far and not so_far.endswith("\n\n"):
        out.append("\n" if so_far.endswith("\n") else "\n\n")
    out.append(text + "\n\n")


def _upgraded(parts: list[Segment], new: ManagedFile) -> list[Segment]:
    """An old file's head block (key `head`) as the new head's key, so it is updated, not
    marked deleted (other_export has checked the file holds this export)."""
    key = new.head_key()
    if key is None or any(s.block and s.block.kind == "head" and s.block.key == key for s in parts):
        return parts
    out = []
    for s in parts:
        if s.block is not None and s.block.kind == "head" and s.block.key == LEGACY_HEAD:
            s = Segment(s.raw, Block("head", key, s.block.text))
        out.append(s)
    return out


def merge_body(body: str, new: ManagedFile, base: Mapping[str, str], notes: list[str]) -> str:
    parts = _upgraded(segments(body), new)
    present = {f"{s.block.kind}:{s.block.key}" for s in parts if s.block is not None}
    wanted = {f"{b.kind}:{b.key}": b for b in new.blocks}
    before, after, end = _places(new.blocks, present)
    out: list[str] = []
    for segment in parts:
        block = segment.block
        if block is None:
            out.append(segment.raw)
            continue
        key = f"{block.kind}:{block.key}"
        if key not in wanted:
            out.append(_deleted(segment))
            continue
        for inserted in before.get(key, []):
            _with_gap(out, inserted.wrapped())
        recorded = base.get(f"block:{key}")
        if recorded is None and block.kind == "head":
            recorded = base.get(f"block:head:{LEGACY_HEAD}")
        fresh = _resolve(block, wanted[key], recorded, notes)
        out.append(segment.raw if fresh is None else fresh + _line_end(segment.raw))
        for inserted in after.get(key, []):
            _with_gap(out, inserted.wrapped())
    for inserted in end:
        _with_gap(out, inserted.wrapped())
    text = "".join(out)
    return text if text.endswith("\n") or not text else text + "\n"


def _line_end(raw: str) -> str:
    return "\n" if raw.endswith("\n") else ""


def _chunks(front: str) -> list[tuple[Any, str]] | None:
    """The front matter's top-level entries as (key, its lines), comments and blank lines
    joined to the entry before them; None when a key cannot be read."""
    chunks: list[tuple[Any, str]] = [(_MISSING, "")]
    for line in re.findall(r"[^\n]*\n|[^\n]+$", front):
        match = _TOP_KEY.match(line)
        if match:
            try:
                key = yaml.safe_load(match[1])
            except yaml.YAMLError:
                return None
            chunks.append((key, line))
        else:
            chunks[-1] = (chunks[-1][0], chunks[-1][1] + line)
    return chunks


def _front_values(old: dict[str, Any], new: dict[str, Any], base: Mapping[str, str],
                  notes: list[str]) -> dict[str, Any]:  # fmt: skip
    """Reader's keys as they should be now (`_MISSING`: not there)."""
    chosen: dict[str, Any] = {}
    for key in FRONT_KEYS:
        mine, theirs = old.get(key, _MISSING), new.get(key, _MISSING)
        recorded = base.get(f"front:{key}")
        if mine is _MISSING and theirs is _MISSING:
            continue
        if recorded is None and theirs is _MISSING:
            chosen[key] = mine  # the user's own key of that name
        elif (
            mine == theirs
            or (mine is not _MISSING and value_digest(mine) == recorded)
            or (mine is _MISSING and recorded is None)
        ):
            chosen[key] = theirs
        else:
            chosen[key] = mine
            if mine is not _MISSING and (recorded is None or value_digest(theirs) != recorded):
                notes.append(f"kept your front matter '{key}'; reader's changed too")
    return chosen


def _front_lines(chunks: list[tuple[Any, str]], old: dict[str, Any], chosen: dict[str, Any]) -> str:
    """The user's front matter with reader's keys replaced in place (a comment after one kept)
    and reader's new keys added at the end."""
    out: list[str] = []
    for key, text in chunks:
        if key is _MISSING or key not in chosen or chosen[key] is old.get(key, _MISSING):
            out.append(text)
            continue
        lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].startswith("#")):
            lines.pop()
        trailing = text[len("".join(lines)) :]
        if chosen[key] is not _MISSING:
            out.append(yaml_mapping({key: chosen[key]}))
        out.append(trailing)
    present = {key for key, _ in chunks}
    added = {k: v for k, v in chosen.items() if k not in present and v is not _MISSING}
    text = "".join(out)
    if added and text and not text.endswith("\n"):
        text += "\n"
    return text + yaml_mapping(added)


def merge_front(old_text: str | None, new: dict[str, Any] | None, base: Mapping[str, str],
                notes: list[str]) -> str | None:  # fmt: skip
    """The front matter to write (its YAML lines), or None for none."""
    if old_text is None:
        return yaml_mapping(new) if new else None
    try:
        old = yaml.safe_load(old_text) if old_text.strip() else {}
    except yaml.YAMLError:
        old = None
    chunks = _chunks(old_text)
    if not isinstance(old, dict) or chunks is None:
        notes.append("left the front matter as it is: it is not YAML reader can read")
        return old_text
    chosen = _front_values(old, new or {}, base, notes)
    expected = {k: v for k, v in old.items() if k not in chosen}
    expected |= {k: v for k, v in chosen.items() if v is not _MISSING}
    result = _front_lines(chunks, old, chosen)
    try:
        if (yaml.safe_load(result) or {}) == expected:
            return result
    except yaml.YAMLError:
        pass
    return yaml_mapping(expected)  # the user's values kept, their layout not


def _front_mapping(front: str | None) -> dict[Any, Any]:
    try:
        found = yaml.safe_load(front) if front else None
    except yaml.YAMLError:
        return {}
    return found if isinstance(found, dict) else {}


def other_export(existing: str, new: ManagedFile) -> str | None:
    """None when the file holding `existing` is reader's export of what `new` is (the same
    document, or the same several-document scope): only then is it merged. Else who it is
    for, in words. Its head block's key says; a file from before keys named it (`head`), or
    whose head block the user deleted, is this document's when its front matter's `source` is
    the document's (a file of several documents: has no `source`) or it holds one of the same
    highlights."""
    old_front, body = split_front_matter(existing)
    found = [s.block for s in segments(body) if s.block is not None]
    heads = [b.key for b in found if b.kind == "head"]
    wanted = new.head_key()
    if wanted in heads:
        return None
    front = _front_mapping(old_front)
    if not heads or heads == [LEGACY_HEAD]:
        source = front.get("source")
        if source == (new.front or {}).get("source"):
            return None
        if not heads and {b.key for b in found if b.kind == "hl"} & {
            b.key for b in new.blocks if b.kind == "hl"
        }:
            return None
    title, source = (str(front.get(k) or "").strip()[:80] for k in ("title", "source"))
    if title or source:
        return ", ".join(part for part in (title and f"“{title}”", source) if part)
    return f"reader:head {heads[0]}" if heads else "another export's highlights"


def merge_markdown(existing: str, new: ManagedFile, base: Mapping[str, str]) -> MergeResult:
    """`new` written into a file that now holds `existing`; `base` is the ledger's digests of
    what reader last wrote there (empty when unknown). The result keeps the file's line
    endings (CRLF stays CRLF)."""
    notes: list[str] = []
    old_front, body = split_front_matter(existing)
    front = merge_front(old_front, new.front, base, notes)
    merged = merge_body(body, new, base, notes)
    if front is not None:
        merged = f"---\n{front}---\n" + ("\n" if old_front is None else "") + merged
    if newline_of(existing) == "\r\n":
        merged = re.sub(r"(?<!\r)\n", "\r\n", merged)
    return MergeResult(merged, notes)
