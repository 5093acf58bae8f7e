"""Read a W3C annotation file someone else wrote, trusting nothing in it.

A file that is not UTF-8, not JSON or nested absurdly deep is refused whole. Inside a readable
file each annotation is checked on its own, field by field: one with an offset that is no whole
number (`Infinity`, `1.5`, `"12"`, 2**63, -4), text that is no Unicode (a lone surrogate, which
JSON's `\\ud83d` allows and SQLite refuses), a list where a date belongs or a missing quote is
refused alone, with its reason, and the others still come in.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from reader.errors import UsageError
from reader.exchange.w3c import CONTENT_HASH, PATH, URN_PREFIX
from reader.models import ImportRefusal

MAX_DEPTH = 100
"""Levels of nesting a file may have; a W3C annotation needs about six. Deeper is refused
whole, before JSON's own recursion (about a thousand levels) could fail less clearly."""
MAX_OFFSET = 2**63 - 1
"""The largest offset SQLite can store."""
MAX_DATE_LENGTH = 64
ANONYMOUS = uuid.UUID("6f2b1f4e-3c59-4b8e-9a57-0d1c2e3f4a5b")
"""Namespace of the ids given to annotations that come without one (a hash of what they say),
so importing the same file twice still adds nothing."""


class Unusable:
    """What JSON held where a plain value was expected: a constant JSON does not allow
    (`NaN`, `Infinity`) or an integer too long to be one. Refused where a field needs a value."""

    def __init__(self, text: str, too_large: bool = False) -> None:
        self.text = text
        self.too_large = too_large

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Incoming:
    """One annotation of the file, checked: every field has the type the store needs."""

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


class _Refused(Exception):
    """This one annotation cannot be used; the message says why."""


def read_w3c(raw: str | bytes) -> ReadFile:
    """Parse and check a W3C annotation file; UsageError when the file as a whole is not one."""
    items = _items(_load(raw))
    read = ReadFile()
    first_of_uid: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        given = _given_id(item)
        try:
            incoming = _annotation(item, number)
        except _Refused as exc:
            read.refused.append(ImportRefusal(number, given, str(exc)))
            continue
        if incoming.uid in first_of_uid:
            earlier = first_of_uid[incoming.uid]
            reason = (
                f"repeats the id of #{earlier} in this file"
                if incoming.given_id
                else f"the same annotation as #{earlier} in this file"
            )
            read.refused.append(ImportRefusal(number, given, reason))
            continue
        first_of_uid[incoming.uid] = number
        read.items.append(incoming)
    return read


def _load(raw: str | bytes) -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start]
            raise UsageError(
                f"the file is not UTF-8 text (byte 0x{bad:02x} at position {exc.start}); "
                "W3C JSON files are UTF-8"
            ) from None
    try:
        data = json.loads(
            raw.removeprefix("\ufeff"),
            parse_constant=Unusable,
            parse_int=_whole_number,
        )
    except RecursionError:
        raise UsageError(_too_deep()) from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"not JSON: {exc}") from None
    if _depth_exceeds(data, MAX_DEPTH):
        raise UsageError(_too_deep())
    return data


def _too_deep() -> str:
    return f"the file is nested too deeply (more than {MAX_DEPTH} levels) to be annotations"


