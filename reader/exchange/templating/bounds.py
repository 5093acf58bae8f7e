"""How long a template's value would be, worked out BEFORE it is built (#12).

A filter or a `str` method can grow a value by a factor (`replace` of every character by a long
string, `join` of a big list, `indent` by a wide prefix): the sandbox asks `grown` for the
length the result would have and refuses the call when it is over the limit, so nothing huge is
ever allocated. Sizes are characters of the value as text (`weight`); a list counts its items'
text and a separator each, so a list of many small items is bounded too.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any

_CONTAINERS = (list, tuple, set, frozenset, dict)
_STAR_WIDTH = re.compile(r"%[-#0 +]*\*|\{[^{}]*:[^{}]*\{")
TEXT_FACTOR = {
    # filters whose result is their value as text, at most this many times longer
    "string": 1, "list": 5, "pprint": 4, "tojson": 12, "urlencode": 12, "urlize": 10,
    "xmlattr": 6, "escape": 6, "e": 6, "forceescape": 6,
    "upper": 3, "lower": 3, "title": 3, "capitalize": 3,
}  # fmt: skip
STR_FACTOR = {"upper": 3, "lower": 3, "title": 3, "capitalize": 3, "swapcase": 3,
              "casefold": 3, "encode": 4}  # fmt: skip


def weight(value: Any, cap: int, memo: dict[int, int] | None = None) -> int:
    """Characters `str(value)` has at least (for a container: its items' and one separator
    each); counting stops once past `cap`, and a shared item is counted without revisiting."""
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    total = 2 + 2 * len(value)
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
    for item in items:
        if total > cap:
            break
        total += weight(item, cap, memo) + (2 if isinstance(item, str) else 0)
    memo[id(value)] = total
    return total


def _most(values: Any, cap: int) -> int:
    return max((weight(v, cap) for v in values), default=0)


def formatted(text: str, args: Any, cap: int) -> int:
    """The length of `text` formatted with `args` (by `%` or `str.format`) at most: each
    field could hold the longest argument, or a width an argument gives (`%*s`)."""
    values = list(args.values()) if isinstance(args, Mapping) else (
        list(args) if isinstance(args, tuple | list) else [args])  # fmt: skip
    fields = text.count("%") + text.count("{")
    widest = _most(values, cap)
    if _STAR_WIDTH.search(text):
        widest = max([widest, *(v for v in values if isinstance(v, int))])
    return len(text) + fields * widest


def str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
               cap: int) -> int:  # fmt: skip
    """The length `text.name(*args, **kwargs)` would have at most (0: it cannot grow)."""
    try:
        bound = inspect.signature(getattr(str, name)).bind(text, *args, **kwargs).arguments
    except (TypeError, ValueError):
        bound = {}  # a wrong call fails by itself, cheaply
    if name == "replace" and isinstance(bound.get("old"), str) and isinstance(
            bound.get("new"), str):  # fmt: skip
        return replaced(text, bound["old"], bound["new"], bound.get("count", -1))
    if name == "join" and args:
        return joined(text, args[0], cap)
    if name in ("ljust", "rjust", "center", "zfill") and args and isinstance(args[0], int):
        return max(len(text), args[0])
    if name == "expandtabs":
        size = bound.get("tabsize", 8)
        return len(text) + text.count("\t") * (size if isinstance(size, int) else 8)
    if name == "format":
        return formatted(text, [*args, *kwargs.values()], cap)
    if name == "format_map" and args:
        return formatted(text, args[0], cap)
    if name == "translate" and args and isinstance(args[0], Mapping):
        return len(text) * max(1, _most(args[0].values(), cap))
    return len(text) * STR_FACTOR.get(name, 0)


def replaced(text: str, old: str, new: str, count: Any = -1) -> int:
    """The length of `text.replace(old, new, count)`, counted, not built."""
    times = text.count(old)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, len(new) - len(old))


def joined(separator: Any, items: Any, cap: int) -> int:
    """The length of `separator.join(items)` at most (`items` is a list, already made)."""
    count = len(items) if isinstance(items, (*_CONTAINERS, str)) else 0
    return (
        sum(weight(i, cap) for i in items) + max(0, count - 1) * len(str(separator)) if count else 0
    )


def _filter_size(name: str, a: dict[str, Any], cap: int) -> int:
    """The size the builtin filter `name` would give, from its bound arguments `a`."""
    if name == "replace":
        if all(isinstance(a.get(k), str) for k in ("s", "old", "new")):
            count = a.get("count")
            return replaced(a["s"], a["old"], a["new"], -1 if count is None else count)
        return 0
    if name == "join":
        return joined(a.get("d", ""), a["value"], cap)
    if name == "indent":
        text, width = str(a["s"]), a.get("width", 4)
        prefix = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        return len(text) + (text.count("\n") + 1) * prefix
    if name == "wordwrap":
        text, width = str(a["s"]), a.get("width", 79)
        lines = len(text) // max(1, width if isinstance(width, int) else 1) + text.count("\n")
        return len(text) + (lines + 1) * len(str(a.get("wrapstring") or "\n"))
    if name == "format":
        return formatted(str(a["value"]), [*a.get("args", ()), *a.get("kwargs", {}).values()],
                         cap)  # fmt: skip
    if name in ("batch", "slice"):
        value = a["value"]
        parts = a.get("slices", a.get("linecount", 1))
        parts = parts if isinstance(parts, int) else 1
        per = len(value) // max(1, parts) if name == "batch" and hasattr(value, "__len__") else 1
        return weight(value, cap) + (per + parts) * (4 + weight(a.get("fill_with"), cap))
    if name == "sum":
        start = a.get("start", 0)
        return 0 if isinstance(start, int | float) else weight(a["iterable"], cap) + weight(
            start, cap)  # fmt: skip
    value = a.get("value", a.get("s", a.get("d")))
    factor = 1 if name == "list" and not isinstance(value, str) else TEXT_FACTOR.get(name, 0)
    return factor * weight(value, cap)


_PASSED = ("eval_ctx", "environment", "context")
_MATERIALIZE = {"join": "value", "batch": "value", "sum": "iterable", "list": "value"}


def bounded_filter(name: str, original: Callable[..., Any], limit: Callable[[], int],
                   refuse: Callable[[str], Exception]) -> Callable[..., Any]:  # fmt: skip
    """`original` (the builtin filter `name`), refusing a call whose result would be longer
    than `limit()` before making it."""
    signature = inspect.signature(original)
    first = next(iter(signature.parameters), "")
    # an async-ready filter gets the context its signature does not name: kept aside
    aside = int(hasattr(original, "jinja_pass_arg") and first not in _PASSED)

    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args[aside:], **kwargs)
        except TypeError:
            return original(*args, **kwargs)  # the filter's own error
        arguments = bound.arguments
        key = _MATERIALIZE.get(name)
        if key in arguments and not isinstance(arguments[key], (*_CONTAINERS, str)):
            arguments[key] = list(arguments[key])  # a generator: made once, then measured
        cap = limit()
        if _filter_size(name, arguments, cap) > cap:
            raise refuse(f"`{name}` would make a value longer than the export limit")
        return original(*args[:aside], *bound.args, **bound.kwargs)

    for attr in ("jinja_pass_arg", "jinja_async_variant"):
        if hasattr(original, attr):
            setattr(checked, attr, getattr(original, attr))
    return checked


BOUNDED_FILTERS = ("replace", "join", "indent", "wordwrap", "format", "batch", "slice", "sum",
                   *TEXT_FACTOR)  # fmt: skip
