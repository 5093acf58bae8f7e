"""Markdown front matter (`---` YAML block at the top) read safely into plain fields.

YAML is read under limits a hostile file cannot get round: the block is at most 64 KB, nested
at most 32 deep, and aliases may not expand it past 256 K characters, so a few hundred bytes of
"billion laughs" cost milliseconds instead of gigabytes. What breaks a limit, or is not YAML,
becomes a warning on a document that still imports; so does a tag no tag can be (too long,
nothing visible), dropped by name. Lone surrogates (`"\\ud800"`) become `�`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from reader.codebook.tag_names import clean_tag_name
from reader.errors import UsageError

MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_EXPANDED = 256 * 1024  # characters and values once aliases are expanded
MAX_DEPTH = 32
MAX_TAGS = 64  # front matter tags a document brings into the codebook
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_OPENING = re.compile(r"\A---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.MULTILINE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_VALUE_ERRORS = (ValueError, TypeError, OverflowError, RecursionError)
_LONE_SURROGATES = "front matter holds escapes of no character (lone surrogates), shown as �"


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


class _Fields:
    """Turns YAML values into the fields' plain text; `problems` names what had to be left out
    or replaced, for the document's warning."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def clean(self, text: str) -> str:
        """`text` without lone surrogates (a pair written as two escapes is its character)."""
        if not _SURROGATE.search(text):
            return text
        cleaned = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if _LONE_SURROGATES not in self.problems and "\ufffd" in cleaned:
            self.problems.append(_LONE_SURROGATES)
        return cleaned

    def text(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v is not None)
        return self.clean(str(value)).strip() or None

    def date(self, value: object) -> str | None:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return self.text(value)

    def tags(self, value: object) -> list[str]:
        """The tags named, each tidied as a typed tag is; one no tag can be is left out."""
        if value is None:
            return []
        items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
        tags: list[str] = []
        for item in items:
            raw = "" if item is None else self.clean(str(item)).strip().lstrip("#").strip()
            if not raw:
                continue
            try:
                tag = clean_tag_name(raw)
            except UsageError as exc:
                self.problems.append(f"front matter tag {_quoted(raw)} left out: {exc}")
                continue
            if tag in tags:
                continue
            if len(tags) == MAX_TAGS:
                self.problems.append(f"front matter names over {MAX_TAGS} tags; the rest left out")
                break
            tags.append(tag)
        return tags


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _block(text: str) -> tuple[str, int] | str | None:
    """The YAML of a leading front matter block and where the body starts; a warning (str)
    when the block is past the size limit; None when there is no block."""
    head = text[: MAX_FRONT_MATTER_CHARS + 8]
    match = _FRONT_MATTER.match(head)
    if match:
        return match.group(1) or "", match.end()
    opening = _OPENING.match(text)
    if not opening or len(text) <= len(head) or not _CLOSING.search(text, opening.end()):
        return None
    return f"front matter ignored: longer than {MAX_FRONT_MATTER_CHARS // 1024} KB"


def parse_front_matter(text: str) -> FrontMatter:
    """Read a leading YAML block; a malformed or oversized block becomes a warning, not an
    error (its body then starts after the block; past the size limit, at the top)."""
    block = _block(text)
    if block is None:
        return FrontMatter()
    if isinstance(block, str):
        return FrontMatter(warning=block)
    yaml_text, end = block
    from reader.corpus.bounded_yaml import YAMLError, load_bounded  # only files that have one

    try:
        data = load_bounded(yaml_text) or {}
    except (YAMLError, *_VALUE_ERRORS) as exc:
        # YAML turns `2025-02-30` or `!!int abc` into ValueError and kin, not YAMLError.
        return FrontMatter(end=end, warning=f"front matter ignored: {_problem(exc)}")
    if not isinstance(data, dict):
        return FrontMatter(end=end, warning="front matter ignored: not a mapping")
    read = _Fields()
    try:
        # Turning a value into text can fail too: an int past 4,300 digits is a ValueError.
        fields = {read.clean(str(k)).lower(): v for k, v in data.items()}
        return FrontMatter(
            title=read.text(fields.get("title")),
            author=read.text(fields.get("author") or fields.get("authors")),
            date=read.date(fields.get("date")),
            source=read.text(fields.get("source") or fields.get("url")),
            tags=read.tags(fields.get("tags")),
            end=end,
            warning="; ".join(read.problems) or None,
        )
    except _VALUE_ERRORS as exc:
        return FrontMatter(end=end, warning=f"front matter ignored: {_problem(exc)}")


def _problem(exc: Exception) -> str:
    """The first line of what went wrong, fit for a warning."""
    return _Fields().clean(str(exc).splitlines()[0]) if str(exc) else "unreadable"
