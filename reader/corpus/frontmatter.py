"""Markdown front matter (`---` YAML block at the top) read safely into plain fields."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass
class FrontMatter:
    """Fields a Markdown article may declare about itself; `end` is where the body starts."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    end: int = 0
    warning: str | None = None


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    text = str(value).strip()
    return text or None


def _as_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _as_text(value)


def _as_tags(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    tags = []
    for item in items:
        if item is None:
            continue
        tag = str(item).strip().lstrip("#").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse_front_matter(text: str) -> FrontMatter:
    """Read a leading YAML block; a malformed block becomes a warning, not an error."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter()
    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # YAML turns `2025-02-30` or `!!int abc` into ValueError and kin, not YAMLError.
        problem = str(exc).splitlines()[0] if str(exc) else "unreadable"
        return FrontMatter(end=match.end(), warning=f"front matter ignored: {problem}")
    if not isinstance(data, dict):
        return FrontMatter(end=match.end(), warning="front matter ignored: not a mapping")
    fields = {str(k).lower(): v for k, v in data.items()}
    return FrontMatter(
        title=_as_text(fields.get("title")),
        author=_as_text(fields.get("author") or fields.get("authors")),
        date=_as_date(fields.get("date")),
        source=_as_text(fields.get("source") or fields.get("url")),
        tags=_as_tags(fields.get("tags")),
        end=match.end(),
    )
