"""Read a W3C annotation file someone else wrote, trusting nothing in it.

A file that is not UTF-8, not JSON or nested absurdly deep is refused whole. Inside a readable
file each annotation is checked on its own, field by field: one with an offset that is no whole
number (`Infinity`, `1.5`, `"12"`, 2**63, -4), text that is no Unicode (a lone surrogate, which
JSON's `\\ud83d` allows and SQLite refuses), a list where a date belongs or a missing quote is
refused alone, with its reason, and the others still come in.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reader.errors import UsageError
from reader.exchange.json_stream import AnnotationValues, utf8_chunks
from reader.exchange.seen_ids import SeenIds
from reader.exchange.w3c import CONTENT_HASH, PATH, URN_PREFIX
from reader.exchange.w3c_values import (
    Refused,
    checked_date,
    checked_offset,
    checked_text,
    creator_name,
    given_id,
    kind_of,
    objects,
    optional_text,
)
from reader.models import ImportRefusal

ANONYMOUS = uuid.UUID("6f2b1f4e-3c59-4b8e-9a57-0d1c2e3f4a5b")
"""Namespace of the ids given to annotations that come without one (a hash of what they say),
so importing the same file twice still adds nothing."""


@dataclass(slots=True)
class Incoming:
    """One annotation of the file, checked: every field has the type the store needs. (Not
    frozen: a frozen one takes 4 us to make, seconds over a million; nothing changes one.)"""

    item: int  # position in the file, from 1
    given_id: str | None
    uid: str
    source: str
    content_hash: str | None
    exact: str
    prefix: str
    suffix: str
    start: int  # -1: the file gave no position
    end: int
    note: str
    tags: list[str]
    created: str | None
    modified: str | None
    creator: str | None = None
    iri: str = ""  # the target's source as given
    path: str | None = None  # the corpus path (`reader:path`, or the old `corpus/…` source)
    whole_document: bool = False  # no selector: the document's own tags and note
    skipped: list[str] = field(default_factory=list)  # parts left out, in words


@dataclass
class ReadFile:
    """The annotations of a file that could be read, and those refused on the way."""

    items: list[Incoming] = field(default_factory=list)
    refused: list[ImportRefusal] = field(default_factory=list)


def read_w3c(raw: str | bytes) -> ReadFile:
    """Parse and check a W3C annotation file; UsageError when the file as a whole is not one."""
    read = ReadFile()
    for one in read_w3c_stream(text_chunks(raw)):
        if isinstance(one, ImportRefusal):
            read.refused.append(one)
        else:
            read.items.append(one)
    return read


SEEN_BATCH = 500
"""Annotations checked for a repeated id together: a few statements per batch, and an import
reads at most this many ahead of what it stores."""


def read_w3c_stream(chunks: Iterable[str]) -> Iterator[Incoming | ImportRefusal]:
    """Each annotation of a W3C file's text (given in pieces) checked, or its refusal, in file
    order, as the file is read; UsageError (possibly after some) when the file is not one.
    Annotations come a batch at a time (those read before a UsageError, too)."""
    seen = SeenIds()
    batch: list[Incoming | ImportRefusal] = []
    try:
        try:
            for number, item in enumerate(AnnotationValues(chunks), start=1):
                batch.append(_checked(item, number))
                if len(batch) >= SEEN_BATCH:
                    done, batch = batch, []
                    yield from _unrepeated(done, seen)
        except UsageError:
            yield from _unrepeated(batch, seen)
            raise
        yield from _unrepeated(batch, seen)
    finally:
        seen.close()


def _checked(item: Any, number: int) -> Incoming | ImportRefusal:
    try:
        return _annotation(item, number)
    except Refused as exc:
        return ImportRefusal(number, given_id(item), str(exc))


def _unrepeated(
    batch: list[Incoming | ImportRefusal], seen: SeenIds
) -> list[Incoming | ImportRefusal]:
    """The batch with each annotation whose id an earlier one of the file gave refused."""
    checked = [one for one in batch if isinstance(one, Incoming)]
    firsts = seen.earlier([(one.uid, one.item) for one in checked])
    repeats = {one.item: first for one, first in zip(checked, firsts, strict=True) if first}
    return [_repeat(one, repeats[one.item]) if one.item in repeats else one for one in batch]


def _repeat(incoming: Incoming | ImportRefusal, earlier: int) -> ImportRefusal:
    """The refusal of an annotation that repeats the id of the file's item `earlier`."""
    reason = (
        f"repeats the id of #{earlier} in this file"
        if incoming.given_id
        else f"the same annotation as #{earlier} in this file"
    )
    return ImportRefusal(incoming.item, incoming.given_id, reason)


def text_chunks(raw: str | bytes) -> Iterable[str]:
    """A whole file's text as the stream reader takes it (bytes must be UTF-8)."""
    if isinstance(raw, str):
        return [raw]
    return utf8_chunks(io.BytesIO(raw), limit=len(raw))


def _as_target(value: Any, n: int) -> dict[str, Any]:
    """A target as an object: an IRI string is a whole document (`{"source": iri}`), an
    External Web Resource (`{"id": iri}`) likewise."""
    if isinstance(value, str):
        return {"source": value}
    if not isinstance(value, dict):
        raise Refused(f"target #{n} is {kind_of(value)}, not an object or an IRI")
    if (
        value.get("source") is None
        and isinstance(value.get("id"), str)
        and not value.get("selector")
    ):
        return value | {"source": value["id"]}
    return value


