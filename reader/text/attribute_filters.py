"""`KEY:VALUE` filters on document attributes, as typed in a filter or a query, and the typing
rules that make `year:2022..2024` and `wave:2..3` ranges compare as dates and numbers.

Pure text in, text out: the library's filter box and the search share one reading of
`outlet:ECFR`, `-outlet:ECFR`, `outlet:"Foreign Policy"`, `wave:2..`, `year:..2024`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_FILTER = re.compile(r'(?<!\S)(-?)([^\W\d_][\w.\-]*):("[^"]*"?|[^\s"]+)')
ANY_VALUE = "*"  # `outlet:*`: documents that carry the attribute at all
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
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
        quoted = value.startswith('"')
        value = value.strip('"').strip()
        if name in skip or not value or (not quoted and value[0] in "/:"):
            return match.group(0)
        filters.append(attribute_filter(name, value, quoted, bool(negated)))
        return " "

    rest = _FILTER.sub(take, query)
    return " ".join(rest.split()), filters


def attribute_filter(name: str, value: str, quoted: bool, negated: bool) -> AttributeFilter:
    """One filter from its word: quoted values are values, `*` any value, `a..b` a range."""
    if quoted:
        return AttributeFilter(name, value=value, negated=negated)
    if value == ANY_VALUE:
        return AttributeFilter(name, negated=negated)
    low, dots, high = value.partition("..")
    if dots:
        return AttributeFilter(name, low=low or None, high=high or None, negated=negated)
    return AttributeFilter(name, value=value, negated=negated)


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


def value_test(
    f: AttributeFilter, kind: str, problems: list[str] | None = None
) -> Callable[[str], bool]:
    """A test of one value for filter `f` on an attribute typed `kind` (`number`, `date` or
    `text`): numbers by size, dates by period (`2025` holds `2025-01`; a bound covers its
    whole period), text ignoring case and runs of spaces. A range bound not of that type is a
    problem (added to `problems`), and the range holds nothing."""
    if f.value is None and f.low is None and f.high is None:
        return lambda value: True
    compare = {"number": _compare_numbers, "date": _compare_dates}.get(kind, _compare_texts)
    bounds = [b for b in (f.value, f.low, f.high) if b is not None]
    bad = [b for b in bounds if not _fits(kind, b)]
    if bad and f.value is not None:
        compare = _compare_texts  # `wave:two`: no number, no match; said by the empty results
    elif bad:
        if problems is not None:
            shown = _CONTROLS.sub("?", bad[0])[:40]
            problems.append(f"'{shown}' is not a {kind}, and {f.name} holds {kind}s")
        return lambda value: False
    if f.value is not None:
        exact = f.value
        return lambda value: compare(value, exact) == 0
    low, high = f.low, f.high
    return lambda value: (
        (low is None or compare(value, low) >= 0) and (high is None or compare(value, high) <= 0)
    )


def _fits(kind: str, bound: str) -> bool:
    if kind == "number":
        return bool(_NUMBER.fullmatch(bound))
    return kind != "date" or is_date(bound)


def _compare_numbers(value: str, bound: str) -> int:
    try:
        a, b = float(value), float(bound)
    except ValueError:
        return _compare_texts(value, bound)
    return (a > b) - (a < b)


def _compare_dates(value: str, bound: str) -> int:
    """0 when the periods meet (`2025` and `2025-01`), else which comes first."""
    common = min(len(value), len(bound))
    a, b = value[:common], bound[:common]
    return (a > b) - (a < b)


def _compare_texts(value: str, bound: str) -> int:
    a, b = _spaced(value), _spaced(bound)
    return (a > b) - (a < b)


def _spaced(text: str) -> str:
    return " ".join(text.split()).casefold()


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
    return value is not None and value_test(item, kind)(value)