def _whole_number(text: str) -> int | Unusable:
    """An integer of JSON; one too long for any offset is kept as text, not converted (Python
    refuses to convert one of thousands of digits, and would spend time on it)."""
    digits = text.lstrip("-")
    if len(digits) <= 30:
        return int(text)
    return Unusable(f"a number of {len(digits)} digits", too_large=True)


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit`: walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children)
    return False


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if data.get("type") == "Annotation":
            return [data]
        for key in ("items", "first"):
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict) and isinstance(value.get("items"), list):
                return value["items"]
    raise UsageError("not a W3C annotation list (expected a JSON array of annotations)")


def _kind(value: Any) -> str:
    """What a JSON value is, in words, for a reason."""
    if isinstance(value, Unusable):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _text(value: Any, what: str) -> str:
    """`value` as text the store can hold, or the reason it cannot be."""
    if not isinstance(value, str):
        raise _Refused(f"{what} is {_kind(value)}, not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise _Refused(
            f"{what} holds a lone surrogate (\\u{code:04x} at character {exc.start}), "
            "which is not Unicode text"
        ) from None
    return value


def _optional_text(value: Any, what: str, default: str = "") -> str:
    return default if value is None else _text(value, what)


def _offset(value: Any, what: str) -> int:
    """A code-point offset: a whole number from 0 that SQLite can store."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)  # `12.0`: some writers give every number a point
    if isinstance(value, float):
        shown = "infinite" if math.isinf(value) else repr(value)
        raise _Refused(f"{what} is {shown}, not a whole number")
    if isinstance(value, Unusable) and value.too_large:
        raise _Refused(f"{what} is {value!r}, larger than any text")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Refused(f"{what} is {_kind(value)}, not a whole number")
    if value < 0:
        raise _Refused(f"{what} is {value}; offsets count from 0")
    if value > MAX_OFFSET:
        raise _Refused(f"{what} is {value}, larger than any text")
    return value


def _date(value: Any, what: str) -> str | None:
    if value is None:
        return None
    text = _text(value, what)
    try:
        if len(text) > MAX_DATE_LENGTH:
            raise ValueError
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Refused(f"{what} is not an ISO 8601 date ({text[:MAX_DATE_LENGTH]!r})") from None
    return text


def _given_id(item: Any) -> str | None:
    """The id as the file gives it, to name the annotation in a refusal (None: no usable id)."""
    value = item.get("id") if isinstance(item, dict) else None
    if not isinstance(value, str) or not value:
        return None
    try:
        return _text(value, "id")
    except _Refused:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _objects(value: Any, what: str) -> list[dict[str, Any]]:
    """A W3C "one or many": an object or a list of objects (None: none)."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    for n, one in enumerate(values, start=1):
        if not isinstance(one, dict):
            raise _Refused(f"{what} #{n} is {_kind(one)}, not an object")
    return values


def _creator(value: Any) -> str | None:
    """A W3C creator's name: `{"name": …}` (a Person), a list of them (the first), or text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("nickname")
    if not isinstance(value, str) or not value.strip():
        return None
    return _text(value, "creator")


def _as_target(value: Any, n: int) -> dict[str, Any]:
    """A target as an object: an IRI string is a whole document (`{"source": iri}`), an
    External Web Resource (`{"id": iri}`) likewise."""
    if isinstance(value, str):
        return {"source": value}
    if not isinstance(value, dict):
        raise _Refused(f"target #{n} is {_kind(value)}, not an object or an IRI")
    if (
        value.get("source") is None
        and isinstance(value.get("id"), str)
        and not value.get("selector")
    ):
        return value | {"source": value["id"]}
    return value


def _quote_selector(target: dict[str, Any]) -> tuple[list[dict[str, Any]], Any]:
    selectors = _objects(target.get("selector"), "selector") if target.get("selector") else []
    return selectors, next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)


def _target(value: Any) -> tuple[dict[str, Any], list[dict[str, Any]], Any]:
    """The target to use (the first with a quote, else the first), its selectors, its quote."""
    values = value if isinstance(value, list) else [value]
    targets = [_as_target(one, n) for n, one in enumerate(values, start=1) if one is not None]
    if not targets:
        raise _Refused("it has no target (the document and the quoted text)")
    for target in targets:
        selectors, quote = _quote_selector(target)
        if quote is not None:
            return target, selectors, quote
    selectors, _ = _quote_selector(targets[0])
    return targets[0], selectors, None


def _annotation(item: Any, number: int) -> Incoming:
    """One annotation checked; `_Refused` says what is wrong with it. A target without any
    selector is the whole document: its bodies are the document's own tags and note."""
    if not isinstance(item, dict):
        raise _Refused(f"it is {_kind(item)}, not an annotation object")
    target, selectors, quote = _target(item.get("target"))
    whole_document = not selectors
    if quote is None and not whole_document:
        raise _Refused("its target has no TextQuoteSelector (the quoted text)")
    exact = "" if quote is None else _text(quote.get("exact"), "the quoted text (exact)")
    if not exact and not whole_document:
        raise _Refused("the quoted text (exact) is empty")
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    start = end = -1
    if position is not None:
        start = _offset(position.get("start"), "the start offset")
        end = _offset(position.get("end"), "the end offset")
        if end < start:
            raise _Refused(f"the end offset {end} comes before the start offset {start}")
    if target.get("source") is None:
        raise _Refused("its target has no source (the document)")
    iri = _text(target["source"], "the target's source")
    path = target.get(PATH)
    path = _text(path, PATH) if path is not None else None
    if path is None and iri.startswith("corpus/"):  # reader's exports before issue #12
        path = iri.removeprefix("corpus/")
    content_hash = target.get(CONTENT_HASH)
    content_hash = None if content_hash is None else _text(content_hash, CONTENT_HASH)
    notes, tags, skipped = _bodies(item)
    if whole_document and not notes and not tags:
        raise _Refused("it targets a whole document but has no tag or note to import")
    fields: dict[str, Any] = {
        "source": path if path is not None else iri,
        "content_hash": content_hash,
        "exact": exact,
        "prefix": "" if quote is None else _optional_text(quote.get("prefix"), "the prefix"),
        "suffix": "" if quote is None else _optional_text(quote.get("suffix"), "the suffix"),
        "start": start,
        "end": end,
        "note": "\n\n".join(notes),
        "tags": tags,
    }
    given = item.get("id")
    if given is None or given == "":
        given_id, uid = None, _anonymous_uid(fields)
    else:
        given_id = _text(given, "the id")
        uid = canonical_uid(given_id)
    return Incoming(
        item=number,
        given_id=given_id,
        uid=uid,
        created=_date(item.get("created"), "created"),
        modified=_date(item.get("modified"), "modified"),
        creator=_creator(item.get("creator")),
        iri=iri,
        path=path,
        whole_document=whole_document,
        skipped=skipped,
        **fields,
    )


def canonical_uid(given_id: str) -> str:
    """The uid an id names: a `urn:uuid:` (hyphenated or not, any case) is the uuid's hex,
    as reader makes them; any other id is kept as given."""
    bare = given_id.removeprefix(URN_PREFIX)
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
        raise _Refused("its body is a link, not text this reader can import")
    notes, tags, skipped = [], [], []
    if item.get("bodyValue") is not None:
        notes.append(_text(item["bodyValue"], "the bodyValue"))
    for n, body in enumerate(_objects(value, "body"), start=1):
        if body.get("value") is None and body.get("type") != "TextualBody":
            kind = body.get("type") if isinstance(body.get("type"), str) else "resource"
            skipped.append(f"body #{n} (a {kind[:40]} elsewhere, not text)")
            continue
        if _purpose(body, item.get("motivation")) in TAG_PURPOSES:
            tags.append(_text(body.get("value"), f"the tag of body #{n}"))
        else:
            notes.append(_text(body.get("value"), f"the value of body #{n}"))
    return notes, tags, skipped


def _anonymous_uid(fields: dict[str, Any]) -> str:
    """An id for an annotation the file gave none: a hash of its target and body, so two
    different ones stay two and the same one imported again is found present."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return uuid.uuid5(ANONYMOUS, canonical).hex