def _quote_selector(target: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
    selectors = objects(target.get("selector"), "selector") if target.get("selector") else []
    return selectors, next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)


def _target(value: Any) -> tuple[dict[str, Any], list[dict[str, Any]], Any]:
    """The target to use (the first with a quote, else the first), its selectors, its quote."""
    values = value if isinstance(value, list) else [value]
    targets = [_as_target(one, n) for n, one in enumerate(values, start=1) if one is not None]
    if not targets:
        raise Refused("it has no target (the document and the quoted text)")
    for target in targets:
        selectors, quote = _quote_selector(target)
        if quote is not None:
            return target, selectors, quote
    selectors, _ = _quote_selector(targets[0])
    return targets[0], selectors, None


def _annotation(item: Any, number: int) -> Incoming:
    """One annotation checked; `Refused` says what is wrong with it. A target without any
    selector is the whole document: its bodies are the document's own tags and note."""
    if not isinstance(item, dict):
        raise Refused(f"it is {kind_of(item)}, not an annotation object")
    target, selectors, quote = _target(item.get("target"))
    whole_document = not selectors
    if quote is None and not whole_document:
        raise Refused("its target has no TextQuoteSelector (the quoted text)")
    exact = "" if quote is None else checked_text(quote.get("exact"), "the quoted text (exact)")
    if not exact and not whole_document:
        raise Refused("the quoted text (exact) is empty")
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    start = end = -1
    if position is not None:
        start = checked_offset(position.get("start"), "the start offset")
        end = checked_offset(position.get("end"), "the end offset")
        if end < start:
            raise Refused(f"the end offset {end} comes before the start offset {start}")
    if target.get("source") is None:
        raise Refused("its target has no source (the document)")
    iri = checked_text(target["source"], "the target's source")
    path = target.get(PATH)
    path = checked_text(path, PATH) if path is not None else None
    if path is None and iri.startswith("corpus/"):  # reader's exports before issue #12
        path = iri.removeprefix("corpus/")
    content_hash = target.get(CONTENT_HASH)
    content_hash = None if content_hash is None else checked_text(content_hash, CONTENT_HASH)
    notes, tags, skipped = _bodies(item)
    if whole_document and not notes and not tags:
        raise Refused("it targets a whole document but has no tag or note to import")
    fields: dict[str, Any] = {
        "source": path if path is not None else iri,
        "content_hash": content_hash,
        "exact": exact,
        "prefix": "" if quote is None else optional_text(quote.get("prefix"), "the prefix"),
        "suffix": "" if quote is None else optional_text(quote.get("suffix"), "the suffix"),
        "start": start,
        "end": end,
        "note": "\n\n".join(notes),
        "tags": tags,
    }
    given = item.get("id")
    if given is None or given == "":
        given_id, uid = None, _anonymous_uid(fields)
    else:
        given_id = checked_text(given, "the id")
        uid = canonical_uid(given_id)
    return Incoming(
        item=number,
        given_id=given_id,
        uid=uid,
        created=checked_date(item.get("created"), "created"),
        modified=checked_date(item.get("modified"), "modified"),
        creator=creator_name(item.get("creator")),
        iri=iri,
        path=path,
        whole_document=whole_document,
        skipped=skipped,
        **fields,
    )


_LOWER_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_uid(given_id: str) -> str:
    """The uid an id names: a `urn:uuid:` (hyphenated or not, any case) is the uuid's hex,
    as reader makes them; any other id is kept as given."""
    bare = given_id.removeprefix(URN_PREFIX)
    if _LOWER_UUID.fullmatch(bare):  # the usual form, without uuid.UUID's 2 us
        return bare.replace("-", "")
    try:
        return uuid.UUID(bare).hex
    except ValueError:
        return bare


TAG_PURPOSES = ("tagging", "classifying", "identifying")


def _purpose(body: dict[str, Any], motivation: Any) -> str:
    purpose = body.get("purpose")
    if isinstance(purpose, list):
        purpose = next((p for p in purpose if isinstance(p, str)), None)
    if purpose is None:
        motivations = motivation if isinstance(motivation, list) else [motivation]
        purpose = "tagging" if motivations == ["tagging"] else "commenting"
    return purpose if isinstance(purpose, str) else "commenting"


def _bodies(item: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The notes (`bodyValue`, bodies with no tag purpose) and tags (tagging bodies; bodies
    without purpose when the motivation is `tagging`), and what was left out, in words: a body
    that is a link or a resource elsewhere has no text to import."""
    value = item.get("body")
    if isinstance(value, str):
        raise Refused("its body is a link, not text this reader can import")
    notes, tags, skipped = [], [], []
    if item.get("bodyValue") is not None:
        notes.append(checked_text(item["bodyValue"], "the bodyValue"))
    for n, body in enumerate(objects(value, "body"), start=1):
        if body.get("value") is None and body.get("type") != "TextualBody":
            kind = body.get("type") if isinstance(body.get("type"), str) else "resource"
            skipped.append(f"body #{n} (a {kind[:40]} elsewhere, not text)")
            continue
        if _purpose(body, item.get("motivation")) in TAG_PURPOSES:
            tags.append(checked_text(body.get("value"), f"the tag of body #{n}"))
        else:
            notes.append(checked_text(body.get("value"), f"the value of body #{n}"))
    return notes, tags, skipped


def _anonymous_uid(fields: dict[str, Any]) -> str:
    """An id for an annotation the file gave none: a hash of its target and body, so two
    different ones stay two and the same one imported again is found present."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return uuid.uuid5(ANONYMOUS, canonical).hex
