"""Hypothesis's JSON: the API's search answer (`{"rows": [...]}`) or a list of its annotations,
each with `uri`, `text` (the note), `tags`, `document.title` and `target[0].selector`
(TextQuoteSelector with prefix and suffix, TextPositionSelector, RangeSelector)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from reader.errors import UsageError
from reader.exchange.sources.records import SourceHighlight, Unreadable, stable_uid


def read_hypothesis(text: str) -> tuple[list[SourceHighlight], list[Unreadable]]:
    """The highlights of the file, and the annotations skipped (page notes, no quote)."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        raise UsageError("not JSON") from None
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise UsageError("not Hypothesis JSON (no rows)")
    highlights: list[SourceHighlight] = []
    skipped: list[Unreadable] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            skipped.append(Unreadable(number, "", "not an annotation object"))
            continue
        title = _title(row)
        quote = _quote(row)
        if quote is None:
            reason = "a page note (it quotes no text)" if _is_page_note(row) else "no quote"
            skipped.append(Unreadable(number, title, reason))
            continue
        exact, prefix, suffix = quote
        given = _str(row.get("id"))
        uri = _str(row.get("uri"))
        uid = stable_uid("hypothesis", given) if given else stable_uid("hypothesis", uri, exact)
        tags = row.get("tags") if isinstance(row.get("tags"), list) else []
        highlights.append(
            SourceHighlight(
                item=number,
                uid=uid,
                quote=exact,
                title=title,
                url=uri,
                prefix=prefix,
                suffix=suffix,
                note=_str(row.get("text")),
                tags=tuple(dict.fromkeys(_str(t) for t in tags if _str(t))),
                created=_date(row.get("created")),
            )
        )
    return highlights, skipped


def _str(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return value.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes ?


def _title(row: dict[str, Any]) -> str:
    document = row.get("document")
    title = document.get("title") if isinstance(document, dict) else None
    if isinstance(title, list):
        title = title[0] if title else None
    return _str(title)


def _is_page_note(row: dict[str, Any]) -> bool:
    targets = row.get("target")
    first = targets[0] if isinstance(targets, list) and targets else None
    return not isinstance(first, dict) or not first.get("selector")


def _quote(row: dict[str, Any]) -> tuple[str, str, str] | None:
    targets = row.get("target")
    if not isinstance(targets, list) or not targets or not isinstance(targets[0], dict):
        return None
    selectors = targets[0].get("selector")
    if not isinstance(selectors, list):
        return None
    for selector in selectors:
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            exact = _str(selector.get("exact"))
            if exact.strip():
                return exact, _str(selector.get("prefix")), _str(selector.get("suffix"))
    return None


def _date(value: Any) -> str | None:
    text = _str(value)
    if not text or len(text) > 64:
        return None
    try:
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        return None
