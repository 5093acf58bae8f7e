"""The field-level checks of a W3C file someone else wrote: each value is tested for the type
the store needs, and `Refused` says in words why one cannot be used (its annotation alone is
refused, the others still come in)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

MAX_DEPTH = 100
"""Levels of nesting a file may have; a W3C annotation needs about six. Deeper is refused
whole, before JSON's own recursion (about a thousand levels) could fail less clearly."""
MAX_OFFSET = 2**63 - 1
"""The largest offset SQLite can store."""
MAX_DATE_LENGTH = 64


class Unusable:
    """What JSON held where a plain value was expected: a constant JSON does not allow
    (`NaN`, `Infinity`) or an integer too long to be one. Refused where a field needs a value."""

    def __init__(self, text: str, too_large: bool = False) -> None:
        self.text = text
        self.too_large = too_large

    def __repr__(self) -> str:
        return self.text


class Refused(Exception):
    """This one annotation cannot be used; the message says why."""


def too_deep() -> str:
    return f"the file is nested too deeply (more than {MAX_DEPTH} levels) to be annotations"


def whole_number(text: str) -> int | Unusable:
    """An integer of JSON; one too long for any offset is kept as text, not converted (Python
    refuses to convert one of thousands of digits, and would spend time on it)."""
    digits = text.lstrip("-")
    if len(digits) <= 30:
        return int(text)
    return Unusable(f"a number of {len(digits)} digits", too_large=True)


def kind_of(value: Any) -> str:
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


def checked_text(value: Any, what: str) -> str:
    """`value` as text the store can hold, or the reason it cannot be."""
    if not isinstance(value, str):
        raise Refused(f"{what} is {kind_of(value)}, not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise Refused(
            f"{what} holds a lone surrogate (\\u{code:04x} at character {exc.start}), "
            "which is not Unicode text"
        ) from None
    return value


def optional_text(value: Any, what: str, default: str = "") -> str:
    return default if value is None else checked_text(value, what)


def checked_offset(value: Any, what: str) -> int:
    """A code-point offset: a whole number from 0 that SQLite can store."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)  # `12.0`: some writers give every number a point
    if isinstance(value, float):
        shown = "infinite" if math.isinf(value) else repr(value)
        raise Refused(f"{what} is {shown}, not a whole number")
    if isinstance(value, Unusable) and value.too_large:
        raise Refused(f"{what} is {value!r}, larger than any text")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"{what} is {kind_of(value)}, not a whole number")
    if value < 0:
        raise Refused(f"{what} is {value}; offsets count from 0")
    if value > MAX_OFFSET:
        raise Refused(f"{what} is {value}, larger than any text")
    return value


def checked_date(value: Any, what: str) -> str | None:
    if value is None:
        return None
    text = checked_text(value, what)
    try:
        if len(text) > MAX_DATE_LENGTH:
            raise ValueError
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"{what} is not an ISO 8601 date ({text[:MAX_DATE_LENGTH]!r})") from None
    return text


def given_id(item: Any) -> str | None:
    """The id as the file gives it, to name the annotation in a refusal (None: no usable id)."""
    value = item.get("id") if isinstance(item, dict) else None
    if not isinstance(value, str) or not value:
        return None
    try:
        return checked_text(value, "id")
    except Refused:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def objects(value: Any, what: str) -> list[dict[str, Any]]:
    """A W3C "one or many": an object or a list of objects (None: none)."""
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    for n, one in enumerate(values, start=1):
        if not isinstance(one, dict):
            raise Refused(f"{what} #{n} is {kind_of(one)}, not an object")
    return values


def creator_name(value: Any) -> str | None:
    """A W3C creator's name: `{"name": …}` (a Person), a list of them (the first), or text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("nickname")
    if not isinstance(value, str) or not value.strip():
        return None
    return checked_text(value, "creator")
