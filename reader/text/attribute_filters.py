"""`KEY:VALUE` filters on document attributes, as typed in a filter or a query, and the typing
rules that make `year:2022..2024` and `wave:2..3` ranges compare as dates and numbers.

Pure text in, text out: the library's filter box and the search share one reading of
`outlet:ECFR`, `-outlet:ECFR`, `outlet:"Foreign Policy"`, `wave:2..`, `year:..2024`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_FILTER = re.compile(r'(?<!\S)(-?)([^\W\d_][\w.\-]*):("[^"]*"?|[^\s"]+)')
NOT_ATTRIBUTES = frozenset({"http", "https", "ftp", "file", "mailto", "data", "javascript"})


@dataclass(frozen=True)
class AttributeFilter:
    """`name` equal to `value` (ignoring case), or within `low`..`high` (None: open)."""

    name: str
    value: str | None = None
    low: str | None = None
    high: str | None = None
    negated: bool = False

    @property
    def is_range(self) -> bool:
        return self.value is None


def split_filters(
    query: str, reserved: Iterable[str] = ()
) -> tuple[str, list[AttributeFilter]]:
    """The query without its attribute filters, and the filters. `reserved` names (such as
    `tag`, `doc`) are left in the text for whoever reads them; `http://…` is text."""
    skip = NOT_ATTRIBUTES | {name.casefold() for name in reserved}
    filters: list[AttributeFilter] = []

    def take(match: re.Match[str]) -> str:
        negated, name, value = match.group(1), match.group(2).casefold(), match.group(3)
        if name in skip or value.startswith("//"):
            return match.group(0)
        value = value.strip('"').strip()
        if not value:
            return match.group(0)
        filters.append(_parse(name, value, bool(negated)))
        return " "

    rest = _FILTER.sub(take, query)
    return " ".join(rest.split()), filters


def _parse(name: str, value: str, negated: bool) -> AttributeFilter:
    if ".." in value:
        low, _, high = value.partition("..")
        return AttributeFilter(name, None, low.strip() or None, high.strip() or None, negated)
    return AttributeFilter(name, value, negated=negated)


def value_kind(values: Iterable[str]) -> str:
    """`number` or `date` when every value parses as one (ISO `YYYY`, `YYYY-MM` or
    `YYYY-MM-DD` for dates), else `text`."""
    values = list(values)
    if values and all(is_date(v) for v in values):
        return "date"
    if values and all(_NUMBER.fullmatch(v) for v in values):
        return "number"
    return "text"


def is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    padded = value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        return False
    return True


def in_range(value: str, low: str | None, high: str | None, kind: str) -> bool:
    """`low <= value <= high` as numbers, ISO dates (a bound covers its whole period: `2024`
    ends in December) or text ignoring case; a bound that is not a number fails a number."""
    try:
        if kind == "number":
            number = float(value)
            return (low is None or float(low) <= number) and (high is None or number <= float(high))
    except ValueError:
        return False
    folded = value.casefold()
    if low is not None and folded < low.casefold():
        return False
    if high is not None:
        bound = high.casefold()
        return (folded[: len(bound)] if kind == "date" else folded) <= bound
    return True


def passes(
    values: Mapping[str, str], filters: Iterable[AttributeFilter], kinds: Mapping[str, str]
) -> bool:
    """Whether a document with attributes `values` passes every filter; filters on one name
    are alternatives (`outlet:ECFR outlet:BIRN` is either), negated ones all must fail."""
    by_name: dict[str, list[AttributeFilter]] = {}
    for item in filters:
        by_name.setdefault(item.name, []).append(item)
    for name, items in by_name.items():
        value = values.get(name)
        wanted = [item for item in items if not item.negated]
        if wanted and not any(_hit(value, item, kinds.get(name, "text")) for item in wanted):
            return False
        if any(_hit(value, item, kinds.get(name, "text")) for item in items if item.negated):
            return False
    return True


def _hit(value: str | None, item: AttributeFilter, kind: str) -> bool:
    if value is None:
        return False
    if item.value is not None:
        return value.casefold() == item.value.casefold()
    return in_range(value, item.low, item.high, kind)
